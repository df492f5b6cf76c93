"""Shared fixtures: a sample workspace with a fixed clock and actor, so screens are stable."""

from __future__ import annotations

import datetime as dt
import os
import socket
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


def free_port() -> int:
    """A loopback port no one listens on: the kernel's choice for port 0, so tests running
    side by side (pytest -n, or two checkouts) never share one the way a fixed port would."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-monkey",
        action="store_true",
        help="run the long monkey tests too (marker monkey; or select them with -m monkey)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The monkey runs take minutes each: opt-in, so the suite a developer waits on stays
    quick; CI runs them in a step of their own (.ci/run)."""
    if config.getoption("--run-monkey") or "monkey" in config.getoption("markexpr", ""):
        return
    skip = pytest.mark.skip(
        reason="a monkey run takes minutes: opt in with --run-monkey or -m monkey "
        "(CI runs them in a step of their own)"
    )
    for item in items:
        if item.get_closest_marker("monkey"):
            item.add_marker(skip)


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    """The grocery sample as a fresh workspace file."""
    return make_sample(tmp_path)
