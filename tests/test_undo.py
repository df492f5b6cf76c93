"""Undo and redo of this session's own actions, through the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ACTOR, fixed_clock
from roadmap_tui.app import make_app
from roadmap_tui.models import Capability, Feature, Need, Participant, Plan, Score, WorkspaceInfo
from roadmap_tui.workspace import Workspace, WorkspaceError


def small(path: Path) -> Workspace:
    plan = Plan(
        workspace=WorkspaceInfo(name="w"),
        capabilities=[Capability(id="fs", name="FS")],
        features=[Feature(id="a", title="A", needs=[Need(capability="fs", required_maturity=2)])],
    )
    Workspace.create(path, plan, actor="t").close()
    return Workspace.open(path, actor="me")


def test_undo_and_redo_walk_my_actions(tmp_path: Path) -> None:
    with small(tmp_path / "w.db") as ws:
        assert ws.undo() is None  # nothing of mine yet (the file was made by someone else)
        ws.save(Participant(id="ana", name="Ana"))
        ws.save(Participant(id="ana", name="Ana Ruiz"))
        assert ws.undo() == "update participant ana"
        assert ws.get("participants", "ana").name == "Ana"
        assert ws.undo() == "create participant ana"
        assert ws.get("participants", "ana") is None
        assert ws.undo() is None
        assert ws.redo() == "create participant ana"
        assert ws.redo() == "update participant ana"
        assert ws.get("participants", "ana").name == "Ana Ruiz"
        assert ws.redo() is None
        # a new action after an undo empties the redo stack
        ws.undo()
        ws.save(Participant(id="bo", name="Bo"))
        assert ws.redo() is None


def test_undo_of_a_delete_brings_back_everything_it_removed(tmp_path: Path) -> None:
    with small(tmp_path / "w.db") as ws:
        ws.delete("capabilities", "fs")  # removes the need on feature a too
        assert ws.features()[0].needs == []
        ws.undo()
        assert ws.get("capabilities", "fs") == Capability(id="fs", name="FS")
        assert ws.features()[0].needs == [Need(capability="fs", required_maturity=2)]


def test_undo_refuses_when_someone_changed_the_record_since(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with small(path) as ws:
        ws.save(Participant(id="ana", name="Ana"))
        with Workspace.open(path, actor="other") as other:
            other.save(Participant(id="ana", name="Ana (edited by other)"))
        with pytest.raises(WorkspaceError, match="participant ana has changed since"):
            ws.undo()
        assert ws.get("participants", "ana").name == "Ana (edited by other)"  # nothing lost
        with Workspace.open(path, actor="other") as other:
            assert other.undo() is None, "undo is per session: the other's stack is its own"


def test_undo_keeps_references_whole(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with small(path) as ws:
        ws.delete("features", "a")
        with Workspace.open(path, actor="other") as other:
            other.delete("capabilities", "fs")  # the feature's need would now dangle
        with pytest.raises(WorkspaceError, match=r"cannot undo: .*unknown capability 'fs'"):
            ws.undo()
        assert ws.get("features", "a") is None


async def test_ctrl_z_undoes_a_vote_on_the_score_screen(sample_db: Path) -> None:
    app = make_app(sample_db, actor=ACTOR, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        board = app.screen.board
        feature, criterion = app.screen.query_one("ScoreMatrix").current
        before = board.value(feature, criterion)
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.board.value(feature, criterion) == 1
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.screen.board.value(feature, criterion) == before
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.screen.board.value(feature, criterion) == 1
    with Workspace.open(sample_db, actor="reader") as ws:
        assert Score(feature=feature, criterion=criterion, value=1) in ws.scores(feature)


async def test_the_activity_view_lists_who_changed_what(sample_db: Path) -> None:
    from textual.widgets import DataTable

    from roadmap_tui.screens.activity import ActivityScreen

    app = make_app(sample_db, actor="Ana Ruiz", clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        app.write(lambda ws: ws.save(Participant(id="zoe", name="Zoe")))
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ActivityScreen)
        table = app.screen.query_one(DataTable)
        newest = [c.plain for c in table.get_row_at(0)]
        assert newest == ["02 Nov 09:30", "Ana Ruiz", "added participant zoe"]
        assert [c.plain for c in table.get_row_at(table.row_count - 1)][
            2
        ] == "created the workspace"
        await pilot.press("escape")
        assert not isinstance(app.screen, ActivityScreen)
