"""Snapshot tests: every screen at 80x24 and 120x40, dark and light, from the grocery sample.

Deterministic by construction: the audit clock and actor are fixed (support.py), the
time zone is pinned, and nothing on screen reads the clock or the login name.
Update with `pytest tests/test_snapshots.py --snapshot-update`, then look at every
changed picture (../shared/tools/snapshots-to-png) before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap_tui.screens import SCREENS
from support import app_for, make_empty, make_sample

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.mark.parametrize("theme", ["roadmap-dark", "roadmap-projector"])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key", [info.key for info in SCREENS], ids=[i.mode for i in SCREENS])
def test_screen(snap_compare, tmp_path: Path, key: str, size: str, theme: str) -> None:
    app = app_for(make_sample(tmp_path), theme=theme)
    assert snap_compare(app, press=[key], terminal_size=SIZES[size])


def test_help_in_high_contrast(snap_compare, tmp_path: Path) -> None:
    app = app_for(make_sample(tmp_path), theme="roadmap-contrast")
    assert snap_compare(app, press=["f1"], terminal_size=(80, 24))


def test_too_small(snap_compare, tmp_path: Path) -> None:
    app = app_for(make_sample(tmp_path))
    assert snap_compare(app, terminal_size=(60, 18))


def test_bank_sample_overview(snap_compare, tmp_path: Path) -> None:
    app = app_for(make_sample(tmp_path, "bank-fraud-credit"))
    assert snap_compare(app, terminal_size=(120, 40))


@pytest.mark.parametrize("key", [info.key for info in SCREENS], ids=[i.mode for i in SCREENS])
def test_empty_workspace(snap_compare, tmp_path: Path, key: str) -> None:
    """What `roadmap-tui new` opens on: every screen says the next step."""
    app = app_for(make_empty(tmp_path))
    assert snap_compare(app, press=[key], terminal_size=(80, 24))


def test_participants_panel(snap_compare, tmp_path: Path) -> None:
    app = app_for(make_sample(tmp_path))
    assert snap_compare(app, press=["s", "P"], terminal_size=(80, 24))


def test_join_dialog(snap_compare, tmp_path: Path) -> None:
    """A name that is none of the participants is asked whom it votes as."""
    app = app_for(make_sample(tmp_path), actor="kim", join=True)

    async def settle(pilot) -> None:
        await pilot.pause()

    assert snap_compare(app, run_before=settle, terminal_size=(80, 24))
