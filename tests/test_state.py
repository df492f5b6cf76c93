"""WorkspaceState: what a change reloads, and that its numbers are the whole plan's."""

from __future__ import annotations

from pathlib import Path

from roadmap_tui import scoring
from roadmap_tui.models import Score
from roadmap_tui.state import WorkspaceState
from roadmap_tui.workspace import Workspace


def test_the_evaluation_is_the_whole_plans_though_the_plan_holds_no_scores(
    sample_db: Path,
) -> None:
    with Workspace.open(sample_db, actor="ann") as ws:
        state = WorkspaceState(ws)
        assert state.plan.scores == [] and ws.scores()
        assert state.evaluation == scoring.evaluate(ws.plan())


def test_a_vote_reloads_the_numbers_not_the_records(sample_db: Path) -> None:
    with Workspace.open(sample_db, actor="ann") as ws:
        state = WorkspaceState(ws)
        plan, evaluation = state.plan, state.evaluation
        feature = plan.features[0].id
        criterion = plan.criteria[0]
        ws.set_score(Score(feature=feature, criterion=criterion.id, value=criterion.max))
        state.invalidate(frozenset({"scores"}))  # which cells is not known: computed again
        assert state.plan is plan, "the records were kept"
        assert state.evaluation is not evaluation
        assert state.evaluation == scoring.evaluate(ws.plan())


def test_a_change_reloads_only_its_kinds(sample_db: Path) -> None:
    with Workspace.open(sample_db, actor="ann") as ws:
        state = WorkspaceState(ws)
        plan, evaluation, assessments = state.plan, state.evaluation, state.assessments
        risk = plan.risks[0].model_copy(update={"likelihood": 5, "impact": 5})
        ws.save(risk, base=plan.risks[0])
        state.invalidate(frozenset({"risks"}))
        assert state.plan.risks == ws.risks() and state.plan.risks != plan.risks
        assert state.plan.features is plan.features, "the features were not read again"
        assert state.evaluation is evaluation, "risks do not change the scores"
        assert state.assessments is not assessments
        generation = state.generation
        state.invalidate(frozenset())  # nothing audited changed
        assert state.plan.risks == ws.risks() and state.evaluation is evaluation
        feature = plan.features[0].model_copy(update={"expected_uplift": 1.0})
        ws.save(feature, base=plan.features[0])
        state.invalidate(frozenset({"features"}))
        assert state.plan.features == ws.features() and state.evaluation is not evaluation
        assert state.evaluation == scoring.evaluate(ws.plan())
        assert state.kinds_since(generation) == state.kinds_since(generation + 1) == {"features"}
        assert state.kinds_since(generation - 1) == {"features", "risks"}
        assert state.kinds_since(state.generation) == set()
        for _ in range(64):
            state.invalidate(frozenset())
        assert state.kinds_since(generation) is None, "too long ago: reload everything"


def test_known_votes_score_only_their_features_again(sample_db: Path, monkeypatch) -> None:
    with Workspace.open(sample_db, actor="ann") as ws:
        state = WorkspaceState(ws)
        plan, evaluation = state.plan, state.evaluation
        changes = []
        for feature in plan.features[:2]:
            criterion = plan.criteria[-1]
            ws.set_score(Score(feature=feature.id, criterion=criterion.id, value=criterion.min))
            changes.append((feature.id, criterion.id, "", criterion.min))
            state.invalidate(frozenset({"scores"}), changes[-1:])  # nothing computed yet
        read: list[object] = []
        votes = ws.votes

        def reading(features=None):
            read.append(features)
            return votes(features)

        monkeypatch.setattr(ws, "votes", reading)
        monkeypatch.setattr(scoring, "evaluate", None)  # a full evaluation would fail
        assert state.evaluation != evaluation
        assert read == [{f.id for f in plan.features[:2]}], "only the voted features were read"
        assert state.plan is plan
        monkeypatch.undo()
        assert state.evaluation == scoring.evaluate(ws.plan())
