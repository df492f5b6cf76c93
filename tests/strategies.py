"""Hypothesis strategies for valid workspaces (SPEC.md section 1), shared by property tests.

`plans()` draws whole `models.Plan` objects that pass `models.check_references`:
every reference names a drawn record, ids are unique per kind, scores are unique
per (feature, criterion, participant) and inside their criterion's range, and
the criteria fit the scoring model. Lists come in any order (export sorts them).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from roadmap_tui import models
from roadmap_tui.models import (
    MAX_TEXT,
    MODEL_CRITERIA,
    Basis,
    BusinessMetric,
    Capability,
    CapabilityCategory,
    Costs,
    Criterion,
    Decision,
    Feature,
    FeatureStatus,
    Need,
    Outcome,
    Participant,
    Plan,
    Policy,
    PolicyCategory,
    Risk,
    RiskCategory,
    RiskStatus,
    Score,
    SnapshotRow,
    ValuePoint,
    WorkspaceInfo,
    choices,
)

# ---------------------------------------------------------------- ids and text

#: Ids: ^[a-z0-9][a-z0-9._-]{0,63}$, short ones mostly, with '.', '_' and '-' now and then.
slugs = st.one_of(
    st.from_regex(r"[a-z0-9][a-z0-9._-]{0,7}", fullmatch=True),
    st.from_regex(r"[a-z0-9][a-z0-9._-]{0,63}", fullmatch=True),
    st.sampled_from(["a", "0", "a.b", "a_b", "a-b", "x..y", "9-_.", "z" * 64]),
)

# Any code point but surrogates: control characters (C0, DEL, C1), format and private use too.
_chars = st.characters(exclude_categories=("Cs",))

# Snippets that have broken text handling elsewhere: markup, escapes, quotes, line ends.
_NASTY = (
    "",
    " ",
    "\r\n",
    "\r",
    "\n",
    "\t",
    "\x00",
    "\x1b[31m",
    "\x1b]0;title\x07",
    "\x9b",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "\u202e",
    "[b]x[/]",
    "[@click=app.quit]",
    "[link=file:///etc/passwd]x[/link]",
    '"',
    '"""',
    "'''",
    "\\",
    "\\n",
    "\\u0041",
    "#",
    "= ",
    "[[features]]",
    "😀",
    "👩‍👩‍👧",
    "e\u0301",
    "שלום",
    "مرحبا",
    "\U0010ffff",
)

_short_texts = st.one_of(
    st.text(_chars, max_size=20),
    st.sampled_from(_NASTY),
    st.lists(st.one_of(st.sampled_from(_NASTY), st.text(_chars, max_size=5)), max_size=6).map(
        "".join
    ),
)


def _long(parts: tuple[str, int]) -> str:
    unit, length = parts
    return (unit * (length // len(unit) + 1))[:length]


# A long text is a short one repeated, up to the 20,000-character limit (cheap to draw).
_long_texts = st.tuples(
    st.tuples(_short_texts, _chars).map("".join),
    st.one_of(st.integers(200, 2_000), st.just(MAX_TEXT)),
).map(_long)

#: Free text (SPEC section 1): any Unicode but lone surrogates, 0 to 20,000 characters
#: (about one text in twenty is long, so a whole plan stays quick to store).
texts = st.integers(0, 19).flatmap(lambda k: _long_texts if k == 19 else _short_texts)

#: Required text: free text with at least one character that is not whitespace.
required_texts = st.tuples(
    st.text(_chars, max_size=8),
    st.characters(exclude_categories=("Cs",)).filter(lambda c: not c.isspace()),
    texts,
).map(lambda parts: (parts[0] + parts[1] + parts[2])[:MAX_TEXT])

#: A title or name: required text on one line, at most 200 characters (SPEC section 1, Bounds).
title_texts = required_texts.map(lambda text: models.LINE_BREAK.sub(" ", text)[: models.TITLE_MAX])

# ---------------------------------------------------------------- numbers

_SPECIAL_NUMBERS = (
    0.0,
    1.0,
    0.1 + 0.2,
    1 / 3,
    2 / 3,
    1e-9,
    1e-4,
    0.00005,
    0.00015,
    12.5,
    250_000.0,
    999_999.99995,
    1e12,
    1e12 - 0.5,
    123_456_789.123_456_78,
    5e-324,
)

#: Finite numbers >= 0, up to 1e12: whole, fractional, tiny, large, float-noisy.
non_negative = st.one_of(
    st.sampled_from(_SPECIAL_NUMBERS),
    st.integers(0, 1_000_000).map(float),
    st.floats(0, 1e12, allow_nan=False, allow_infinity=False),
    st.floats(0, 1000, allow_nan=False, allow_infinity=False),
)

#: A weight: 0 to 1e6 (SPEC section 1, Bounds).
weights = st.one_of(
    st.just(0.0), st.just(1.0), non_negative.map(lambda x: min(x, models.WEIGHT_MAX))
)

#: Finite numbers of either sign (criterion bounds, snapshot numbers).
#: No -0.0: SQLite stores it as 0.0 and the exporter writes it as `0`, so it comes back as
#: 0.0 (equal, but a plan holding it exports `-0.0` in computed values its file cannot give).
numbers = st.one_of(non_negative, non_negative.map(lambda x: -x + 0.0))

dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


def _sub(draw: st.DrawFn, values: list[str], max_size: int | None = None) -> list[str]:
    """A sublist of distinct `values`, in any order."""
    if not values:
        return []
    return draw(st.lists(st.sampled_from(values), unique=True, max_size=max_size))


def _ref(draw: st.DrawFn, values: list[str]) -> str:
    """One of `values`, or "" (no link)."""
    return draw(st.sampled_from(["", *values]))


# ---------------------------------------------------------------- records


@st.composite
def workspace_infos(draw: st.DrawFn) -> WorkspaceInfo:
    return WorkspaceInfo(
        name=draw(required_texts),
        description=draw(texts),
        currency=draw(st.from_regex(r"[A-Z]{3}", fullmatch=True)),
        scoring_model=draw(st.sampled_from(choices(models.ScoringModel))),
        aggregation=draw(st.sampled_from(choices(models.Aggregation))),
        disagreement_threshold=draw(
            st.one_of(st.sampled_from([0.0, 0.5, 1.0, 0.1 + 0.2]), st.floats(0, 1))
        ),
    )


@st.composite
def criteria_for(draw: st.DrawFn, criterion_id: str) -> Criterion:
    # min and max within +-1e9, at least 1e-6 apart (SPEC section 1, Bounds)
    limit = models.CRITERION_LIMIT
    low = draw(numbers.map(lambda x: min(max(x, -limit), limit)))
    high = min(low + draw(non_negative), limit)
    if not high - low >= models.MIN_SPAN:  # too narrow, or below float precision here
        high = low + 4.0 if low < 0 else low
        low = high - 4.0
    return Criterion(
        id=criterion_id,
        name=draw(title_texts),
        weight=draw(weights),
        min=low,
        max=high,
        higher_is_better=draw(st.booleans()),
    )


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """A valid Plan: passes models.check_references, and so Workspace.create and import."""
    info = draw(workspace_infos())

    participant_ids = draw(st.lists(slugs, unique=True, max_size=4))
    capability_ids = draw(st.lists(slugs, unique=True, max_size=5))
    feature_ids = draw(st.lists(slugs, unique=True, max_size=6))
    needed = list(MODEL_CRITERIA.get(info.scoring_model, ()))
    criterion_ids = needed + [
        c for c in draw(st.lists(slugs, unique=True, max_size=4)) if c not in needed
    ]
    criterion_ids = draw(st.permutations(criterion_ids))
    risk_ids = draw(st.lists(slugs, unique=True, max_size=4))
    policy_ids = draw(st.lists(slugs, unique=True, max_size=3))
    decision_ids = draw(st.lists(slugs, unique=True, max_size=4))

    participants = [
        Participant(id=pid, name=draw(title_texts), role=draw(texts)) for pid in participant_ids
    ]
    capabilities = [
        Capability(
            id=cid,
            name=draw(title_texts),
            category=draw(st.sampled_from(choices(CapabilityCategory))),
            maturity=draw(st.integers(0, 4)),
            owner=draw(texts),
            annual_cost=draw(non_negative),
            upgrade_cost_per_level=draw(non_negative),
            slo=draw(texts),
            description=draw(texts),
        )
        for cid in capability_ids
    ]
    features = [
        Feature(
            id=fid,
            title=draw(title_texts),
            description=draw(texts),
            value_point=draw(st.sampled_from(choices(ValuePoint))),
            objective=draw(texts),
            uplift_metric=draw(texts),
            expected_uplift=draw(non_negative),
            status=draw(st.sampled_from(choices(FeatureStatus))),
            owner=draw(texts),
            quarter=draw(st.one_of(st.just(""), st.from_regex(r"\d{4}-Q[1-4]", fullmatch=True))),
            costs=Costs(**{name: draw(non_negative) for name in models.COST_FIELDS}),
            needs=[
                Need(capability=cap, required_maturity=draw(st.integers(0, 4)))
                for cap in _sub(draw, capability_ids)
            ],
        )
        for fid in feature_ids
    ]
    criteria = [draw(criteria_for(cid)) for cid in criterion_ids]

    scores: list[Score] = []
    if features and criteria:
        by_id = {c.id: c for c in criteria}
        voters = ["", *participant_ids]
        if draw(st.booleans()):
            # A filled-in matrix: every cell has a consensus or some votes, so features
            # are complete, ranked and sometimes contested.
            keys = [
                (fid, cid, pid)
                for fid in feature_ids
                for cid in criterion_ids
                for pid in draw(
                    st.lists(st.sampled_from(voters), min_size=1, max_size=3, unique=True)
                )
            ]
        else:
            keys = draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(feature_ids),
                        st.sampled_from(criterion_ids),
                        st.sampled_from(voters),
                    ),
                    unique=True,
                    max_size=20,
                )
            )
        for fid, cid, pid in keys:
            crit = by_id[cid]
            value = draw(
                st.one_of(
                    st.sampled_from([crit.min, crit.max]),
                    st.floats(crit.min, crit.max, allow_nan=False).map(lambda x: x + 0.0),
                    st.integers(0, 10).map(
                        lambda k, c=crit: min(c.max, max(c.min, c.min + k * (c.max - c.min) / 10))
                    ),
                )
            )
            scores.append(Score(feature=fid, criterion=cid, participant=pid, value=value))

    risks = [
        Risk(
            id=rid,
            title=draw(title_texts),
            category=draw(st.sampled_from(choices(RiskCategory))),
            feature=_ref(draw, feature_ids),
            capability=_ref(draw, capability_ids),
            likelihood=draw(st.integers(1, 5)),
            impact=draw(st.integers(1, 5)),
            exposure=draw(non_negative),
            affected_metrics=draw(
                st.lists(st.sampled_from(choices(BusinessMetric)), unique=True, max_size=7)
            ),
            business_impact=draw(texts),
            mitigation=draw(texts),
            owner=draw(texts),
            status=draw(st.sampled_from(choices(RiskStatus))),
        )
        for rid in risk_ids
    ]
    policies = [
        Policy(
            id=pid,
            title=draw(title_texts),
            category=draw(st.sampled_from(choices(PolicyCategory))),
            owner=draw(texts),
            version=draw(st.one_of(st.just("1.0"), texts)),
            review_by=draw(st.none() | dates),
            applies_to=_sub(draw, capability_ids),
            body=draw(texts),
        )
        for pid in policy_ids
    ]
    decisions = [
        Decision(
            id=did,
            title=draw(title_texts),
            date=draw(dates),
            outcome=draw(st.sampled_from(choices(Outcome))),
            rationale=draw(texts),
            decided_by=_sub(draw, participant_ids),
            features=_sub(draw, feature_ids),
            capabilities=_sub(draw, capability_ids),
            risks=_sub(draw, risk_ids),
            policies=_sub(draw, policy_ids),
            follow_ups=draw(st.lists(texts, max_size=3)),
            supersedes=_ref(draw, [d for d in decision_ids if d != did]),
            basis=draw(st.none() | bases()),
            snapshot=draw(st.lists(snapshot_rows(feature_ids), max_size=3)),
        )
        for did in decision_ids
    ]
    plan = Plan(
        workspace=info,
        participants=participants,
        capabilities=capabilities,
        features=features,
        criteria=criteria,
        scores=draw(st.permutations(scores)),
        risks=risks,
        policies=policies,
        decisions=decisions,
    )
    problems = models.check_references(plan)
    assert problems == [], problems  # a strategy bug, not a finding
    return plan


@st.composite
def bases(draw: st.DrawFn) -> Basis:
    return Basis(
        scoring_model=draw(st.sampled_from(choices(models.ScoringModel))),
        aggregation=draw(st.sampled_from(choices(models.Aggregation))),
        weights=draw(st.dictionaries(slugs, weights, max_size=4)),
    )


@st.composite
def snapshot_rows(draw: st.DrawFn, feature_ids: list[str]) -> SnapshotRow:
    return SnapshotRow(
        feature=draw(st.sampled_from(feature_ids) if feature_ids else slugs),
        score=draw(st.none() | numbers),
        rank=draw(st.none() | st.integers(1, 1000)),
        roi=draw(st.none() | numbers),
        readiness_gap=draw(st.none() | st.integers(0, 20)),
    )
