"""B1: start-up to the first full frame, 2,000 features, against a bare Textual app.

Both run as a user starts them, in a real pty at 120x40: the time is from
spawning the process to the moment the last piece of the first full screen has
been written (for the app: the Overview's panels and the footer). Runs
alternate between them, so a busy moment of the machine hits all.

The ratio is a start that finds the Overview kept in the file (the app keeps it
whenever it computes it, and when it closes): every start but the first after
a change made without the app, such as an import. That start, which computes the
Overview from the records before the first frame, is timed too, on a copy that
another session changed just before each run. Neither is the app on an empty
workspace: it shows what start-up costs before there is any data.
"""

from __future__ import annotations

import sys
from pathlib import Path

from roadmap_tui.models import Participant
from roadmap_tui.workspace import Workspace

from . import synthetic
from .results import Result, median
from .terminal import Terminal

SIZE = (120, 40)
BARE = [sys.executable, str(Path(__file__).with_name("bare_app.py"))]
BARE_MARKERS = ["bare app ready", "palette"]
APP_MARKERS = ["Top ranked", "Blocked value", "Recent activity", "palette"]
CTRL_Q = b"\x11"


def app_command(path: Path) -> list[str]:
    # As the facilitator: any name that is no participant's is asked whom it votes as, in a
    # dialog over the first screen that ctrl+q does not close.
    return [sys.executable, "-m", "roadmap_tui", "open", str(path), "--as", "facilitator"]


def first_frame(command: list[str], markers: list[str]) -> float:
    with Terminal(command, SIZE, {}) as terminal:
        seconds = terminal.wait_for(markers)
        # Quit as a user does, so the next start finds the file closed, not crashed (a
        # killed app leaves its -wal behind, which the next start recovers).
        terminal.send(CTRL_Q)
        terminal.process.wait(30)
    return seconds


def changed(path: Path, run: int) -> Path:
    """`path` after another session's change: the Overview kept in it no longer holds."""
    with Workspace.open(path, actor="another") as ws:
        renamed = Participant(id="another", name=f"Another session, run {run}")
        ws.save(renamed, base=ws.get("participants", "another"))  # None the first time
    return path


def run(workdir: Path, quick: bool) -> list[Result]:
    features = 200 if quick else 2_000
    runs = 1 if quick else 7
    # copies: the app writes to the file it opens (its session, the Overview it keeps)
    with (
        synthetic.scratch(synthetic.workspace(workdir, features)) as path,
        synthetic.scratch(synthetic.workspace(workdir, 0)) as empty,  # before any data
    ):
        first_frame(BARE, BARE_MARKERS)  # warm the file cache for all
        first_frame(app_command(path), APP_MARKERS)  # computes the Overview and keeps it
        first_frame(app_command(empty), APP_MARKERS)
        bare, app, computed, floor = [], [], [], []
        for number in range(runs):
            bare.append(first_frame(BARE, BARE_MARKERS))
            app.append(first_frame(app_command(path), APP_MARKERS))
            computed.append(first_frame(app_command(changed(path, number)), APP_MARKERS))
            floor.append(first_frame(app_command(empty), APP_MARKERS))
    ratio = median(app) / median(bare)
    return [
        Result(
            "B1 start-up",
            f"first full frame, {features:,} features / bare Textual app",
            ratio,
            "<= 1.3",
            ratio <= 1.3,
            {
                f"app, Overview kept in the file (ms, median of {runs})": round(
                    median(app) * 1000, 1
                ),
                "bare Textual app (ms)": round(median(bare) * 1000, 1),
                "app after another session's change (ms)": round(median(computed) * 1000, 1),
                "after a change / bare app": round(median(computed) / median(bare), 2),
                "app on an empty workspace (ms)": round(median(floor) * 1000, 1),
                "empty workspace / bare app": round(median(floor) / median(bare), 2),
            },
        )
    ]
