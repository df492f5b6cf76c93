"""Recording a decision captures the numbers once; later changes never touch them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from roadmap_tui import scoring
from roadmap_tui.decisions import capture, superseded_by
from roadmap_tui.models import Criterion, Decision, Feature, Plan, Score, WorkspaceInfo
from roadmap_tui.workspace import Workspace


def plan() -> Plan:
    return Plan(
        workspace=WorkspaceInfo(name="w"),
        features=[
            Feature(id="a", title="A", expected_uplift=300, costs={"training": 100}),
            Feature(id="b", title="B"),
        ],
        criteria=[Criterion(id="v", name="V", weight=2)],
        scores=[
            Score(feature="a", criterion="v", value=5),
            Score(feature="b", criterion="v", value=3),
        ],
    )


def test_capture_takes_basis_and_snapshot_from_the_numbers_now() -> None:
    p = plan()
    decision = Decision(
        id="go", title="Go", date=dt.date(2026, 11, 2), outcome="approved", features=["a", "b"]
    )
    recorded = capture(decision, p, scoring.evaluate(p))
    assert recorded.basis is not None
    assert recorded.basis.model_dump() == {
        "scoring_model": "weighted",
        "aggregation": "median",
        "weights": {"v": 2},
    }
    # a: (5-1)/4 = 100, roi (300-100)/100 = 2; b: (3-1)/4 = 50, tco 0 -> no roi
    assert [r.model_dump() for r in recorded.snapshot] == [
        {"feature": "a", "score": 100.0, "rank": 1, "roi": 2.0, "readiness_gap": 0},
        {"feature": "b", "score": 50.0, "rank": 2, "roi": None, "readiness_gap": 0},
    ]


def test_the_snapshot_does_not_change_when_scores_change_later(tmp_path: Path) -> None:
    p = plan()
    path = tmp_path / "w.db"
    decision = Decision(
        id="go", title="Go", date=dt.date(2026, 11, 2), outcome="approved", features=["a"]
    )
    with Workspace.create(path, p, actor="t") as ws:
        ws.save(capture(decision, ws.plan(), scoring.evaluate(ws.plan())), base=None)
        ws.set_score(Score(feature="a", criterion="v", value=1))
        ws.save(Criterion(id="v", name="V", weight=7), base=ws.get("criteria", "v"))
        stored = ws.get("decisions", "go")
    assert stored.snapshot[0].score == 100.0 and stored.basis.weights == {"v": 2}


def test_superseded_by_reads_the_link_backwards() -> None:
    day = dt.date(2026, 1, 1)
    decisions = [
        Decision(id="d1", title="1", date=day, outcome="deferred"),
        Decision(id="d2", title="2", date=day, outcome="approved", supersedes="d1"),
        Decision(id="d3", title="3", date=day, outcome="approved", supersedes="d1"),
    ]
    assert superseded_by(decisions) == {"d1": ["d2", "d3"]}


def test_a_ratio_that_overflows_within_the_bounds_is_recorded_as_none() -> None:
    # A cost or an effort of 5e-324 is within its bounds, and dividing by it overflows; the
    # snapshot, which holds finite numbers only, refused it with a traceback (issue 22). An
    # overflowing score is none, so the feature has no rank either (scoring.ratio).
    rice = {"reach": 1e9, "impact": 1e9, "confidence": 100, "effort": 5e-324}
    p = Plan(
        workspace=WorkspaceInfo(name="w", scoring_model="rice"),
        features=[Feature(id="a", title="A", expected_uplift=1e15, costs={"training": 5e-324})],
        criteria=[Criterion(id=c, name=c, min=0, max=1e9) for c in rice],
        scores=[Score(feature="a", criterion=c, value=v) for c, v in rice.items()],
    )
    decision = Decision(id="go", title="Go", date=dt.date(2027, 1, 1), outcome="approved")
    recorded = capture(decision.model_copy(update={"features": ["a"]}), p, scoring.evaluate(p))
    assert [r.model_dump() for r in recorded.snapshot] == [
        {"feature": "a", "score": None, "rank": None, "roi": None, "readiness_gap": 0},
    ]
