"""The incremental ScoreBoard and scoring.reevaluate always agree with scoring.evaluate."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap_tui import scoring
from roadmap_tui.models import Plan, Score
from roadmap_tui.scoreboard import ScoreBoard
from strategies import plans


def assert_agrees(board: ScoreBoard, plan: Plan) -> None:
    expected = scoring.evaluate(plan)
    for feature_id, result in expected.features.items():
        assert board.scores[feature_id] == result.score, feature_id
        assert board.ranks.get(feature_id) == result.rank, feature_id
        assert board.missing[feature_id] == result.missing, feature_id
    criteria = {c.id: c for c in plan.criteria}
    cells = dict(scoring.build_cells(scoring.votes_of(plan.scores), criteria, plan.workspace))
    for feature in plan.features:
        for criterion in plan.criteria:
            cell = cells.get((feature.id, criterion.id))
            assert board.cell(feature.id, criterion.id) == cell
            assert board.value(feature.id, criterion.id) == (cell and cell.value)
            assert board.contested(feature.id, criterion.id) == bool(cell and cell.contested)
    voted = {s.key for s in plan.scores}
    for feature in plan.features:
        for person in ["", *(p.id for p in plan.participants), "not-a-participant"]:
            assert board.row(feature.id, person) == [
                (
                    cell.value if (cell := cells.get((feature.id, c.id))) else None,
                    bool(cell and cell.contested),
                    (feature.id, c.id, person) in voted,
                )
                for c in plan.criteria
            ], (feature.id, person)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans(), data=st.data())
def test_votes_one_at_a_time_match_a_full_evaluation(plan: Plan, data) -> None:
    board = ScoreBoard(plan, scoring.votes_of(plan.scores))
    assert_agrees(board, plan)
    evaluation = scoring.evaluate(plan)
    if not (plan.features and plan.criteria):
        return
    scores = {s.key: s for s in plan.scores}
    people = ["", *(p.id for p in plan.participants)]
    for _ in range(data.draw(st.integers(1, 8))):
        feature = data.draw(st.sampled_from(plan.features)).id
        criterion = data.draw(st.sampled_from(plan.criteria))
        participant = data.draw(st.sampled_from(people))
        value = data.draw(st.none() | st.floats(criterion.min, criterion.max, allow_nan=False))
        before = list(board.ranking)
        moved = board.vote(feature, criterion.id, participant, value)
        after = list(board.ranking)
        changed = {i for i in range(max(len(before), len(after)))
                   if before[i : i + 1] != after[i : i + 1]}  # fmt: skip
        assert changed <= set(moved), "the vote said which ranks to redraw"
        key = (feature, criterion.id, participant)
        if value is None:
            scores.pop(key, None)
        else:
            scores[key] = Score(
                feature=feature, criterion=criterion.id, participant=participant, value=value
            )
        plan = plan.model_copy(update={"scores": list(scores.values())})
        assert_agrees(board, plan)
        # the state's way after a vote: only the voted feature scored again, then ranks
        theirs = scoring.votes_of(s for s in plan.scores if s.feature == feature)
        evaluation = scoring.reevaluate(evaluation, plan, {feature}, theirs)
        assert evaluation == scoring.evaluate(plan)


def test_a_vote_moves_the_rank_as_spec_says() -> None:
    from roadmap_tui.models import Criterion, Feature, WorkspaceInfo

    plan = Plan(
        workspace=WorkspaceInfo(name="w"),
        features=[Feature(id="a", title="A"), Feature(id="b", title="B")],
        criteria=[Criterion(id="v", name="V")],
        scores=[
            Score(feature="a", criterion="v", participant="", value=4),
            Score(feature="b", criterion="v", participant="", value=3),
        ],
    )
    board = ScoreBoard(plan, scoring.votes_of(plan.scores))
    assert board.ranks == {"a": 1, "b": 2}
    board.vote("b", "v", "", 5)  # b: (5 - 1) / 4 = 100 > a's 75
    assert board.scores == {"a": 75.0, "b": 100.0} and board.ranks == {"b": 1, "a": 2}
    board.vote("a", "v", "", None)  # a has no value left: incomplete, no rank
    assert board.scores["a"] is None and board.ranks == {"b": 1}
    assert board.missing["a"] == ("v",)


def test_a_voter_the_board_did_not_know_gets_a_slot_and_keeps_the_others() -> None:
    from roadmap_tui.models import Criterion, Feature, Participant, WorkspaceInfo

    plan = Plan(
        workspace=WorkspaceInfo(name="w"),
        participants=[Participant(id="ann", name="Ann")],
        features=[Feature(id="a", title="A"), Feature(id="b", title="B")],
        criteria=[Criterion(id="v", name="V"), Criterion(id="w", name="W")],
    )
    votes = [("a", "v", "ann", 2.0), ("a", "v", "zed", 4.0), ("b", "w", "", 5.0)]
    board = ScoreBoard(plan, votes)  # zed joined after the participants were read
    assert board.cell("a", "v") == scoring.make_cell(
        {"ann": 2.0, "zed": 4.0}, None, plan.criteria[0], plan.workspace
    )
    assert board.vote_of("b", "w", "") == 5.0 and board.vote_of("b", "w", "ann") is None
    backwards = ScoreBoard(plan, reversed(votes))  # votes in any order make the same board
    for feature, criterion, voter, value in votes:
        assert backwards.vote_of(feature, criterion, voter) == value
        assert backwards.cell(feature, criterion) == board.cell(feature, criterion)
    assert board.participants == ["ann"]  # a voter, not a participant to vote as
    board.vote("b", "w", "kim", 1.0)
    assert board.vote_of("a", "v", "zed") == 4.0 and board.vote_of("b", "w", "kim") == 1.0
    assert board.value("b", "w") == 5.0  # the consensus still decides


def test_set_criteria_refuses_other_criteria() -> None:
    from roadmap_tui.models import Criterion, Feature, WorkspaceInfo

    plan = Plan(
        workspace=WorkspaceInfo(name="w"),
        features=[Feature(id="a", title="A")],
        criteria=[Criterion(id="v", name="V")],
    )
    board = ScoreBoard(plan, [("a", "v", "", 3.0)])
    board.set_criteria([Criterion(id="v", name="V", weight=2)])
    assert board.criteria[0].weight == 2 and board.scores["a"] == 50.0
    with pytest.raises(ValueError, match="build a new board"):
        board.set_criteria([Criterion(id="x", name="X")])


def test_new_weights_rescore_and_a_new_range_recounts_the_cells() -> None:
    from roadmap_tui.models import Criterion, Feature, Participant, WorkspaceInfo

    plan = Plan(
        workspace=WorkspaceInfo(name="w", disagreement_threshold=0.5),
        participants=[Participant(id="ann", name="Ann"), Participant(id="bo", name="Bo")],
        features=[Feature(id="a", title="A"), Feature(id="b", title="B")],
        criteria=[Criterion(id="v", name="V", weight=1), Criterion(id="r", name="R", weight=1)],
        scores=[
            Score(feature="a", criterion="v", participant="ann", value=1),
            Score(feature="a", criterion="v", participant="bo", value=3),  # 2 / 4: contested
            Score(feature="a", criterion="r", value=2),
            Score(feature="b", criterion="v", value=4),
            Score(feature="b", criterion="r", value=1),
        ],
    )
    board = ScoreBoard(plan, scoring.votes_of(plan.scores))
    for criteria in (
        [plan.criteria[0].model_copy(update={"weight": 3}), plan.criteria[1]],
        [plan.criteria[0].model_copy(update={"weight": 3, "max": 9}), plan.criteria[1]],
    ):
        plan = plan.model_copy(update={"criteria": criteria})
        board.set_criteria(criteria)
        assert_agrees(board, plan)
    assert not board.contested("a", "v"), "2 / 8 on the wider range: no longer contested"
