"""Shared fixtures: a sample workspace with a fixed clock and actor, so screens are stable."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from roadmap_tui.exchange import read_toml
from roadmap_tui.models import Plan, WorkspaceInfo
from roadmap_tui.starter import STARTER_CRITERIA
from roadmap_tui.workspace import Workspace

# Activity times are shown in local time: pin it, so snapshots do not depend on the machine.
os.environ["TZ"] = "UTC"
time.tzset()

SAMPLES = Path(__file__).parent.parent / "sample_workspaces"
ACTOR = "facilitator"
MOMENT = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def fixed_clock() -> dt.datetime:
    return MOMENT


def make_sample(folder: Path, sample: str = "grocery-forecasting") -> Path:
    path = folder / f"{sample}.db"
    plan = read_toml(SAMPLES / f"{sample}.toml")
    Workspace.create(path, plan, actor=ACTOR, clock=fixed_clock).close()
    return path


def make_empty(folder: Path, seed: Plan | None = None) -> Path:
    """What `roadmap-tui new` creates: a name and the starter criteria (plus `seed`'s records)."""
    path = folder / "empty.db"
    plan = Plan(workspace=WorkspaceInfo(name="empty"), criteria=list(STARTER_CRITERIA))
    if seed is not None:
        kinds = ("capabilities", "features", "risks", "policies", "decisions")
        plan = plan.model_copy(update={kind: getattr(seed, kind) for kind in kinds})
    Workspace.create(path, plan, actor=ACTOR, clock=fixed_clock).close()
    return path


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    """The grocery sample as a fresh workspace file."""
    return make_sample(tmp_path)
