"""A real terminal for end-to-end tests: a private tmux server running one command.

tmux is the terminal emulator here. It runs the command on a pty of an exact
size, keeps the screen the command draws (`screen()`: characters and colours,
as a user would see them), takes keys (`press`, `type`) and records every byte
the command writes (`output`, through pipe-pane). Each Terminal has its own
server (its own socket in a test's tmp_path), so tests never see a user's tmux
or each other's, and `close()` ends the server and the command's process group.

The command runs with exactly the environment it is given (`env -i`), so a
developer's COLORTERM, NO_COLOR or TEXTUAL_* cannot change what a test sees.
Waits poll the screen with a deadline; nothing sleeps a fixed time.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

TMUX = shutil.which("tmux")

# A colour as the terminal was told it: None (the terminal's default), a palette index
# (0-255: 30-37, 90-97, 38;5;N) or an RGB triple (38;2;R;G;B, truecolor).
Color = int | tuple[int, int, int] | None


@dataclass(frozen=True)
class Cell:
    char: str
    fg: Color = None
    bg: Color = None
    bold: bool = False
    reverse: bool = False

    @property
    def colors(self) -> tuple[Color, Color]:
        """(foreground, background) as the eye sees them: reverse video swapped."""
        return (self.bg, self.fg) if self.reverse else (self.fg, self.bg)


@dataclass(frozen=True)
class Screen:
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def text(self) -> str:
        return "\n".join("".join(cell.char for cell in row).rstrip() for row in self.rows)

    def __contains__(self, text: str) -> bool:
        return text in self.text

    def cells_of(self, text: str) -> list[Cell]:
        """The cells of every occurrence of `text` (one row each: text is matched per row)."""
        found: list[Cell] = []
        for row in self.rows:
            line = "".join(cell.char for cell in row)
            for match in re.finditer(re.escape(text), line):
                found.extend(row[match.start() : match.end()])
        return found


SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def sgr_steps(params: str) -> Iterator[tuple[str, Color]]:
    """What one SGR sequence's parameters ("1;38;5;75") do, in order: (what, colour).

    what is "reset", "bold", "normal", "reverse", "forward", "fg" or "bg" (with the
    colour), or "other" for attributes a test does not look at.
    """
    codes = [int(p or 0) for p in re.split("[;:]", params)]
    i = 0
    while i < len(codes):
        code = codes[i]
        i += 1
        if code in (38, 48):  # 38;5;N (256 colours) or 38;2;R;G;B (truecolor)
            color: Color = None
            if i + 1 < len(codes) and codes[i] == 5:
                color, i = codes[i + 1], i + 2
            elif i + 3 < len(codes) and codes[i] == 2:
                color, i = (codes[i + 1], codes[i + 2], codes[i + 3]), i + 4
            else:
                i = len(codes)
            yield ("fg" if code == 38 else "bg"), color
        elif 30 <= code <= 37 or 90 <= code <= 97:
            yield "fg", code - 30 if code < 90 else code - 82
        elif 40 <= code <= 47 or 100 <= code <= 107:
            yield "bg", code - 40 if code < 100 else code - 92
        else:
            names = {0: "reset", 1: "bold", 22: "normal", 7: "reverse", 27: "forward",
                     39: "fg", 49: "bg"}  # fmt: skip
            yield names.get(code, "other"), None


def sgr_colors(data: bytes) -> list[Color]:
    """Every colour the SGR sequences in `data` set (foreground and background)."""
    text = data.decode("utf-8", "replace")
    return [color for match in SGR.finditer(text) for what, color in sgr_steps(match[1])
            if what in ("fg", "bg") and color is not None]  # fmt: skip


ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-9;:?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-_])")


def plain(output: bytes, tail: int = 4000) -> str:
    """The end of what a program wrote, without escape sequences: for failure messages."""
    return ESCAPE_SEQUENCE.sub("", output.decode("utf-8", "replace"))[-tail:]


def parse_screen(captured: str) -> Screen:
    """The cells of `tmux capture-pane -p -e` output: each character with its SGR state."""
    rows = []
    state: dict[str, Color | bool] = {}
    for line in captured.split("\n"):
        cells: list[Cell] = []
        position = 0
        for match in [*SGR.finditer(line), None]:
            end = match.start() if match else len(line)
            cells += [Cell(char, **state) for char in line[position:end]]  # type: ignore[arg-type]
            if match is None:
                break
            position = match.end()
            for what, color in sgr_steps(match[1]):
                if what == "reset":
                    state = {}
                elif what in ("fg", "bg"):
                    state[what] = color
                elif what in ("bold", "normal"):
                    state["bold"] = what == "bold"
                elif what in ("reverse", "forward"):
                    state["reverse"] = what == "reverse"
        rows.append(tuple(cells))
    while rows and not rows[-1]:
        rows.pop()
    return Screen(tuple(rows))


class Terminal:
    """`command` running in a fresh tmux server, on a terminal of `size` (columns, rows)."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        size: tuple[int, int],
        folder: Path,
        env: Mapping[str, str],
    ) -> None:
        if TMUX is None:
            raise RuntimeError("tmux is not installed")
        self.folder = folder
        self.socket = folder / "tmux.sock"
        self.log = folder / "terminal-output.bin"
        self.log.write_bytes(b"")
        self.status_file = folder / "terminal-status"
        config = folder / "tmux.conf"
        config.write_text(
            "set -g status off\n"  # every row is the program's
            "set -g remain-on-exit on\n"  # keep the last screen when the command ends
            "set -g default-shell /bin/sh\n"
            "set -g history-limit 5000\n"
        )
        self.server_pid = 0
        self.pane_pid = 0
        columns, rows = size
        # A placeholder first, so pipe-pane records the command's very first byte.
        self._tmux("-f", str(config), "new-session", "-d", "-s", "t",
                   "-x", str(columns), "-y", str(rows), "cat")  # fmt: skip
        try:
            self.server_pid = int(self._tmux("display-message", "-p", "#{pid}"))
            self._tmux("pipe-pane", "-O", "-t", "t", f"cat >> {shlex.quote(str(self.log))}")
            # The shell around the command writes its exit status to a file: tmux 3.3a did
            # not always reap the pane's process here, so #{pane_dead_status} never came.
            inner = ["env", "-i", *(f"{k}={v}" for k, v in env.items()), *command]
            status = shlex.quote(str(self.status_file))
            self._tmux("respawn-pane", "-k", "-t", "t", f"{shlex.join(inner)}; echo $? > {status}")
            self.pane_pid = int(self._tmux("display-message", "-p", "-t", "t", "#{pane_pid}"))
        except BaseException:
            self.close()
            raise

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            [TMUX or "tmux", "-S", str(self.socket), *args],
            capture_output=True,
            text=True,
            timeout=10,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.folder)},
        )
        if result.returncode:
            raise RuntimeError(f"tmux {args[0]}: {result.stderr.strip()}")
        return result.stdout.strip()

    # -- keys ------------------------------------------------------------------------------------

    def press(self, *keys: str) -> None:
        """tmux key names: "o", "Enter", "Tab", "Escape", "C-q", "F1"..."""
        self._tmux("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "t", "-l", text)

    def resize(self, columns: int, rows: int) -> None:
        """The window resized, as a user drags it: the command gets SIGWINCH."""
        self._tmux("resize-window", "-t", "t", "-x", str(columns), "-y", str(rows))

    # -- what is on screen -----------------------------------------------------------------------

    def screen(self) -> Screen:
        return parse_screen(self._tmux("capture-pane", "-p", "-e", "-t", "t"))

    def cursor(self) -> tuple[int, int]:
        """Where the terminal's cursor is (column, row): Textual keeps it at the focused input's."""
        x, y = self._tmux("display-message", "-p", "-t", "t", "#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    @property
    def output(self) -> bytes:
        """Every byte the command wrote to the terminal so far."""
        return self.log.read_bytes()

    def exit_status(self) -> int | None:
        """None while the command runs, then its exit status (128 + N when signal N ended it)."""
        text = self.status_file.read_text() if self.status_file.exists() else ""
        return int(text) if text.endswith("\n") else None

    def wait_until(
        self, check: Callable[[Screen], bool], what: str, *, timeout: float = 20.0
    ) -> Screen:
        """Poll the screen until `check(screen)`; fail with the screen when it never holds."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if check(screen):
                return screen
            if (status := self.exit_status()) is not None:
                raise AssertionError(
                    f"the program ended (status {status}) before {what}; "
                    f"its last output:\n{plain(self.output)}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: not within {timeout} s; the screen:\n{screen.text}")
            time.sleep(0.05)

    def wait_for(self, *texts: str, timeout: float = 20.0) -> Screen:
        """Wait until every one of `texts` is on the screen."""
        return self.wait_until(
            lambda screen: all(text in screen for text in texts),
            f"{texts!r} on screen",
            timeout=timeout,
        )

    def wait_exit(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while (status := self.exit_status()) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"still running after {timeout} s:\n{self.screen().text}")
            time.sleep(0.05)
        return status

    def close(self) -> None:
        """End the tmux server, and the command's process group if it is still there."""
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._tmux("kill-server")
        for kill, pid in ((os.killpg, self.pane_pid), (os.kill, self.server_pid)):
            if pid:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    kill(pid, signal.SIGKILL)


# -- the app in the terminal -------------------------------------------------------------------

# Each screen's key and texts only that screen shows, at 80x24 and up.
VISITS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("m", "Map", ("feature \\ capability", "Capability leverage")),
    ("s", "Score", ("Voting as", "Value vs effort")),
    ("r", "Risks", ("Heat map", "The risk register")),
    ("p", "Policies", ("The policy library",)),
    ("d", "Decisions", ("Decision log",)),
    ("o", "Overview", ("Top ranked", "Blocked value")),
)
TABS = tuple(title for _, title, _ in VISITS)


def current_tab(screen: Screen) -> str | None:
    """The screen the nav bar (the top row) marks as current: the one title drawn apart."""
    nav = Screen(screen.rows[:1])
    backgrounds = {title: {cell.colors[1] for cell in nav.cells_of(f" {title} ")} for title in TABS}
    marked = [title for title, bg in backgrounds.items() if len(bg) == 1 and all(
        bg != other for name, other in backgrounds.items() if name != title)]  # fmt: skip
    return marked[0] if len(marked) == 1 else None


def visit(terminal: Terminal, key: str, timeout: float = 20.0) -> Screen:
    """Press a screen's key; wait until its texts are shown and the nav bar marks it."""
    _, title, texts = next(info for info in VISITS if info[0] == key)
    terminal.press(key)
    return terminal.wait_until(
        lambda screen: all(text in screen for text in texts) and current_tab(screen) == title,
        f"the {title} screen ({', '.join(texts)}), marked in the nav bar",
        timeout=timeout,
    )
