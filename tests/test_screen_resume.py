"""A screen shown again is styled as if Textual had restyled it all.

Switching back to a screen skips Textual's restyle of all its nodes when
nothing that styles it changed meanwhile (screens/base.py): half of a
switch's time. Each test changes one such thing while the screen is in the
background (the theme; the terminal's size, which sets the app's -too-small
class) and compares every node's style with the same steps run with the
restyle forced on every switch.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from itertools import count
from pathlib import Path

import pytest
from textual.pilot import Pilot

from conftest import ACTOR, fixed_clock, make_sample
from roadmap_tui.app import RoadmapApp, make_app
from roadmap_tui.screens.base import WorkspaceScreen
from roadmap_tui.themes import THEME_NAMES

SIZE = (80, 24)
NODE_STYLES = ("background", "color", "display", "visibility", "text_style", "border_top")
Steps = Callable[[RoadmapApp, Pilot], Awaitable[None]]


def styles_of(app: RoadmapApp) -> list[tuple[str, tuple[object, ...]]]:
    """Each node of the shown screen, with the styles that decide how it looks."""
    return [
        (repr(node), tuple(getattr(node.styles, name) for name in NODE_STYLES))
        for node in app.screen.walk_children(with_self=True)
    ]


async def run(folder: Path, steps: Steps) -> list[tuple[str, tuple[object, ...]]]:
    folder.mkdir()
    app = make_app(
        make_sample(folder), actor=ACTOR, clock=fixed_clock
    )  # its own: it keeps the theme
    async with app.run_test(size=SIZE) as pilot:
        await steps(app, pilot)
        await pilot.pause()
        return styles_of(app)


async def compare(folder: Path, steps: Steps, monkeypatch: pytest.MonkeyPatch) -> None:
    shown = await run(folder / "skipping", steps)
    ever_new = count()  # a context never the same: every resume restyles, as Textual's does
    monkeypatch.setattr(WorkspaceScreen, "_style_context", lambda self: next(ever_new))
    assert shown == await run(folder / "restyling", steps)


async def test_a_screen_shown_again_after_a_theme_change_wears_the_new_theme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def steps(app: RoadmapApp, pilot: Pilot) -> None:
        await pilot.press("s")  # the Score screen is built, then left in the background
        await pilot.pause()
        await pilot.press("o")
        before = styles_of(app)
        app.theme = next(name for name in THEME_NAMES if name != app.theme)
        await pilot.pause()
        assert styles_of(app) != before  # the theme shows where the room is
        await pilot.press("s")

    await compare(tmp_path, steps, monkeypatch)


async def test_a_screen_shown_again_after_a_resize_is_styled_for_the_new_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def steps(app: RoadmapApp, pilot: Pilot) -> None:
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("o")
        await pilot.resize_terminal(60, 20)  # below the minimum: the app says so
        await pilot.pause()
        assert app.has_class("-too-small")
        await pilot.press("m")

    await compare(tmp_path, steps, monkeypatch)
