"""The bundled samples stay rich enough to show every screen (issue: sample workspaces)."""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap_tui import risk, scoring
from roadmap_tui.exchange import read_toml
from roadmap_tui.models import CapabilityCategory, check_references, choices

SAMPLES = sorted((Path(__file__).parent.parent / "sample_workspaces").glob("*.toml"))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_is_valid_and_rich(path: Path) -> None:
    plan = read_toml(path)
    assert check_references(plan) == []
    evaluation = scoring.evaluate(plan)
    features = evaluation.features.values()
    assert len(plan.features) >= 12
    assert all(f.costs.total > 0 and f.expected_uplift > 0 and f.needs for f in plan.features)
    assert len(plan.capabilities) >= 7
    assert {c.category for c in plan.capabilities} == set(choices(CapabilityCategory))
    assert len(plan.participants) >= 4
    assert any(s.participant == "" for s in plan.scores), "consensus scores"
    assert evaluation.contested_cells >= 3, "real disagreement"
    assert any(r.readiness.blocked for r in features) and any(
        not r.readiness.blocked for r in features
    )
    assert any(not r.complete for r in features) and any(r.rank for r in features)
    assert len(plan.risks) >= 6
    assert {risk.assess(r).band for r in plan.risks} == set(risk.BANDS)
    assert len(plan.policies) >= 8
    assert all(len(p.body) > 400 and "\n- " in p.body for p in plan.policies), "real bodies"
    assert len(plan.decisions) >= 3
    assert all(d.basis and d.snapshot for d in plan.decisions)
    assert any(d.supersedes for d in plan.decisions)
