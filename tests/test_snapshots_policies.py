"""Snapshot tests of the Policies screen: 80x24 and 120x40, dark and projector, plus search,
coverage and the editor. Deterministic: the clock and actor are fixed (support.py), the time
zone too (conftest.py), and "today" is pinned to the fixed clock's date, so review dates read
the same every day.

Update with `pytest tests/test_snapshots_policies.py --snapshot-update`, then look at every
changed picture (../shared/tools/snapshots-to-png) before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap_tui.screens.policies import PoliciesScreen
from support import MOMENT, app_for, make_sample

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PoliciesScreen, "TODAY", MOMENT.date())


@pytest.mark.parametrize("theme", ["roadmap-dark", "roadmap-projector"])
@pytest.mark.parametrize("size", SIZES)
def test_policies(snap_compare, tmp_path: Path, size: str, theme: str) -> None:
    app = app_for(make_sample(tmp_path), theme=theme)
    assert snap_compare(app, press=["p"], terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_search_as_you_type(snap_compare, tmp_path: Path, size: str) -> None:
    app = app_for(make_sample(tmp_path))
    assert snap_compare(app, press=["p", "slash", *"forec"], terminal_size=SIZES[size])


def test_search_that_cannot_run_says_why(snap_compare, tmp_path: Path) -> None:
    app = app_for(make_sample(tmp_path), theme="roadmap-projector")
    assert snap_compare(app, press=["p", "slash", "asterisk"], terminal_size=(80, 24))


def test_coverage_at_80x24(snap_compare, tmp_path: Path) -> None:
    app = app_for(make_sample(tmp_path, "bank-fraud-credit"))
    assert snap_compare(app, press=["p", "c"], terminal_size=(80, 24))


def test_editor(snap_compare, tmp_path: Path) -> None:
    app = app_for(make_sample(tmp_path))
    assert snap_compare(app, press=["p", "e"], terminal_size=(80, 24))
