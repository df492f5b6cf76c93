"""B5: peak memory with 10,000 features open on the Score screen, against a bare app.

Both run in a real pty; the figure is the kernel's high-water mark of the
process's resident memory (VmHWM), read once the screen is drawn.
"""

from __future__ import annotations

from pathlib import Path

from . import synthetic
from .results import Result
from .startup import APP_MARKERS, BARE, BARE_MARKERS, SIZE, app_command
from .terminal import Terminal

SCORE_MARKERS = ["Value vs effort", "Economics"]


def peak_kb(terminal: Terminal) -> int:
    status = Path(f"/proc/{terminal.process.pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1])


def run(workdir: Path, quick: bool) -> list[Result]:
    features = 500 if quick else 10_000
    with Terminal(BARE, SIZE, {}) as terminal:
        terminal.wait_for(BARE_MARKERS)
        terminal.quiet()
        bare = peak_kb(terminal)
    # a copy: the app writes to the file it opens (its session, the Overview it keeps)
    with (
        synthetic.scratch(synthetic.workspace(workdir, features)) as path,
        Terminal(app_command(path), SIZE, {}) as terminal,
    ):
        terminal.wait_for(APP_MARKERS, timeout=120)
        terminal.quiet()
        terminal.send(b"s")
        terminal.wait_for(SCORE_MARKERS, timeout=120)
        terminal.quiet()
        app = peak_kb(terminal)
    ratio = app / bare
    return [
        Result(
            "B5 peak memory",
            f"{features:,} features on the Score screen / bare Textual app",
            ratio,
            "<= 2.5",
            ratio <= 2.5,
            {
                "app peak RSS (MB)": round(app / 1024, 1),
                "bare app peak RSS (MB)": round(bare / 1024, 1),
            },
        )
    ]
