"""B4: bytes written to the terminal for one score keystroke at 120x40, in a real pty.

On the bundled sample (a workshop's size) and on 10,000 features, sorted by
title: a vote there changes its cell, the feature's score and rank, the panels
and the chart, but not the order of the rows. Sorted by rank, a vote also
moves the rows it passes on screen (each a full line, about 0.4 KB); those
figures are printed too, and for scale the Score screen's first full paint.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from roadmap_tui.exchange import read_toml
from roadmap_tui.workspace import Workspace

from . import synthetic
from .results import Result
from .startup import APP_MARKERS, SIZE, app_command
from .terminal import Terminal

SCORE_MARKERS = ["Value vs effort", "Economics"]
SAMPLE = Path(__file__).parent.parent / "sample_workspaces" / "grocery-forecasting.toml"
VOTES = "3434343434"
DOWN = b"\x1b[B"


def sample(workdir: Path) -> Path:
    path = workdir / "grocery-forecasting.db"
    if not path.exists():
        Workspace.create(path, read_toml(SAMPLE), actor=synthetic.ACTOR).close()
    return path


def keystroke_bytes(path: Path, setup: list[bytes], votes: str) -> tuple[list[int], int]:
    """Bytes per vote, and the bytes of the Score screen's first paint."""
    with synthetic.scratch(path) as copy, Terminal(app_command(copy), SIZE, {}) as terminal:
        terminal.wait_for(APP_MARKERS, timeout=120)
        terminal.quiet()
        before = len(terminal.output)
        terminal.send(b"s")
        terminal.wait_for(SCORE_MARKERS, timeout=120)
        terminal.quiet()
        paint = len(terminal.output) - before
        for key in setup:
            terminal.send(key)
            terminal.quiet(0.3)
        sizes = []
        for key in votes.encode():
            before = len(terminal.output)
            terminal.send(bytes([key]))
            terminal.quiet(0.3)
            sizes.append(len(terminal.output) - before)
    return sizes, paint


def run(workdir: Path, quick: bool) -> list[Result]:
    features = 500 if quick else 10_000
    votes = VOTES[:3] if quick else VOTES
    big = synthetic.workspace(workdir, features)
    by_title = [b"S", b"S"]  # rank -> score -> title: a vote changes cells, not the order
    small_title, paint = keystroke_bytes(sample(workdir), by_title, votes)
    big_title, _ = keystroke_bytes(big, by_title, votes)
    # by rank: the top feature's votes move it; then the fourth-ranked feature's
    small_rank, _ = keystroke_bytes(sample(workdir), [], votes)
    big_rank, _ = keystroke_bytes(big, [DOWN] * 3, votes)
    worst = max(statistics.median(small_title), statistics.median(big_title))
    return [
        Result(
            "B4 bytes per keystroke",
            "KB written for one vote at 120x40 (the larger of the first two figures)",
            worst / 1024,
            "<= 2",
            worst / 1024 <= 2,
            {
                "sample workspace, by title (bytes, median)": statistics.median(small_title),
                f"{features:,} features, by title (bytes, median)": statistics.median(big_title),
                "sample workspace, by rank: the vote moves rows (bytes, median)": (
                    statistics.median(small_rank)
                ),
                f"{features:,} features, by rank: the vote moves rows (bytes, median)": (
                    statistics.median(big_rank)
                ),
                "the Score screen's first full paint (bytes)": paint,
            },
        )
    ]
