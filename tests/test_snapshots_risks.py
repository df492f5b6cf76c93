"""Snapshot tests of the Risks screen, its editor and the Overview's net-value flag.

Same rules as tests/test_snapshots.py: a fixture workspace, fixed clock and actor,
80×24 and 120×40, dark and projector. Update with
`pytest tests/test_snapshots_risks.py --snapshot-update`, then look at every changed
picture (../shared/tools/snapshots-to-png) before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support import app_for, make_sample

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
THEMES = ["roadmap-dark", "roadmap-projector"]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
def test_risks(snap_compare, tmp_path: Path, size: str, theme: str) -> None:
    app = app_for(make_sample(tmp_path), theme=theme)
    assert snap_compare(app, press=["r"], terminal_size=SIZES[size])


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
def test_risks_cell_chosen_on_the_heat_map(
    snap_compare, tmp_path: Path, size: str, theme: str
) -> None:
    # the heat map has the focus; 2 × 5 (two high risks) filters the register
    app = app_for(make_sample(tmp_path), theme=theme)
    keys = ["r", "h", "down", "down", "enter"]
    assert snap_compare(app, press=keys, terminal_size=SIZES[size])


@pytest.mark.parametrize("theme", THEMES)
def test_risks_totals_when_narrow(snap_compare, tmp_path: Path, theme: str) -> None:
    app = app_for(make_sample(tmp_path), theme=theme)
    assert snap_compare(app, press=["r", "t", "S"], terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES)
def test_risks_bank_sample_with_a_flagged_feature(snap_compare, tmp_path: Path, size: str) -> None:
    # customer-vulnerability-indicators: net value -£10,000, its risk £12,500 a year
    app = app_for(make_sample(tmp_path, "bank-fraud-credit"))
    assert snap_compare(app, press=["r", "S", "t"], terminal_size=SIZES[size])


def test_overview_flags_a_feature_at_80x24(snap_compare, tmp_path: Path) -> None:
    app = app_for(make_sample(tmp_path, "bank-fraud-credit"))
    assert snap_compare(app, terminal_size=(80, 24))


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
def test_risk_editor(snap_compare, tmp_path: Path, size: str, theme: str) -> None:
    app = app_for(make_sample(tmp_path), theme=theme)
    assert snap_compare(app, press=["r", "e"], terminal_size=SIZES[size])


def test_risk_editor_proposal_for_a_new_risk(snap_compare, tmp_path: Path) -> None:
    # a new risk from the chosen cell 4 × 4: likelihood and impact filled in, category
    # "other" (no proposal yet); the metrics and the proposal below them, scrolled to
    app = app_for(make_sample(tmp_path))
    keys = ["r", "h", "left", "enter", "n", *["tab"] * 8]
    assert snap_compare(app, press=keys, terminal_size=(120, 40))
