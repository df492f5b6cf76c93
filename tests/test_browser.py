"""End to end in a real browser: `roadmap-tui serve` and Debian's headless Chromium.

Driven with Playwright (the `playwright` package, in the dev extra) rather than
Selenium: it talks to Chromium directly over the DevTools protocol, so there is no
chromedriver whose version has to match the browser's and no Selenium Manager that
may try to download one, and it runs a script in the page before the page's own
scripts, which reading the terminal needs (below). Playwright is never asked to
install a browser: it launches /usr/bin/chromium (.ci/install-browser installs it).
Without Chromium or Playwright the test skips and says why; with ROADMAP_TUI_CI=1
(set by .ci/run, which installs them) it fails instead.

textual-serve draws the app with xterm.js on a canvas, so there is no text in the
DOM to read. The page keeps its xterm `Terminal` in a property named `terminal`; an
init script catches that assignment once and the test reads the screen's rows from
xterm's public buffer API (`buffer.active.getLine(y).translateToString()`).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from roadmap_tui.workspace import Workspace
from support import free_port, make_sample

CHROMIUM = Path("/usr/bin/chromium")
# Without these Chromium, which has no network here, waits on connections of its own.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ACTOR = "Ana Ruiz"  # a participant of the grocery sample: the browser votes as her

# Catch the page's xterm Terminal when textual-serve's client stores it as `this.terminal`,
# then remove the hook; `window.__screen()` returns the visible rows as text.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    if (value && value.buffer && typeof value.onData === "function") {
      delete Object.prototype.terminal;
      window.__xterm = value;
    }
  },
});
window.__screen = () => {
  const term = window.__xterm;
  if (!term) return "";
  const buffer = term.buffer.active, rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
};
"""


def _needs_browser() -> None:
    """Skip (fail under CI, which must run this) when the browser or Playwright is missing."""
    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"{CHROMIUM} (Debian package chromium: run .ci/install-browser)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -e '.[dev]')")
    if missing:
        reason = "the browser test needs " + " and ".join(missing)
        if os.environ.get("ROADMAP_TUI_CI") == "1":
            pytest.fail(f"{reason} (and ROADMAP_TUI_CI=1)")
        pytest.skip(reason)


@contextmanager
def _serving(path: Path, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`roadmap-tui serve` on a free loopback port, in its own process group: the page's URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "roadmap_tui", "serve", str(path), "--port", str(port),
             "--as", ACTOR],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            assert server.poll() is None, f"serve exited {server.returncode}:\n{log.read_text()}"
            with suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
            assert time.monotonic() < deadline, f"serve did not answer:\n{log.read_text()}"
            time.sleep(0.1)
        yield url, server
    finally:
        _stop(server)


def _stop(server: subprocess.Popen[bytes]) -> None:
    """ctrl+c to the server (it ends its apps), then kill whatever is left of its group."""
    with suppress(ProcessLookupError):
        server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=10)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def _children(pid: int) -> list[str]:
    """The processes `pid` started that are still running (Linux: /proc)."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with suppress(FileNotFoundError):  # a thread that just ended
            children += (task / "children").read_text().split()
    return children


def _only_loopback(route) -> None:  # the page asks for web fonts: never leave the machine
    if urlsplit(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


class Screen:
    """The terminal in the page, read as text."""

    def __init__(self, page) -> None:
        self.page = page

    def text(self) -> str:
        return self.page.evaluate("() => window.__screen ? window.__screen() : ''")

    def wait_for(self, needle: str, timeout: float = 15) -> str:
        return self.wait_until(lambda text: needle in text, f"{needle!r} on screen", timeout)

    def wait_until(self, check, what: str, timeout: float = 15) -> str:
        """The screen once `check` holds and it has stopped changing (not half redrawn)."""
        deadline = time.monotonic() + timeout
        text = self.text()
        while True:
            time.sleep(0.05 if not check(text) else 0.1)
            again = self.text()
            if check(text) and again == text:
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout} s for {what}; the screen:\n{again}")
            text = again

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)


RANKED_ROW = re.compile(
    r"^\s*(?:[↑↓]\d+|–)?\s*(?P<rank>\d+)\s+(?P<score>\d+\.\d)\s(?P<title>.+?)\s{2}"
)


def _ranking(text: str) -> list[tuple[int, float, str]]:
    """The Score screen's ranked rows: (rank, score, title as shown, maybe cut short)."""
    rows = []
    for line in text.splitlines():
        if match := RANKED_ROW.match(line):
            rows.append((int(match["rank"]), float(match["score"]), match["title"].rstrip("…")))
    return rows


MAX_VOTERS = 12  # the sample's participants and the consensus, with room to spare


def _voter(text: str) -> str:
    match = re.search(r"Voting as (.+?) ·", text)
    return match[1] if match else ""


def test_score_a_cell_in_the_browser(tmp_path: Path) -> None:
    _needs_browser()
    from playwright.sync_api import sync_playwright

    path = make_sample(tmp_path)
    with Workspace.open(path, actor="reader") as workspace:
        name = workspace.info().name
        features = {feature.title: feature.id for feature in workspace.features()}
        ana = next(p.id for p in workspace.participants() if p.name == ACTOR)

    def feature_id(shown: str) -> str:
        [found] = [id for title, id in features.items() if title.startswith(shown)]
        return found

    def stored(feature: str, participant: str) -> float | None:
        with Workspace.open(path, actor="reader") as workspace:
            values = {score.key: score.value for score in workspace.scores(feature)}
        return values.get((feature, "business_value", participant))

    with _serving(path, tmp_path / "serve.log") as (url, server), sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            tmp_path / "profile",  # a fresh --user-data-dir
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1000, "height": 640},
        )
        try:
            browser.route("**/*", _only_loopback)
            browser.add_init_script(CATCH_TERMINAL)
            page, other = browser.new_page(), browser.new_page()  # two tabs: two sessions
            page.goto(url)
            other.goto(url)
            screen, watcher = Screen(page), Screen(other)
            screen.wait_for(name[:40])  # the Overview, in the browser
            watcher.wait_for(name[:40])
            assert page.evaluate("() => window.__xterm.rows") >= 24

            page.focus(".xterm-helper-textarea")  # where xterm takes the keyboard
            screen.press("s")
            text = screen.wait_for(f"Voting as {ACTOR}")  # --as with a space got through
            before = _ranking(text)
            assert [rank for rank, _, _ in before[:2]] == [1, 2], text
            top, second = feature_id(before[0][2]), feature_id(before[1][2])
            assert "Business value" in text, "the cursor starts on the top row's first criterion"

            screen.press("1")  # Ana's vote: stored as hers in the workspace file
            screen.wait_for("you: 1")
            assert stored(top, ana) == 1

            for _ in range(MAX_VOTERS):  # v: the next voter, then the consensus
                voter = _voter(screen.text())
                if voter.startswith("the consensus"):  # "the consensus (facilitator)"
                    break
                screen.press("v")
                screen.wait_until(lambda text, was=voter: _voter(text) != was, "the next voter")
            else:
                raise AssertionError(f"v never came to the consensus:\n{screen.text()}")
            screen.press("1")  # the consensus overrides every vote: business value -> 1
            text = screen.wait_until(
                lambda text: [title for _, _, title in _ranking(text)[:1]] != [before[0][2]],
                "another feature to rank first",
            )
            after = {feature_id(title): (rank, score) for rank, score, title in _ranking(text)}
            assert after[second][0] == 1
            assert after[top][0] > 1 and after[top][1] < before[0][1]
            assert any(line.lstrip().startswith("↓") for line in text.splitlines()), text
            assert stored(top, "") == 1
            page.screenshot(path=tmp_path / "score.png")

            # the other tab, on the Overview, follows without a key press
            title = next(title for title, id in features.items() if id == second)
            shown = re.compile(rf"\b1\.\s+{after[second][1]:.1f}\s.*{re.escape(title[:15])}")
            watcher.wait_until(shown.search, "the new top feature in the other tab")
            other.screenshot(path=tmp_path / "other-tab.png")
        finally:
            browser.close()

        # closing the tab ended its app process, which left the workspace cleanly
        deadline = time.monotonic() + 15
        while _children(server.pid):
            assert time.monotonic() < deadline, "the app of a closed tab is still running"
            time.sleep(0.1)
        with Workspace.open(path, actor="reader") as workspace:
            assert workspace.present("") == []
