"""Shared fixtures: a sample workspace with a fixed clock and actor, so screens are stable."""

from __future__ import annotations

import datetime as dt
import gc
import os
import socket
import time
import unicodedata
from pathlib import Path

import pytest
from textual import events
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from roadmap_tui.exchange import read_toml
from roadmap_tui.models import Plan, WorkspaceInfo
from roadmap_tui.starter import STARTER_CRITERIA
from roadmap_tui.workspace import Workspace

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


def key_event(key: str) -> events.Key:
    """The Key event Pilot.press sends for `key`, but a character is always itself.

    (Pilot sends "€" as euro_sign with no character; a terminal sends the "€".)
    """
    if len(key) == 1:
        return events.Key(_character_to_key(key), key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = None
    return events.Key(key, char)


async def send(pilot: Pilot, key: str) -> None:
    """One key, then wait for the screen to process it (pilot.pause(0)).

    Pilot.press waits for the CPU to be idle twice per key (40 ms or more), which makes
    typing a line or sweeping every key take seconds; this is the same event, waited
    for by message count instead. The app handles keys in the order they came
    (keys_in_order.py), however fast they come.
    """
    pilot.app.post_message(key_event(key))
    await pilot.pause(0)


async def type_keys(pilot: Pilot, *keys: str) -> None:
    """Keys as a fast typist's arrive (see `send`), then a full pause: the screen, its
    timers and workers have caught up, as after Pilot.press."""
    for key in keys:
        await send(pilot, key)
    await pilot.pause()


def free_port() -> int:
    """A loopback port no one listens on: the kernel's choice for port 0, so tests running
    side by side (pytest -n, or two checkouts) never share one the way a fixed port would."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pytest_configure(config: pytest.Config) -> None:
    """A test run keeps hundreds of thousands of objects alive (modules, apps, widgets), and
    Python's young collections, every 700 allocations, kept scanning them: 8% of the app
    tests' CPU time (issue 21). The app's own collector (collector.py) starts from these
    thresholds as it does from Python's."""
    gc.freeze()  # what collection and the imports built lives as long as the run
    gc.set_threshold(50_000, 20, 100)


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
