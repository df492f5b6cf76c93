"""Export and import from the app: chosen path, no silent overwrite, preview, all or nothing."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.widgets import Button, Input, Select

from roadmap_tui.exchange import export_toml
from roadmap_tui.screens.transfer import ExportScreen, ImportScreen
from roadmap_tui.workspace import Workspace
from support import ACTOR, app_for


async def preview(pilot, source: Path) -> str:
    """ctrl+o, the file's path, enter: what the import dialog says of it."""
    await pilot.press("ctrl+o")
    await pilot.pause()
    pilot.app.screen.query_one("#import-path", Input).value = str(source)
    await pilot.press("enter")
    await pilot.pause()
    return str(pilot.app.screen.query_one("#transfer-message").content)


async def test_export_writes_the_chosen_format_and_asks_before_replacing(
    sample_db: Path, tmp_path: Path
) -> None:
    app = app_for(sample_db)
    target = tmp_path / "out" / "report.md"
    target.parent.mkdir()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#export-format", Select).value = "markdown"
        await pilot.pause()
        assert app.screen.query_one("#export-path", Input).value.endswith("-decisions.md")
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        assert target.read_text().startswith("# Decision records: FreshCart")
        # again: the file exists, so the first Export only asks
        target.write_text("keep me")
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.screen.query_one("#export-format", Select).value = "markdown"
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert "exists. Export again to replace it" in str(
            app.screen.query_one("#transfer-message").content
        )
        assert target.read_text() == "keep me"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.read_text().startswith("# Decision records")


async def test_the_toml_export_is_the_whole_workspace_as_it_is_when_written(
    sample_db: Path, tmp_path: Path
) -> None:
    # The app's state holds no scores (the board streams them): the export reads them all.
    app = app_for(sample_db)
    target = tmp_path / "all.toml"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s", "1")  # a vote after the screen was opened
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    with Workspace.open(sample_db, actor=ACTOR) as ws:
        plan = ws.plan()
    assert target.read_text() == export_toml(plan)
    assert len(tomllib.loads(target.read_text())["scores"]) == len(plan.scores) > 50


async def test_import_previews_then_applies(sample_db: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.toml"
    source.write_text(
        'format = "roadmap-tui/1"\n[workspace]\nname = "Renamed"\n'
        '[[participants]]\nid = "zoe"\nname = "Zoe"\n'
        '[[participants]]\nid = "ana-ruiz"\nname = "Ana Ruiz"\n'
        'role = "Product lead, Loyalty & Digital"\n'
    )
    app = app_for(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        said = await preview(pilot, source)
        assert isinstance(app.screen, ImportScreen)
        assert "participants     1 added    0 changed    1 same" in said
        assert "replace the workspace settings" in said
        with Workspace.open(sample_db, actor="reader") as ws:
            assert "zoe" not in {p.id for p in ws.participants()}, "a preview writes nothing"
        app.screen.query_one("#apply", Button).press()
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)
        assert app.state.plan.workspace.name == "Renamed"
        assert "zoe" in {p.id for p in app.state.plan.participants}


async def test_a_bad_file_lists_every_problem_and_changes_nothing(
    sample_db: Path, tmp_path: Path
) -> None:
    source = tmp_path / "bad.toml"
    source.write_text(
        'format = "roadmap-tui/1"\n[workspace]\nname = "X"\n'
        '[[scores]]\nfeature = "nope"\ncriterion = "model_risk"\nvalue = 3\n'
        '[[risks]]\nid = "r"\ntitle = "R"\nlikelihood = 9\nimpact = 1\n'
    )
    app = app_for(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        text = await preview(pilot, source)
        assert "Nothing imported: 1 problem" in text
        assert "risks[0].likelihood" in text
        assert app.screen.query_one("#apply", Button).disabled
    with Workspace.open(sample_db, actor="reader") as ws:
        assert ws.info().name != "X"
    assert tomllib.loads(source.read_text())["workspace"]["name"] == "X"


async def test_the_export_notification_names_the_file_and_its_folder(
    sample_db: Path, tmp_path: Path
) -> None:
    app = app_for(sample_db)
    target = tmp_path / "plan.toml"
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        told = [n.message for n in app._notifications]
        assert told[-1] == f"Wrote plan.toml in {tmp_path}"  # no ␊ where a line break was


async def test_a_relative_export_path_is_told_with_its_whole_folder(
    sample_db: Path, tmp_path: Path, monkeypatch
) -> None:
    """A name typed alone lands in the folder the app was started from (a server's, in a
    browser): the notification says which, not "in ."."""
    monkeypatch.chdir(tmp_path)
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press(*"plan.toml", "enter")  # typed over the proposed path
        await app.workers.wait_for_complete()
        await pilot.pause()
        told = [n.message for n in app._notifications]
        assert told[-1] == f"Wrote plan.toml in {tmp_path}"
    assert (tmp_path / "plan.toml").exists()


async def test_a_file_nested_too_deep_is_said_in_the_dialog(
    sample_db: Path, tmp_path: Path
) -> None:
    # It was a RecursionError that ended the app (issue 22).
    source = tmp_path / "deep.toml"
    source.write_text("a = " + "{b = " * 330 + "1" + "}" * 330)
    app = app_for(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        text = await preview(pilot, source)
        assert isinstance(app.screen, ImportScreen)
        assert "line 1, column 165: nested more than 32 levels deep" in text
        assert app.screen.query_one("#apply", Button).disabled
