"""Hostile user text, a workspace full of it, and a real pty to run the app in.

DESIGN.md, "Text is data". Every string starts with a tag (``Hq`` + a letter)
that appears nowhere else, so a test can tell that what it finds on screen, or
in the bytes the app writes, came from the data. Ids stay valid slugs.
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from roadmap_tui.exchange import read_toml
from roadmap_tui.models import LINE_BREAK, TITLE_MAX, Plan
from roadmap_tui.workspace import Clock, Workspace

SAMPLES = Path(__file__).parent.parent / "sample_workspaces"

# -- terminal sequences planted in the data: none may reach the terminal as bytes ------------

CSI_CLEAR = "\x1b[2J"  # erase the whole screen
CSI_SGR = "\x1b[5;31m"  # blinking red
OSC_52 = "\x1b]52;c;SE9TVElMRQ==\x07"  # put "HOSTILE" on the clipboard
OSC_TITLE = "\x1b]0;pwned-title\x07"  # set the window title
OSC_8 = "\x1b]8;;https://evil.example/\x1b\\"  # start a hyperlink
DCS = "\x1bP+q544e\x1b\\"  # XTGETTCAP: the terminal would answer on the app's stdin
C1_CSI = "\x9b2J"  # 8-bit CSI: erase the screen on terminals that honour C1
C1_OSC = "\x9d0;c1-title\x9c"  # 8-bit OSC ... ST

# -- the hostile strings --------------------------------------------------------------------

MARKUP_ACTION = "Hqa[@click=app.quit]quit[/] [b]bold[/b]"
MARKUP_BROKEN = "Hqb a[/ [/] [red]x $accent [link=https://evil.example/]y"
ESCAPES = f"Hqc{CSI_CLEAR}{CSI_SGR}red{OSC_TITLE}t"
OSC = f"Hqd{OSC_52}{OSC_8}link"
C1 = f"Hqe{C1_CSI}{C1_OSC}c1"
C0 = "Hqf\x07bel\x08bs\rcr\nnl\ttab\x00nul\x7fdel\x0bvt\x0cff"
WIDE = "Hqg 漢字テスト ｗｉｄｅ 👩‍👩‍👧‍👦 🇳🇱 한국어"
COMBINING = "Hqh Ze\u0301\u0301\u0301a\u0336\u0337l\u0338g\u0489o n\u0303o\u0308"
RTL = "Hqi \u202eevil.exe\u202c \u2067שלום\u2069 مرحبا بالعالم"
ZERO_WIDTH = "Hqj z\u200bw\u200cj\u200dn\ufeffb\u2060s\u00ad!"
DCS_TEXT = f"Hqk{DCS}dcs"
LONG = ("Hql " + "A very long title that somebody pasted from a document. " * 100)[:5000]

HOSTILE: dict[str, str] = {
    "markup_action": MARKUP_ACTION,
    "markup_broken": MARKUP_BROKEN,
    "escapes": ESCAPES,
    "osc": OSC,
    "c1": C1,
    "c0": C0,
    "wide": WIDE,
    "combining": COMBINING,
    "rtl": RTL,
    "zero_width": ZERO_WIDTH,
    "dcs": DCS_TEXT,
    "long": LONG,
}
assert len(LONG) == 5000

WORKSPACE_NAME = "Hqw[@click=app.quit]W[/] a[/ \x1b]0;ws\x07\x9b1m 漢 \u202eltr"
DESCRIPTION = (
    "Hqm line one\nline\ttwo [@click=app.quit]q[/] a[/\r\n\x1b[2J\x9b3J\x07 漢\u0301\u200b end"
)
# The decision the command palette jumps to: its tag (Hqy) is on no other record.
JUMP_ID = "fund-h1-2027-platform-uplift"
JUMP_TITLE = "Hqy[@click=app.quit]jump[/] a[/ \x1b]52;c;SlVNUA==\x07\x9b2J end"
# Who created the workspace (the audit actor of every record) and who edits it in the app.
ACTOR = "Hqz[@click=app.quit]\x1b]52;c;QUNUT1I=\x07\x9b7m actor"
EDITOR = "Hqx[@click=app.quit][/]\x1b]0;editor\x07\x9b5m editor"
# What "another session" writes while the app runs, and who it says it is.
LIVE_TITLE = "Hqv[@click=app.quit]live[/]\x1b]52;c;TElWRQ==\x07\x9b2J live"
LIVE_ACTOR = "Hqu\x1b]0;live-actor\x07[@click=app.quit]"

# The planted sequences as the bytes a terminal would act on, tagged where the bare
# sequence could also be a legitimate one of Textual's own (BEL ends its OSC 22).
PLANTED: dict[str, bytes] = {
    "CSI erase": CSI_CLEAR.encode(),
    "CSI blink": CSI_SGR.encode(),
    "OSC 52 clipboard": OSC_52.encode(),
    "OSC 0 title": OSC_TITLE.encode(),
    "OSC 8 link": OSC_8.encode(),
    "DCS": DCS.encode(),
    "C1 CSI": C1_CSI.encode(),
    "C1 OSC": C1_OSC.encode(),
    "C0 BEL": b"Hqf\x07",
    "C0 BS": b"bel\x08",
    "C0 CR": b"bs\rcr",
    "C0 TAB": b"nl\ttab",
    "C0 NUL": b"tab\x00",
    "C0 DEL": b"nul\x7f",
    "workspace name OSC 0": b"\x1b]0;ws\x07",
    "actor OSC 52": b"\x1b]52;c;QUNUT1I=",
    "palette target OSC 52": b"\x1b]52;c;SlVNUA==",
    "live title OSC 52": b"\x1b]52;c;TElWRQ==",
    "live actor OSC 0": b"\x1b]0;live-actor",
}


def rotate(values: list[str], start: int) -> list[str]:
    return values[start:] + values[:start]


# Every user-text field a screen shows (and a few it does not show yet), per kind.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "features": ("title", "owner", "description"),
    "capabilities": ("name", "owner"),
    "criteria": ("name",),
    "participants": ("name", "role"),
    "risks": ("title", "owner", "business_impact"),
    "policies": ("title", "owner", "body"),
    "decisions": ("title", "rationale"),
}


def as_title(text: str) -> str:
    """A hostile string as a title or name may hold it: one line of at most 200 characters."""
    return LINE_BREAK.sub(" ", text)[:TITLE_MAX]


def hostile_plan() -> Plan:
    """The grocery sample with every user-text field replaced by hostile text.

    Each kind's records take the hostile strings in turn, starting at a different
    string per kind and field, so each screen shows many different ones.
    """
    plan = read_toml(SAMPLES / "grocery-forecasting.toml")
    strings = list(HOSTILE.values())
    plan.workspace.name = WORKSPACE_NAME
    plan.workspace.description = DESCRIPTION
    for start, (kind, fields) in enumerate(TEXT_FIELDS.items()):
        for offset, field in enumerate(fields):
            texts = rotate(strings, (3 * start + 5 * offset) % len(strings))
            for i, record in enumerate(getattr(plan, kind)):
                text = texts[i % len(texts)]
                setattr(record, field, as_title(text) if field in ("title", "name") else text)
    for decision in plan.decisions:
        if decision.id == JUMP_ID:
            decision.title = JUMP_TITLE
    return plan


def hostile_workspace(folder: Path, clock: Clock, *, name: str = "hostile.db") -> Path:
    """A workspace file holding `hostile_plan()`, created (so audited) by the hostile ACTOR."""
    path = folder / name
    Workspace.create(path, hostile_plan(), actor=ACTOR, clock=clock).close()
    return path


# -- a real pseudo-terminal -------------------------------------------------------------------


class PtyApp:
    """A child process on a pty of a given size; every byte it writes is kept in `output`."""

    def __init__(self, args: list[str], size: tuple[int, int]) -> None:
        columns, rows = size
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
        env.update(TERM="xterm-256color", TZ="UTC", COLUMNS=str(columns), LINES=str(rows))
        try:
            self.process = subprocess.Popen(
                args,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=env,
                start_new_session=True,
                close_fds=True,
            )
        finally:
            os.close(slave)
        self.output = bytearray()
        self._open = True

    def _read(self, timeout: float) -> None:
        if not self._open:
            time.sleep(timeout)
            return
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the child has gone and the slave side is closed
            data = b""
        if data:
            self.output.extend(data)
        else:
            self._open = False

    def send(self, data: bytes) -> int:
        """Write keys to the app; returns where the output stood, for `wait_for(since=...)`."""
        mark = len(self.output)
        os.write(self.master, data)
        return mark

    def wait_for(self, marker: bytes, *, since: int = 0, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while marker not in self.output[since:]:
            if time.monotonic() > deadline or (not self._open and self.process.poll() is not None):
                tail = bytes(self.output[-1500:])
                raise AssertionError(f"{marker!r} never appeared; the output ended with {tail!r}")
            self._read(0.05)

    def wait_exit(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"the app did not exit within {timeout} s")
            self._read(0.05)
        while self._open:  # drain what is left
            before = len(self.output)
            self._read(0.2)
            if len(self.output) == before:
                break
        return self.process.returncode

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        os.close(self.master)


def pty_app(path: Path, actor: str, size: tuple[int, int]) -> PtyApp:
    """`roadmap-tui open PATH --as ACTOR`, as a user would start it, on a pty of `size`."""
    return PtyApp([sys.executable, "-m", "roadmap_tui", "open", str(path), "--as", actor], size)
