"""Synthetic workspaces for the benchmarks: realistic shape, any size, the same every time.

N features, 8 criteria, 6 participants and 40 capabilities, as issue 10 asks;
each feature needs a few capabilities and carries about ten scores (some
cells voted by several people, most by one or none, as in a real workshop),
so 10,000 features hold about 100,000 scores. Seeded: two runs build equal plans.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from roadmap_tui.models import (
    Capability,
    CapabilityCategory,
    Costs,
    Criterion,
    Feature,
    Need,
    Participant,
    Plan,
    Policy,
    PolicyCategory,
    Risk,
    RiskCategory,
    Score,
    ValuePoint,
    WorkspaceInfo,
    choices,
)
from roadmap_tui.workspace import Workspace

CRITERIA = (
    ("business-value", "Business value", 3.0, True),
    ("data-availability", "Data availability", 2.0, True),
    ("model-risk", "Model risk", 2.0, False),
    ("monitoring", "Monitoring readiness", 1.0, True),
    ("compliance", "Compliance readiness", 1.5, True),
    ("time-criticality", "Time criticality", 1.0, True),
    ("effort", "Effort", 1.0, False),
    ("reuse", "Platform reuse", 0.5, True),
)
PARTICIPANTS = 6
CAPABILITIES = 40
# Votes per (feature, criterion) cell, drawn uniformly: 1.25 on average (~10 scores a
# feature), one cell in 16 empty, so about 60% of features are complete and ranked.
VOTERS_PER_CELL = (0, *(1,) * 11, 2, 2, 2, 3)
ACTOR = "bench"
GENERATION = 3  # in the file name: bump it when the generator changes, so no stale file is reused


def plan(features: int, seed: int = 10) -> Plan:
    rng = random.Random(seed)
    people = [
        Participant(id=f"p{i}", name=f"Participant {i}", role="product" if i % 2 else "ml")
        for i in range(1, PARTICIPANTS + 1)
    ]
    categories = choices(CapabilityCategory)
    capabilities = [
        Capability(
            id=f"cap-{i:02d}",
            name=f"Capability {i:02d}",
            category=categories[i % len(categories)],
            maturity=rng.randint(0, 4),
            annual_cost=rng.randrange(5_000, 200_000, 1_000),
            upgrade_cost_per_level=rng.randrange(10_000, 80_000, 1_000),
        )
        for i in range(1, CAPABILITIES + 1)
    ]
    value_points = choices(ValuePoint)
    feature_list = []
    for i in range(1, features + 1):
        needs = rng.sample(capabilities, rng.randint(1, 4))
        feature_list.append(
            Feature(
                id=f"f-{i:05d}",
                title=f"Feature {i:05d}: {rng.choice(value_points)} for segment {i % 97}",
                value_point=rng.choice(value_points),
                expected_uplift=rng.randrange(0, 2_000_000, 5_000),
                quarter=f"2027-Q{rng.randint(1, 4)}",
                costs=Costs(
                    data_engineering=rng.randrange(0, 300_000, 1_000),
                    training=rng.randrange(0, 150_000, 1_000),
                    deployment=rng.randrange(0, 100_000, 1_000),
                    monitoring=rng.randrange(0, 80_000, 1_000),
                    incident_response=rng.randrange(0, 50_000, 1_000),
                ),
                needs=[Need(capability=c.id, required_maturity=rng.randint(1, 4)) for c in needs],
            )
        )
    criteria = [
        Criterion(id=cid, name=name, weight=weight, higher_is_better=higher)
        for cid, name, weight, higher in CRITERIA
    ]
    scores = []
    for feature in feature_list:
        for criterion in criteria:
            voters = rng.sample(people, rng.choice(VOTERS_PER_CELL))
            scores.extend(
                Score(
                    feature=feature.id,
                    criterion=criterion.id,
                    participant=p.id,
                    value=rng.randint(1, 5),
                )
                for p in voters
            )
    risk_categories = choices(RiskCategory)
    risks = [
        Risk(
            id=f"risk-{i:03d}",
            title=f"Risk {i:03d}",
            category=risk_categories[i % len(risk_categories)],
            feature=feature_list[i % len(feature_list)].id if feature_list else "",
            likelihood=rng.randint(1, 5),
            impact=rng.randint(1, 5),
            exposure=rng.randrange(0, 500_000, 1_000),
            affected_metrics=["revenue"],
        )
        for i in range(1, 31)
    ]
    policy_categories = choices(PolicyCategory)
    policies = [
        Policy(
            id=f"policy-{i:02d}",
            title=f"Policy {i:02d}",
            category=policy_categories[i % len(policy_categories)],
            applies_to=[capabilities[i % CAPABILITIES].id],
            body=f"# Policy {i}\n\nEvery model version is recorded with its data lineage.",
        )
        for i in range(1, 21)
    ]
    return Plan(
        workspace=WorkspaceInfo(name=f"Synthetic {features:,} features", currency="EUR"),
        participants=people,
        capabilities=capabilities,
        features=feature_list,
        criteria=criteria,
        scores=scores,
        risks=risks,
        policies=policies,
    )


@contextmanager
def scratch(path: Path) -> Iterator[Path]:
    """A copy of a workspace to vote on, removed afterwards: the generated file stays as
    it was generated, so every run (and every round) starts from the same data."""
    copy = path.with_name(f"scratch-{path.name}")
    shutil.copy(path, copy)
    try:
        yield copy
    finally:
        for leftover in (
            copy,
            copy.with_name(copy.name + "-wal"),
            copy.with_name(copy.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)


def workspace(folder: Path, features: int) -> Path:
    """A workspace file of `features` features in `folder`, built once and reused: open
    it, or vote on a `scratch` copy of it."""
    path = folder / f"synthetic-{features}-v{GENERATION}.db"
    if not path.exists():
        Workspace.create(path, plan(features), actor=ACTOR).close()
    return path
