"""B6: time to the first vote, 10,000 and 2,000 features, against a bare app's first frame.

As a participant starts a workshop: launch the app in a real pty at 120x40,
press `s` as soon as the Overview's first frame is out, and stop the clock
when the Score screen is ready for a vote (the status line says whom you vote
as, and the selected feature's rank is shown: the board is built). The bare
Textual app's first frame (B1's baseline) runs alternately with it.

Two starts of each size: one after another session changed the file (the
Overview the file keeps no longer holds), and one that finds the Overview
kept at the file's last change. The ratio is the slower of the two at the
larger size.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import synthetic
from .results import Result, median
from .startup import APP_MARKERS, BARE, BARE_MARKERS, CTRL_Q, SIZE, changed, first_frame
from .terminal import Terminal

# Ready for a vote: the board is built (the status names the voter) and the cursor's
# feature, the top-ranked one, shows its rank.
READY_MARKERS = ["Voting as", "Participant 1", "rank 1 · score", "Value vs effort"]
VOTER = "p1"  # a participant: no "who is voting here?" question


def vote_command(path: Path) -> list[str]:
    return [sys.executable, "-m", "roadmap_tui", "open", str(path), "--as", VOTER]


def first_vote(path: Path) -> tuple[float, float]:
    """Seconds from launch to the first frame, and to the Score screen ready for a vote."""
    with Terminal(vote_command(path), SIZE, {}) as terminal:
        frame = terminal.wait_for(APP_MARKERS, timeout=120)
        terminal.send(b"s")
        ready = terminal.wait_for(READY_MARKERS, timeout=120)
        terminal.send(CTRL_Q)  # as a user quits: the next start finds the file closed
        terminal.process.wait(30)
    return frame, ready


def run(workdir: Path, quick: bool) -> list[Result]:
    sizes = (100, 500) if quick else (2_000, 10_000)
    runs = 1 if quick else 7
    bare: list[float] = []
    figures: dict[str, float | int | str] = {}
    worst: dict[int, float] = {}
    first_frame(BARE, BARE_MARKERS)  # warm the file cache
    for features in sizes:
        with synthetic.scratch(synthetic.workspace(workdir, features)) as path:
            first_vote(path)  # warms the cache; the Overview is kept when it closes
            timings: dict[str, list[tuple[float, float]]] = {"changed": [], "kept": []}
            for number in range(runs):
                bare.append(first_frame(BARE, BARE_MARKERS))
                timings["changed"].append(first_vote(changed(path, number)))
                timings["kept"].append(first_vote(path))
        for case, label in (("changed", "after another session's change"), ("kept", "kept")):
            frames = median([frame for frame, _ in timings[case]])
            ready = median([ready for _, ready in timings[case]])
            figures[f"{features:,} features, {label}: first vote (ms)"] = round(ready * 1000, 1)
            figures[f"{features:,} features, {label}: first frame (ms)"] = round(frames * 1000, 1)
        worst[features] = max(median([r for _, r in timings[c]]) for c in timings)
    baseline = median(bare)
    figures["bare Textual app, first frame (ms)"] = round(baseline * 1000, 1)
    for features, seconds in worst.items():
        figures[f"{features:,} features / bare app"] = round(seconds / baseline, 2)
    ratio = worst[sizes[-1]] / baseline
    return [
        Result(
            "B6 first vote",
            f"launch to the Score screen ready for a vote, {sizes[-1]:,} features / bare "
            "app's first frame",
            ratio,
            "<= 3",
            ratio <= 3,
            figures,
        )
    ]
