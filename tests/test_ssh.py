"""The app over SSH: Debian's OpenSSH server on 127.0.0.1, the real ssh client in a terminal.

A throwaway sshd (its own host key, config and authorized key in tmp_path, not
a daemon: a child of the test) and `ssh -tt` in tmux run `roadmap-tui open` the
way a remote participant would, with TERM=xterm-256color and no COLORTERM
(OpenSSH does not forward it, so Textual falls back to 256 colours). Keys must
work through ssh (letters, F1, escape, ctrl+t, ctrl+q), the app must draw in
the 256-colour palette only (38;5;N, never 38;2;R;G;B), and its text must stay
readable there: in every theme, each colour pair that draws a good share of a
screen's text has a WCAG contrast ratio of at least 4.5:1 on the xterm palette.

Without sshd, ssh-keygen, ssh or tmux, or when sshd cannot start, the test is
skipped with the reason; ROADMAP_TUI_CI=1 (set by .ci/run) turns that into a failure.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from contrast import MIN_TEXT, contrast
from support import free_port, make_sample
from terminal import TMUX, VISITS, Color, Screen, Terminal, plain, sgr_colors, visit

SSHD = shutil.which("sshd", path="/usr/sbin:/usr/local/sbin:/sbin")
SSH = shutil.which("ssh")
KEYGEN = shutil.which("ssh-keygen")
CLI = Path(sys.executable).with_name("roadmap-tui")
REQUIRED = os.environ.get("ROADMAP_TUI_CI") == "1"
THEMES = ("roadmap-dark", "roadmap-projector", "roadmap-contrast")  # the order ctrl+t cycles
SHARE = 0.05  # a colour pair drawing at least this share of a screen's letters is body text


def unavailable(reason: str) -> NoReturn:
    if REQUIRED:
        pytest.fail(f"{reason} (and ROADMAP_TUI_CI=1)")
    pytest.skip(reason)


# -- the server ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    port: int
    user: str
    key: Path  # the client's private key, authorized on the server


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (sshd's per-connection processes start their own sessions)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                parent = int(stat.rsplit(")", 1)[1].split()[1])
                parents.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def server_config(folder: Path, port: int) -> Path:
    config = folder / "sshd_config"
    config.write_text(
        f"ListenAddress 127.0.0.1\nPort {port}\n"
        f"HostKey {folder / 'host_key'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\n"
        f"PidFile {folder / 'sshd.pid'}\n"
        "PubkeyAuthentication yes\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n"
        "StrictModes no\nUsePAM no\nPrintMotd no\nPrintLastLog no\n"
        "X11Forwarding no\nAllowTcpForwarding no\nLogLevel VERBOSE\n"
    )
    return config


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[Server]:
    tools = {"sshd": SSHD, "ssh": SSH, "ssh-keygen": KEYGEN, "tmux": TMUX}
    missing = [name for name, path in tools.items() if path is None]
    if missing:
        unavailable(f"{', '.join(missing)} not installed (.ci/install-sshd installs them)")
    if os.geteuid() == 0:  # sshd run by root needs its privilege separation directory
        with contextlib.suppress(OSError):
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    folder = tmp_path / "sshd"
    folder.mkdir()
    for name in ("host_key", "client_key"):
        subprocess.run(
            [str(KEYGEN), "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)],
            check=True,
            timeout=30,
        )
    (folder / "authorized_keys").write_text((folder / "client_key.pub").read_text())
    log = folder / "sshd.log"
    for attempt in range(3):  # another process may take the free port first
        port = free_port()
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(SSHD), "-D", "-e", "-f", str(server_config(folder, port))],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 10
        while f"listening on 127.0.0.1 port {port}" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        else:
            break
        process.kill()
        process.wait(timeout=10)
        said = log.read_text(errors="replace").strip()
        if "Address already in use" not in said or attempt == 2:
            unavailable(f"sshd did not start: {said.splitlines()[-1] if said else 'no output'}")
    try:
        try:
            user = pwd.getpwuid(os.getuid()).pw_name
        except KeyError:
            unavailable(f"no passwd entry for uid {os.getuid()}: sshd cannot log it in")
        yield Server(port, user, folder / "client_key")
    finally:
        left = descendants(process.pid)  # a session still open if the test failed midway
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        for pid in left:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


# -- reading colours ----------------------------------------------------------------------------


def text_colors(screen: Screen) -> Counter[tuple[Color, Color]]:
    """How many letters and digits each (foreground, background) pair draws."""
    return Counter(cell.colors for row in screen.rows for cell in row if cell.char.isalnum())


def assert_readable(screen: Screen, where: str) -> None:
    pairs = text_colors(screen)
    total = sum(pairs.values())
    assert total > 200, f"{where}: hardly any text on screen:\n{screen.text}"
    for (fg, bg), letters in pairs.most_common():
        if letters < SHARE * total:
            break
        assert isinstance(fg, int) and isinstance(bg, int), f"{where}: text in {fg} on {bg}"
        ratio = contrast(fg, bg)
        sample = "".join(c.char for row in screen.rows for c in row if c.colors == (fg, bg))
        assert ratio >= MIN_TEXT, (
            f"{where}: {letters} of {total} letters are colour {fg} on {bg}, "
            f"contrast {ratio:.2f} < {MIN_TEXT}: {sample.strip()[:60]!r}"
        )


# -- the test -----------------------------------------------------------------------------------


def test_the_app_over_ssh_works_by_keys_and_reads_well_in_256_colours(
    sshd: Server, tmp_path: Path
) -> None:
    assert CLI.exists(), f"{CLI} is missing: install the project with pip install -e '.[dev]'"
    workspace = make_sample(tmp_path)
    # What the remote shell runs: no COLORTERM (OpenSSH would not forward it anyway) and
    # nothing else that picks the colours.
    remote = ["env", "-u", "COLORTERM", "-u", "NO_COLOR", "-u", "TEXTUAL_COLOR_SYSTEM",
              "TERM=xterm-256color", "LC_ALL=C.UTF-8", "TZ=UTC",
              str(CLI), "open", str(workspace), "--as", "facilitator"]  # fmt: skip
    ssh = [str(SSH), "-F", "/dev/null", "-tt", "-e", "none", "-i", str(sshd.key),
           "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
           "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
           "-o", "LogLevel=ERROR", "-p", str(sshd.port), f"{sshd.user}@127.0.0.1",
           shlex.join(remote)]  # fmt: skip
    # The local terminal can do truecolor and says so; the app on the server never hears it.
    local = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
             "TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8"}  # fmt: skip
    terminal = Terminal(ssh, size=(80, 24), folder=tmp_path, env=local)
    seen: list[tuple[str, Screen]] = []
    try:
        seen.append(("roadmap-dark, Overview", terminal.wait_for("Top ranked", timeout=30)))
        for key, title, _ in VISITS:
            seen.append((f"roadmap-dark, {title}", visit(terminal, key)))
        terminal.press("F1")  # a function key: an escape sequence through ssh
        terminal.wait_for("esc closes")
        terminal.press("Escape")
        terminal.wait_until(lambda s: "esc closes" not in s and "Top ranked" in s, "help closed")
        for theme in THEMES[1:]:  # ctrl+t: the next theme, at 256 colours too
            terminal.press("C-t")
            seen.append((f"{theme}, Overview", terminal.wait_for(f"Theme: {theme}")))
            for key, title, _ in (info for info in VISITS if info[0] in "sp"):
                seen.append((f"{theme}, {title}", visit(terminal, key)))
            visit(terminal, "o")
        terminal.press("C-q")
        status = terminal.wait_exit(timeout=30)
    finally:
        terminal.close()
    output = terminal.output
    assert status == 0, plain(output)  # ssh -tt exits with the remote command's status
    assert b"Traceback" not in output, plain(output)

    colors = sgr_colors(output)
    truecolor = {color for color in colors if isinstance(color, tuple)}
    assert not truecolor, f"truecolor (38;2/48;2) over SSH without COLORTERM: {truecolor}"
    palette = {color for color in colors if isinstance(color, int) and color >= 16}
    assert len(palette) >= 8, f"expected the 256-colour palette (38;5;N), saw {set(colors)}"
    for where, screen in seen:
        assert_readable(screen, where)
