"""Undo and redo of this session's own actions, through the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap_tui.errors import WorkspaceError
from roadmap_tui.models import Capability, Feature, Need, Participant, Plan, Score, WorkspaceInfo
from roadmap_tui.workspace import Workspace
from support import app_for


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
        ws.save(Participant(id="ana", name="Ana"), base=None)
        ws.save(Participant(id="ana", name="Ana Ruiz"), base=ws.get("participants", "ana"))
        assert ws.undo() == "change to participant Ana Ruiz"
        assert ws.get("participants", "ana").name == "Ana"
        assert ws.undo() == "new participant Ana"
        assert ws.get("participants", "ana") is None
        assert ws.undo() is None
        assert ws.redo() == "new participant Ana"
        assert ws.redo() == "change to participant Ana Ruiz"
        assert ws.get("participants", "ana").name == "Ana Ruiz"
        assert ws.redo() is None
        # a new action after an undo empties the redo stack
        ws.undo()
        ws.save(Participant(id="bo", name="Bo"), base=None)
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
        ws.save(Participant(id="ana", name="Ana"), base=None)
        with Workspace.open(path, actor="other") as other:
            other.save(
                Participant(id="ana", name="Ana (edited by other)"),
                base=other.get("participants", "ana"),
            )
        with pytest.raises(
            WorkspaceError, match="participant Ana \\(edited by other\\) has changed since"
        ):
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
        refused = r"cannot undo deleted feature A: .*unknown capability 'fs'"
        with pytest.raises(WorkspaceError, match=refused):
            ws.undo()
        assert ws.get("features", "a") is None


async def test_ctrl_z_undoes_a_vote_on_the_score_screen(sample_db: Path) -> None:
    app = app_for(sample_db)
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

    app = app_for(sample_db, actor="Ana Ruiz")
    async with app.run_test(size=(100, 30)) as pilot:
        app.write(lambda ws: ws.save(Participant(id="zoe", name="Zoe"), base=None))
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


def test_a_refused_undo_is_skipped_so_the_older_ones_still_undo(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with small(path) as ws:
        ws.save(Participant(id="ana", name="Ana"), base=None)
        ws.save(Participant(id="bo", name="Bo"), base=None)
        with Workspace.open(path, actor="other") as other:
            other.save(
                Participant(id="bo", name="Bo (edited by other)"),
                base=other.get("participants", "bo"),
            )
        with pytest.raises(WorkspaceError, match="skipped it: the next undo takes the one before"):
            ws.undo()
        assert ws.get("participants", "bo").name == "Bo (edited by other)"  # nothing lost
        assert ws.undo() == "new participant Ana", "the refused step no longer blocks"
        assert ws.get("participants", "ana") is None
        assert ws.undo() is None


def test_a_busy_file_does_not_skip_the_undo(tmp_path: Path, monkeypatch) -> None:
    with small(tmp_path / "w.db") as ws:
        ws.save(Participant(id="ana", name="Ana"), base=None)

        def busy(*args, **kwargs):
            raise WorkspaceError("the workspace is busy")

        monkeypatch.setattr(ws, "_replay", busy)
        with pytest.raises(WorkspaceError, match="busy"):
            ws.undo()
        monkeypatch.undo()
        assert ws.undo() == "new participant Ana", "still there to undo once the file is free"


def test_undo_names_what_people_read_not_ids(tmp_path: Path) -> None:
    from roadmap_tui.models import Criterion

    with small(tmp_path / "w.db") as ws:
        ws.save(Participant(id="ana", name="Ana"), base=None)
        ws.save(Criterion(id="model_risk", name="Model risk"), base=None)
        ws.save(Feature(id="churn", title="Churn model"), base=None)
        ws.set_score(Score(feature="churn", criterion="model_risk", participant="ana", value=3))
        ws.set_score(Score(feature="churn", criterion="model_risk", value=4))
        assert ws.undo() == "consensus value on Churn model · Model risk"
        assert ws.undo() == "vote by Ana on Churn model · Model risk"
        assert ws.undo() == "new feature Churn model"
        ws.delete("capabilities", "fs")  # and the need of feature A on it
        assert ws.undo() == "deleted capability FS and 1 more change"


async def test_ctrl_z_says_what_it_undid_and_skips_what_it_cannot(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.write(lambda ws: ws.save(Participant(id="zoe", name="Zoe"), base=None))
        app.write(lambda ws: ws.save(Participant(id="yan", name="Yan"), base=None))
        with Workspace.open(sample_db, actor="other") as other:
            other.save(Participant(id="yan", name="Yan Li"), base=other.get("participants", "yan"))
        await pilot.press("ctrl+z")
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        told = [n.message for n in app._notifications]
        assert "participant Yan Li has changed since; skipped it" in told[-2]
        assert told[-1] == "Undone: new participant Zoe"
    with Workspace.open(sample_db, actor="reader") as ws:
        assert ws.get("participants", "zoe") is None
        assert ws.get("participants", "yan").name == "Yan Li"
