"""What tests share, imported by name: sample files, a fixed clock and actor (so screens are
stable), the app opened on a file, typing, and what the screen shows. Fixtures and pytest's
hooks are in conftest.py."""

from __future__ import annotations

import datetime as dt
import socket
import unicodedata
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.strip import Strip

from roadmap_tui.app import RoadmapApp, make_app
from roadmap_tui.exchange import read_toml
from roadmap_tui.models import Plan, WorkspaceInfo
from roadmap_tui.starter import STARTER_CRITERIA
from roadmap_tui.workspace import Workspace

SAMPLES = Path(__file__).parent.parent / "sample_workspaces"
ACTOR = "facilitator"
MOMENT = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
INFO = WorkspaceInfo(name="Demo")  # the `ws` fixture's workspace


def fixed_clock() -> dt.datetime:
    return MOMENT


# -- files ---------------------------------------------------------------------------------------


def make_file(path: Path, plan: Plan) -> Path:
    """A workspace file holding `plan`, written by ACTOR at MOMENT."""
    Workspace.create(path, plan, actor=ACTOR, clock=fixed_clock).close()
    return path


def make_sample(folder: Path, sample: str = "grocery-forecasting") -> Path:
    return make_file(folder / f"{sample}.db", read_toml(SAMPLES / f"{sample}.toml"))


def make_empty(folder: Path, seed: Plan | None = None) -> Path:
    """What `roadmap-tui new` creates: a name and the starter criteria (plus `seed`'s records)."""
    plan = Plan(workspace=WorkspaceInfo(name="empty"), criteria=list(STARTER_CRITERIA))
    if seed is not None:
        kinds = ("capabilities", "features", "risks", "policies", "decisions")
        plan = plan.model_copy(update={kind: getattr(seed, kind) for kind in kinds})
    return make_file(folder / "empty.db", plan)


def stored(path: Path) -> Plan:
    """What the file holds now, read as another session would."""
    with Workspace.open(path, actor="reader") as workspace:
        return workspace.plan()


# -- the app -------------------------------------------------------------------------------------


def app_for(path: Path, actor: str = ACTOR, **options: Any) -> RoadmapApp:
    """The app on the file at `path`, as `actor`, on the fixed clock (`options`: make_app's)."""
    return make_app(path, actor=actor, clock=fixed_clock, **options)


def screen_strips(app: App) -> list[Strip]:
    """What the terminal shows now, notifications and dialogs included, line by line with
    its styles. The one read of Textual's private Screen._compositor in the tests
    (test_textual_pin.py lists it): Pilot has no public way to read the screen."""
    return app.screen._compositor.render_strips()


def screen_lines(app: App) -> list[str]:
    """What the terminal shows now, as text, line by line."""
    return ["".join(segment.text for segment in strip) for strip in screen_strips(app)]


def screen_text(app: App) -> str:
    """What the terminal shows now, as one text."""
    return "\n".join(screen_lines(app))


# -- typing --------------------------------------------------------------------------------------


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


# -- servers -------------------------------------------------------------------------------------


def free_port() -> int:
    """A loopback port no one listens on: the kernel's choice for port 0, so tests running
    side by side (pytest -n, or two checkouts) never share one the way a fixed port would."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
