"""Fixtures and pytest's hooks; what tests import by name (files, the app, typing, what the
screen shows) is in support.py."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.widgets import Input, TextArea

from roadmap_tui.models import Plan
from roadmap_tui.workspace import Workspace
from support import INFO, make_sample

# Activity times are shown in local time: pin it, so snapshots do not depend on the machine.
os.environ["TZ"] = "UTC"
time.tzset()

# Each test's app parses the same stylesheets again (80-90 ms of every app test, a tenth of
# the suite's time; issue 21). Parsed once per worker here: the same source with the same
# theme variables gives the same rules, which no one changes after the parse. A sheet that
# fails to parse is not kept, so it fails in every test that loads it.
_parsed: dict[tuple[object, ...], list[RuleSet]] = {}
_parse_rules = Stylesheet._parse_rules


def _parse_rules_once(self: Stylesheet, css: str, **how: object) -> list[RuleSet]:
    key = (css, *sorted(how.items()), *sorted(self._variables.items()))
    if key not in _parsed:
        _parsed[key] = _parse_rules(self, css, **how)  # type: ignore[arg-type]
    return _parsed[key]


Stylesheet._parse_rules = _parse_rules_once  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    """A test run keeps hundreds of thousands of objects alive (modules, apps, widgets), and
    Python's young collections, every 700 allocations, kept scanning them: 8% of the app
    tests' CPU time (issue 21). The app's own collector (collector.py) starts from these
    thresholds as it does from Python's."""
    gc.freeze()  # what collection and the imports built lives as long as the run
    gc.set_threshold(50_000, 20, 100)


def pytest_unconfigure(config: pytest.Config) -> None:
    # A worker of pytest -n ends when execnet interrupts its main thread (KeyboardInterrupt):
    # landing in a collection's callback (hypothesis keeps one), it was printed as an
    # "unraisable exception" at the end of every run. Nothing is left to collect by then.
    gc.disable()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-monkey",
        action="store_true",
        help="run the long monkey tests too (marker monkey; or select them with -m monkey)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The slow tests go first: run in parallel (-n), the others fill the time beside them
    instead of a worker ending alone on one. The monkey runs take minutes each: opt-in, so
    the suite a developer waits on stays quick; CI runs them in a step of their own."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable
    if config.getoption("--run-monkey") or "monkey" in config.getoption("markexpr", ""):
        return
    skip = pytest.mark.skip(
        reason="a monkey run takes minutes: opt in with --run-monkey or -m monkey "
        "(CI runs them in a step of their own)"
    )
    for item in items:
        if item.get_closest_marker("monkey"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A focused field's cursor stays drawn. It blinks every half second, so a screenshot
    taken on a busy machine (pytest -n, other work) caught it either way."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    """The grocery sample as a fresh workspace file."""
    return make_sample(tmp_path)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """Where a test's workspace file goes."""
    return tmp_path / "workspace.db"


@pytest.fixture
def new_plan() -> Plan:
    """What `ws` is created with: a name and nothing else (a test file overrides it)."""
    return Plan(workspace=INFO)


@pytest.fixture
def ws(path: Path, new_plan: Plan) -> Iterator[Workspace]:
    """A new workspace at `path`, open as ann."""
    with Workspace.create(path, new_plan, actor="ann") as opened:
        yield opened
