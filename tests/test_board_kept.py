"""The Score screen's board kept in the workspace file: the next start reads it back instead
of every vote and record, with the votes cast since, and shows the same numbers (issue 21)."""

from __future__ import annotations

import json
import math
import sqlite3
from array import array
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from roadmap_tui import scoring
from roadmap_tui.models import Feature, Participant, Plan, Score
from roadmap_tui.scoreboard import ScoreBoard
from roadmap_tui.screens import overview
from roadmap_tui.state import WorkspaceState
from roadmap_tui.workspace import Workspace
from strategies import plans, workspace_infos
from support import ACTOR, app_for, screen_text

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def check_on_demand(monkeypatch: pytest.MonkeyPatch) -> None:
    # The Overview's check reads every record: not during these tests, which look for that.
    monkeypatch.setattr(overview, "CHECK_AFTER_SECONDS", 3600)


def assert_same(board: ScoreBoard, built: ScoreBoard) -> None:
    """Every number and name a screen reads from the boards is equal."""
    assert (board.titles, board.tco, board.info) == (built.titles, built.tco, built.info)
    assert (board.participants, board.names) == (built.participants, built.names)
    assert board.criteria == built.criteria
    assert (board.scores, board.missing) == (built.scores, built.missing)
    assert list(board.ranking) == list(built.ranking)
    voters = ["", *built.participants, "not-a-participant"]
    for feature in built.titles:
        assert board.spread(feature) == built.spread(feature)
        for criterion in built.criteria:
            assert board.cell(feature, criterion.id) == built.cell(feature, criterion.id)
        for voter in voters:
            assert board.row(feature, voter) == built.row(feature, voter)


def dumped(plan: Plan) -> bytes:
    return ScoreBoard(plan, scoring.votes_of(plan.scores)).dump()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans(), info=workspace_infos())
def test_a_kept_board_reads_back_scored_with_the_records_of_now(plan: Plan, info) -> None:
    data = dumped(plan)
    kept = ScoreBoard.kept(data, plan.workspace, plan.criteria, plan.participants)
    assert kept is not None
    assert_same(kept, ScoreBoard(plan, scoring.votes_of(plan.scores)))
    # another model, aggregation or threshold since: the cells are counted again
    now = plan.model_copy(update={"workspace": info})
    kept = ScoreBoard.kept(data, info, plan.criteria, plan.participants)
    assert kept is not None
    assert_same(kept, ScoreBoard(now, scoring.votes_of(now.scores)))


def _header(data: bytes) -> tuple[dict, bytes]:
    size = int.from_bytes(data[:8], "little")
    return json.loads(data[8 : 8 + size]), data[8 + size :]


def _with(data: bytes, **fields: object) -> bytes:
    header, arrays = _header(data)
    text = json.dumps({**header, **fields}).encode()
    return len(text).to_bytes(8, "little") + text + arrays


def _arrays(data: bytes) -> tuple[dict, list[array], bytes]:
    """The header, the keys, votes and cell values, and the bytes after those."""
    header, rest = _header(data)
    votes, cells = header["votes"], len(header["features"]) * len(header["criteria"])
    ends = [0, 8 * votes, 16 * votes, 16 * votes + 8 * cells]
    found = [array(t, rest[a:b]) for t, (a, b) in zip("Qdd", pairwise(ends), strict=True)]
    return header, found, rest[ends[-1] :]


def _with_number(data: bytes, which: int, index: int, number: float) -> bytes:
    """`data` with one key (which=0), vote (1) or cell value (2) replaced."""
    header, arrays, rest = _arrays(data)
    arrays[which][index] = int(number) if which == 0 else number
    text = json.dumps(header).encode()
    return b"".join([len(text).to_bytes(8, "little"), text, *map(bytes, arrays), rest])


DAMAGE = {
    "cut short": lambda data: data[:-3],
    "not a board": lambda data: b"\x05\x00\x00\x00\x00\x00\x00\x00hello",
    "empty": lambda data: b"",
    "another format": lambda data: _with(data, format=2),
    "another machine's byte order": lambda data: _with(data, byteorder="big-or-little"),
    "other criteria": lambda data: _with(data, criteria=["value"]),
    "a title that is no text": lambda data: _with(data, titles=[1, "B"]),
    "titles and features apart": lambda data: _with(data, titles=["A"]),
    "no consensus slot": lambda data: _with(data, voters=["ann", ""]),
    "more votes said than there are": lambda data: _with(data, votes=3),
    "a vote past the last feature": lambda data: _with_number(data, 0, -1, 4 << 16),
    "a vote of an unknown voter": lambda data: _with_number(data, 0, 0, 7),
    "votes out of order": lambda data: _with_number(data, 0, 0, (3 << 16) + 1),
    "a vote that is no number": lambda data: _with_number(data, 1, 0, math.nan),
    "an infinite vote": lambda data: _with_number(data, 1, 0, math.inf),
    "an infinite cell": lambda data: _with_number(data, 2, 0, math.inf),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_or_foreign_kept_board_is_not_read(damage) -> None:
    from roadmap_tui.models import Criterion, WorkspaceInfo

    plan = Plan(
        workspace=WorkspaceInfo(name="w"),
        participants=[Participant(id="ann", name="Ann")],
        features=[Feature(id="a", title="A"), Feature(id="b", title="B")],
        criteria=[Criterion(id="v", name="V"), Criterion(id="w", name="W")],
        scores=[
            Score(feature="a", criterion="v", participant="ann", value=2),
            Score(feature="b", criterion="v", participant="", value=4),
        ],
    )
    data = dumped(plan)
    args = (plan.workspace, plan.criteria, plan.participants)
    assert ScoreBoard.kept(data, *args) is not None
    assert ScoreBoard.kept(damage(data), *args) is None


def test_kept_cells_are_read_only_if_this_code_counted_them(monkeypatch) -> None:
    from roadmap_tui import scoreboard
    from roadmap_tui.models import Criterion, WorkspaceInfo

    plan = Plan(
        workspace=WorkspaceInfo(name="w"),
        features=[Feature(id="a", title="A")],
        criteria=[Criterion(id="v", name="V")],
        scores=[Score(feature="a", criterion="v", participant="", value=2)],
    )
    args = (plan.workspace, plan.criteria, plan.participants)
    data = _with_number(dumped(plan), 2, 0, 5.0)  # a cell's value no vote gives
    kept = ScoreBoard.kept(data, *args)
    assert kept is not None and kept.value("a", "v") == 5.0, "the kept cells were read"
    monkeypatch.setattr(scoreboard, "_code", lambda: b"another version of the code")
    kept = ScoreBoard.kept(data, *args)
    assert kept is not None and kept.value("a", "v") == 2.0, "counted again from the votes"


async def score_screen(path: Path) -> tuple[str, bool]:
    """Open the app, show the Score screen and quit; what it showed, and whether it read
    every record to show it."""
    app = app_for(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        return screen_text(app), "plan" in app.state.__dict__


async def test_a_start_shows_the_board_it_kept_when_it_closed(sample_db: Path) -> None:
    first, read = await score_screen(sample_db)
    assert read, "nothing kept yet: every record and vote was read"
    again, read = await score_screen(sample_db)
    assert not read and again == first
    with sqlite3.connect(sample_db) as db:
        db.execute("DELETE FROM kept WHERE name = 'board'")
    built, read = await score_screen(sample_db)
    assert read and built == again


def another_session(path: Path, change) -> None:
    with Workspace.open(path, actor="another") as ws:
        change(ws)


def keep_a_board(path: Path) -> None:
    with Workspace.open(path, actor=ACTOR) as ws:
        state = WorkspaceState(ws)
        state.keep_board(state.score_board())


def fresh_board(path: Path) -> ScoreBoard:
    with Workspace.open(path, actor=ACTOR) as ws:
        return ScoreBoard(ws.plan(scores=False), ws.votes())


def kim_votes(ws: Workspace) -> None:
    ws.save(Participant(id="kim", name="Kim"), base=None)
    ws.set_score(VOTE.model_copy(update={"participant": "kim", "value": 5}))


def edit(ws: Workspace, kind: str, record_id: str, **changes: object) -> None:
    """Change a record as another session does: the one of `record_id`, or the first."""
    record = ws.get(kind, record_id) if record_id else getattr(ws, kind)()[0]
    ws.save(record.model_copy(update=changes), base=record)


VOTE = Score(feature="churn-winback", criterion="business_value", participant="", value=1)
CHANGES = {  # another session's change since the board was kept; whether the kept one holds
    "votes": (lambda ws: (ws.set_score(VOTE), ws.clear_score(*VOTE.key[:2], "kim")), True),
    "a participant": (lambda ws: ws.save(Participant(id="zoe", name="Zoe"), base=None), True),
    "a participant's name": (lambda ws: edit(ws, "participants", "kim", name="Kim Lee"), True),
    "a criterion's weight": (lambda ws: edit(ws, "criteria", "", weight=9), True),
    "a feature's title": (lambda ws: edit(ws, "features", "", title="Renamed"), False),
    "a participant's votes, deleted with them": (
        lambda ws: ws.delete("participants", "kim"),
        False,
    ),
}


@pytest.mark.parametrize("change,holds", CHANGES.values(), ids=CHANGES.keys())
def test_another_sessions_change_since_is_on_the_board(sample_db: Path, change, holds) -> None:
    another_session(sample_db, kim_votes)
    keep_a_board(sample_db)
    another_session(sample_db, change)
    with Workspace.open(sample_db, actor=ACTOR) as ws:
        state = WorkspaceState(ws)
        board = state.score_board()
        assert ("plan" not in state.__dict__) == holds, "read back, not built again"
    assert_same(board, fresh_board(sample_db))
