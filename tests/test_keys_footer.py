"""The footer is rebuilt once for the binding changes of one refresh (widgets/keys_footer.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap_tui.widgets.keys_footer import KeysFooter
from support import app_for


async def test_binding_changes_in_one_refresh_rebuild_the_footer_once_if_its_keys_changed(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        rebuilds: list[int] = []
        recompose = footer.recompose

        async def counted() -> None:
            rebuilds.append(1)
            await recompose()

        monkeypatch.setattr(footer, "recompose", counted)
        for _ in range(3):
            app.screen.refresh_bindings()
        await pilot.pause()
        assert rebuilds == [], "the same keys: nothing to rebuild"
        await pilot.press("slash")  # the filter box has the focus: its keys join the screen's
        for _ in range(3):
            app.screen.refresh_bindings()
        await pilot.pause()
        assert rebuilds == [1]
        await pilot.press("escape")
        await pilot.pause()
        assert rebuilds == [1, 1], "a later change rebuilds it again"
        keys = {key.description for key in footer.query("FooterKey")}
        assert {"Help", "New feature", "Filter"} <= keys, keys


async def test_each_screen_footer_shows_its_own_keys(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        keys = {key.description for key in app.screen.query_one(KeysFooter).query("FooterKey")}
        assert {"Next voter", "Model", "Sort", "Help"} <= keys, keys
