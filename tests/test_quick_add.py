"""Quick add: a feature by its title alone (Map and Score), a capability by its name (Map)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from roadmap_tui.app import RoadmapApp
from roadmap_tui.screens.quick_add import QuickAdd
from roadmap_tui.workspace import Workspace
from support import app_for, make_empty


@pytest.fixture(params=["sample", "empty"])
def workspace_path(request, sample_db: Path, tmp_path: Path) -> Path:
    if request.param == "sample":
        return sample_db
    return make_empty(tmp_path)


def stored(path: Path, kind: str) -> dict[str, str]:
    with Workspace.open(path, actor="reader") as workspace:
        return {r.id: getattr(r, "title", None) or r.name for r in getattr(workspace, kind)()}


def shown(app: RoadmapApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def quick_add(pilot, key: str, text: str) -> None:
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, QuickAdd)
    await pilot.press(*text, "enter")
    await pilot.pause()


async def test_a_feature_by_its_title_on_the_map(workspace_path: Path) -> None:
    app = app_for(workspace_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("m")
        await pilot.pause()
        await quick_add(pilot, "a", "Zebra crossing ETA")
        assert stored(workspace_path, "features")["zebra-crossing-eta"] == "Zebra crossing ETA"
        assert list(app._notifications)[-1].message == "Added Zebra crossing ETA"  # not its id
        assert shown(app, "#map-detail").startswith("Zebra crossing ETA")  # the cursor is on it
        await quick_add(pilot, "a", "Zebra crossing ETA!")  # the same id: the next one
        assert stored(workspace_path, "features")["zebra-crossing-eta-2"] == "Zebra crossing ETA!"
        assert shown(app, "#map-detail").startswith("Zebra crossing ETA!")


async def test_a_feature_by_its_title_on_score(workspace_path: Path) -> None:
    app = app_for(workspace_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await quick_add(pilot, "a", "Aardvark scoring")
        assert "aardvark-scoring" in stored(workspace_path, "features")
        assert shown(app, "#score-economics-title") == "Aardvark scoring"


async def test_a_capability_by_its_name_on_the_map(workspace_path: Path) -> None:
    app = app_for(workspace_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        await quick_add(pilot, "C", "GPU pool")
        assert stored(workspace_path, "capabilities")["gpu-pool"] == "GPU pool"
        assert "= GPU pool ·" in shown(app, "#map-column")


async def test_a_blank_title_is_said_and_escape_adds_nothing(workspace_path: Path) -> None:
    app = app_for(workspace_path)
    before = stored(workspace_path, "features")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        await quick_add(pilot, "a", "   ")
        assert isinstance(app.screen, QuickAdd)
        assert "title: is required" in str(app.screen.query_one("#quick-error").content)
        await pilot.press(*"Half typed", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuickAdd)
    assert stored(workspace_path, "features") == before
