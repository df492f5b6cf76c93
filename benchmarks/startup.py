"""B1: start-up to the first full frame, 2,000 features, against a bare Textual app.

Both run as a user starts them, in a real pty at 120x40: the time is from
spawning the process to the moment the last piece of the first full screen has
been written (for the app: the Overview's panels and the footer). Runs
alternate between them, so a busy moment of the machine hits all. The app on an
empty workspace is not part of the ratio: it shows what start-up costs before
there is any data (imports, stylesheets, widgets).
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import synthetic
from .results import Result, median
from .terminal import Terminal

SIZE = (120, 40)
BARE = [sys.executable, str(Path(__file__).with_name("bare_app.py"))]
BARE_MARKERS = ["bare app ready", "palette"]
APP_MARKERS = ["Top ranked", "Blocked value", "Recent activity", "palette"]


def app_command(path: Path) -> list[str]:
    return [sys.executable, "-m", "roadmap_tui", "open", str(path), "--as", synthetic.ACTOR]


def first_frame(command: list[str], markers: list[str]) -> float:
    with Terminal(command, SIZE, {}) as terminal:
        return terminal.wait_for(markers)


def run(workdir: Path, quick: bool) -> list[Result]:
    features = 200 if quick else 2_000
    path = synthetic.workspace(workdir, features)
    empty = synthetic.workspace(workdir, 0)  # what start-up costs before any data
    runs = 2 if quick else 7
    first_frame(BARE, BARE_MARKERS)  # warm the file cache for all three
    first_frame(app_command(path), APP_MARKERS)
    first_frame(app_command(empty), APP_MARKERS)
    bare, app, floor = [], [], []
    for _ in range(runs):
        bare.append(first_frame(BARE, BARE_MARKERS))
        app.append(first_frame(app_command(path), APP_MARKERS))
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
                f"app (ms, median of {runs})": round(median(app) * 1000, 1),
                "bare Textual app (ms)": round(median(bare) * 1000, 1),
                "app on an empty workspace (ms)": round(median(floor) * 1000, 1),
                "empty workspace / bare app": round(median(floor) / median(bare), 2),
            },
        )
    ]
