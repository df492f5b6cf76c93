"""What a decision records about the numbers at the moment it is taken (SPEC section 3).

`capture` writes `basis` (how scores were computed) and `snapshot` (each linked
feature's score, rank, roi and readiness gap) once, when the decision is
recorded; nothing recomputes them afterwards.
"""

from __future__ import annotations

from .models import Basis, Decision, Plan, SnapshotRow
from .scoring import Evaluation, economics


def capture(decision: Decision, plan: Plan, evaluation: Evaluation) -> Decision:
    """`decision` with its basis and snapshot taken from `plan` as it is now."""
    info = plan.workspace
    basis = Basis(
        scoring_model=info.scoring_model,
        aggregation=info.aggregation,
        weights={c.id: c.weight for c in sorted(plan.criteria, key=lambda c: c.id)},
    )
    rows = []
    features = {f.id: f for f in plan.features}
    for feature_id in decision.features:
        result = evaluation.features.get(feature_id)
        if result is None:
            continue
        rows.append(
            SnapshotRow(
                feature=feature_id,
                score=result.score,
                rank=result.rank,
                roi=economics(features[feature_id]).roi,
                readiness_gap=result.readiness.gap,
            )
        )
    return decision.model_copy(update={"basis": basis, "snapshot": rows})


def superseded_by(decisions: list[Decision]) -> dict[str, list[str]]:
    """decision id -> the ids of the decisions that supersede it (the link read backwards)."""
    later: dict[str, list[str]] = {}
    for d in decisions:
        if d.supersedes:
            later.setdefault(d.supersedes, []).append(d.id)
    return later
