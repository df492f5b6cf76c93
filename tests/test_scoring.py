"""SPEC.md section 2 (scores, ranks, economics, readiness, leverage), checked by hand."""

from __future__ import annotations

import statistics
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap_tui.models import (
    Capability,
    Costs,
    Criterion,
    Feature,
    Need,
    Plan,
    Score,
    WorkspaceInfo,
)
from roadmap_tui.scoring import (
    Cell,
    aggregate,
    build_cells,
    economics,
    evaluate,
    feature_score,
    is_contested,
    leverage,
    missing_criteria,
    rank,
    readiness,
    spread,
    votes_of,
)


def crit(
    cid: str, weight: float = 1, lo: float = 1, hi: float = 5, higher: bool = True
) -> Criterion:
    return Criterion(id=cid, name=cid, weight=weight, min=lo, max=hi, higher_is_better=higher)


def info(**kwargs: object) -> WorkspaceInfo:
    return WorkspaceInfo(name="test", **kwargs)


def vote(feature: str, criterion: str, participant: str, value: float) -> Score:
    return Score(feature=feature, criterion=criterion, participant=participant, value=value)


def feat(
    fid: str, uplift: float = 0, needs: dict[str, int] | None = None, **costs: float
) -> Feature:
    return Feature(
        id=fid,
        title=fid,
        expected_uplift=uplift,
        costs=Costs(**costs),
        needs=[Need(capability=c, required_maturity=m) for c, m in (needs or {}).items()],
    )


def consensus_scores(values: dict[str, dict[str, float]]) -> list[Score]:
    """feature -> criterion -> value, as consensus scores (participant "")."""
    return [vote(f, c, "", v) for f, row in values.items() for c, v in row.items()]


# --- aggregation and spread -------------------------------------------------


def test_median_of_an_even_number_of_votes_is_the_mean_of_the_middle_two() -> None:
    assert aggregate([1, 5, 2, 4], None, "median") == 3.0
    assert aggregate([1, 4], None, "median") == 2.5


def test_median_of_an_odd_number_of_votes() -> None:
    assert aggregate([5, 1, 2], None, "median") == 2.0


def test_mean_aggregation() -> None:
    assert aggregate([1, 2, 4], None, "mean") == pytest.approx(2.333333, abs=1e-6)


def test_consensus_overrides_votes() -> None:
    assert aggregate([1, 1, 1], 5, "median") == 5.0
    assert aggregate([], 3, "mean") == 3.0


def test_no_votes_and_no_consensus_has_no_value() -> None:
    assert aggregate([], None, "median") is None


def test_spread() -> None:
    assert spread([]) == 0
    assert spread([4]) == 0
    assert spread([2, 5, 3]) == 3


def test_contested_exactly_at_the_threshold_but_not_just_below() -> None:
    c = crit("c", lo=1, hi=5)  # range 4
    assert is_contested(2.0, c, 0.5)  # 2 / 4 = 0.5
    assert not is_contested(1.99, c, 0.5)  # 1.99 / 4 = 0.4975


def test_contested_at_the_threshold_despite_float_noise() -> None:
    c = crit("c", lo=0, hi=1)
    s = spread([0.4, 0.7])  # 0.29999999999999993 in floats
    assert is_contested(s, c, 0.3)


def test_a_threshold_of_zero_marks_every_cell_as_spec_says() -> None:
    assert is_contested(0.0, crit("c"), 0.0)
    assert not is_contested(0.0, crit("c"), 0.01)


def test_build_cells() -> None:
    criteria = {"value": crit("value"), "risk": crit("risk")}
    scores = [
        vote("f1", "value", "ann", 1),
        vote("f1", "value", "bob", 4),
        vote("f1", "value", "cy", 2),
        vote("f1", "value", "", 5),  # consensus: the value, but not a vote
        vote("f1", "risk", "ann", 3),
        vote("f1", "ghost", "ann", 3),  # unknown criterion: ignored
    ]
    cells = dict(build_cells(votes_of(scores), criteria, info(disagreement_threshold=0.75)))
    assert set(cells) == {("f1", "value"), ("f1", "risk")}
    assert cells["f1", "value"] == Cell(
        value=5.0,
        spread=3.0,
        contested=True,  # 3 / 4 = 0.75
        votes={"ann": 1, "bob": 4, "cy": 2},
        consensus=5.0,
    )
    assert cells["f1", "risk"] == Cell(
        value=3.0, spread=0.0, contested=False, votes={"ann": 3}, consensus=None
    )


def test_build_cells_uses_the_workspace_aggregation() -> None:
    criteria = {"v": crit("v")}
    scores = [vote("f", "v", "a", 1), vote("f", "v", "b", 2), vote("f", "v", "c", 5)]
    (_, median), *_ = build_cells(votes_of(scores), criteria, info(aggregation="median"))
    assert median.value == 2.0
    (_, mean), *_ = build_cells(votes_of(scores), criteria, info(aggregation="mean"))
    assert mean.value == pytest.approx(2.666667, abs=1e-6)


# --- weighted score ----------------------------------------------------------


def test_weighted_score_with_inversion_and_a_weight_zero_criterion() -> None:
    criteria = [
        crit("value", weight=2),  # 4 on 1..5 -> 0.75
        crit("cost", weight=1, higher=False),  # 3 on 1..5 -> 1 - 0.5 = 0.5
        crit("notes", weight=0),  # ignored, even though it has no value
    ]
    values = {"value": 4.0, "cost": 3.0}
    # 100 * (2 * 0.75 + 1 * 0.5) / 3 = 66.666…
    assert feature_score(values, criteria, "weighted") == pytest.approx(66.666667)
    assert missing_criteria(values, criteria, "weighted") == ()
    # The weight-0 criterion's value does not move the score either.
    with_notes = {**values, "notes": 5.0}
    assert feature_score(with_notes, criteria, "weighted") == pytest.approx(66.666667)


def test_lower_is_better_is_inverted() -> None:
    criteria = [crit("effort", lo=1, hi=5, higher=False)]
    assert feature_score({"effort": 1.0}, criteria, "weighted") == 100.0
    assert feature_score({"effort": 5.0}, criteria, "weighted") == 0.0
    assert feature_score({"effort": 2.0}, criteria, "weighted") == 75.0


def test_weighted_missing_criteria_are_reported_sorted() -> None:
    criteria = [crit("zeta"), crit("alpha"), crit("mid"), crit("free", weight=0)]
    values = {"mid": 3.0, "zeta": None}
    assert feature_score(values, criteria, "weighted") is None
    assert missing_criteria(values, criteria, "weighted") == ("alpha", "zeta")


def test_weighted_without_a_positive_weight_has_no_score_and_nothing_missing() -> None:
    criteria = [crit("a", weight=0), crit("b", weight=0)]
    assert feature_score({"a": 3.0, "b": 3.0}, criteria, "weighted") is None
    assert missing_criteria({}, criteria, "weighted") == ()


# --- rice and wsjf -----------------------------------------------------------

RICE = [
    crit("reach", lo=0, hi=100_000),
    crit("impact", lo=0, hi=3),
    crit("confidence", lo=0, hi=100),
    crit("effort", lo=0, hi=20, higher=False),  # direction is ignored by rice
]
WSJF = [
    crit("business_value", lo=0, hi=200),
    crit("time_criticality", lo=0, hi=200),
    crit("risk_reduction", lo=0, hi=200),
    crit("job_size", lo=0, hi=20),
]


def plan(model: str, criteria: list[Criterion], values: dict[str, dict[str, float]]) -> Plan:
    return Plan(
        workspace=info(scoring_model=model),
        features=[feat(fid) for fid in values],
        criteria=criteria,
        scores=consensus_scores(values),
    )


def test_rice_scores_and_ranks() -> None:
    result = evaluate(
        plan(
            "rice",
            RICE,
            {
                "small": {"reach": 2000, "impact": 2, "confidence": 80, "effort": 4},
                "big": {"reach": 8000, "impact": 2, "confidence": 80, "effort": 3},
            },
        )
    ).features
    assert result["small"].score == pytest.approx(800)  # 2000 * 2 * 0.8 / 4
    assert result["big"].score == pytest.approx(4266.67, abs=0.01)  # 8000 * 2 * 0.8 / 3
    assert result["big"].rank == 1
    assert result["small"].rank == 2


def test_rice_ignores_weights() -> None:
    weighted = [c.model_copy(update={"weight": 0}) for c in RICE]
    values = {"reach": 2000.0, "impact": 2.0, "confidence": 80.0, "effort": 4.0}
    assert feature_score(values, weighted, "rice") == pytest.approx(800)


def test_rice_with_zero_effort_is_incomplete() -> None:
    result = evaluate(
        plan(
            "rice",
            RICE,
            {
                "free": {"reach": 2000, "impact": 2, "confidence": 80, "effort": 0},
                "ok": {"reach": 2000, "impact": 2, "confidence": 80, "effort": 4},
            },
        )
    ).features
    assert result["free"].score is None
    assert result["free"].rank is None
    assert not result["free"].complete
    assert result["free"].missing == ()  # nothing missing; effort is just not a divisor
    assert result["ok"].rank == 1


TINY = 5e-324  # the smallest float above 0: within every bound that allows 0 (SPEC section 1)


def test_a_score_that_overflows_is_none_and_its_feature_unranked_like_a_zero_divisor() -> None:
    # within the bounds, dividing by an effort or a job size of 5e-324 overflowed: a score of
    # inf, ranked first, that an export left out while writing its rank (issue 22)
    top = 1e9  # the largest value a criterion allows
    rice = [c.model_copy(update={"min": -top, "max": top}) for c in RICE]
    wsjf = [c.model_copy(update={"min": -top, "max": top}) for c in WSJF]
    for model, criteria, values in (
        ("rice", rice, {"reach": top, "impact": top, "confidence": 100, "effort": TINY}),
        ("rice", rice, {"reach": -top, "impact": top, "confidence": 100, "effort": TINY}),
        ("wsjf", wsjf, {"business_value": 1, "time_criticality": 0, "risk_reduction": 0,
                        "job_size": TINY}),
    ):  # fmt: skip
        near = {**values, criteria[-1].id: 1e-290}  # small, but the score still fits
        result = evaluate(plan(model, criteria, {"huge": values, "near": near})).features
        assert (result["huge"].score, result["huge"].rank, result["huge"].complete) == (
            None, None, False,
        )  # fmt: skip
        assert result["huge"].missing == ()
        assert result["near"].rank == 1 and abs(result["near"].score) >= 1e289


def test_economics_and_leverage_that_overflow_are_none() -> None:
    e = economics(feat("f", uplift=1e15, training=TINY))
    assert (e.tco, e.roi) == (TINY, None)  # 1e15 / 5e-324
    assert economics(feat("f", uplift=TINY, training=1e15)).payback_months is None
    assert economics(feat("f", uplift=1e-300, training=1)).payback_months == 1.2e301
    caps = [Capability(id="c", name="C", upgrade_cost_per_level=TINY)]
    lever = leverage(caps, [feat("f", uplift=1e15, needs={"c": 4})])["c"]
    assert (lever.cost_to_close, lever.leverage) == (4 * TINY, None)


def test_rice_missing_values_are_reported() -> None:
    values = {"reach": 2000.0, "effort": 4.0}
    assert feature_score(values, RICE, "rice") is None
    assert missing_criteria(values, RICE, "rice") == ("confidence", "impact")


def test_rice_without_its_criteria_is_incomplete_not_an_error() -> None:
    criteria = [c for c in RICE if c.id != "confidence"]
    values = {"reach": 2000.0, "impact": 2.0, "confidence": 80.0, "effort": 4.0}
    assert feature_score(values, criteria, "rice") is None
    assert missing_criteria(values, criteria, "rice") == ("confidence",)

    result = evaluate(plan("rice", criteria, {"f": values})).features["f"]
    assert (result.score, result.rank, result.complete) == (None, None, False)
    assert result.missing == ("confidence",)


def test_wsjf_scores_and_ranks() -> None:
    result = evaluate(
        plan(
            "wsjf",
            WSJF,
            {
                "a": {
                    "business_value": 100,
                    "time_criticality": 50,
                    "risk_reduction": 20,
                    "job_size": 10,
                },
                "b": {
                    "business_value": 60,
                    "time_criticality": 40,
                    "risk_reduction": 20,
                    "job_size": 5,
                },
            },
        )
    ).features
    assert result["a"].score == pytest.approx(17)  # (100 + 50 + 20) / 10
    assert result["b"].score == pytest.approx(24)  # (60 + 40 + 20) / 5
    assert result["b"].rank == 1
    assert result["a"].rank == 2


def test_wsjf_with_zero_job_size_is_incomplete() -> None:
    values = {"business_value": 1.0, "time_criticality": 1.0, "risk_reduction": 1.0}
    assert feature_score({**values, "job_size": 0.0}, WSJF, "wsjf") is None
    assert missing_criteria(values, WSJF, "wsjf") == ("job_size",)


# --- rank --------------------------------------------------------------------


def test_rank_highest_first_ties_by_id_and_incomplete_left_out() -> None:
    assert rank({"b": 10.0, "a": 10.0, "c": 20.0, "d": None, "e": 5.0}) == {
        "c": 1,
        "a": 2,
        "b": 3,
        "e": 4,
    }


def test_evaluate_incomplete_feature_has_no_score_and_no_rank() -> None:
    criteria = [crit("value"), crit("risk", higher=False)]
    p = Plan(
        workspace=info(),
        features=[feat("done"), feat("half"), feat("none")],
        criteria=criteria,
        scores=[
            *consensus_scores({"done": {"value": 5, "risk": 1}, "half": {"value": 5}}),
        ],
    )
    result = evaluate(p).features
    assert result["done"].score == 100.0
    assert result["done"].rank == 1
    assert result["done"].complete
    assert result["done"].missing == ()
    for fid, missing in (("half", ("risk",)), ("none", ("risk", "value"))):
        assert result[fid].score is None
        assert result[fid].rank is None
        assert not result[fid].complete
        assert result[fid].missing == missing


def test_evaluate_reports_contested_criteria_sorted() -> None:
    p = Plan(
        workspace=info(disagreement_threshold=0.5),
        features=[feat("f")],
        criteria=[crit("zeta"), crit("alpha"), crit("calm")],
        scores=[
            vote("f", "zeta", "ann", 1),
            vote("f", "zeta", "bob", 5),  # 4 / 4 = 1
            vote("f", "alpha", "ann", 2),
            vote("f", "alpha", "bob", 4),  # 2 / 4 = 0.5
            vote("f", "calm", "ann", 3),
            vote("f", "calm", "bob", 4),  # 1 / 4 = 0.25
        ],
    )
    result = evaluate(p)
    assert result.features["f"].contested_criteria == ("alpha", "zeta")
    assert result.contested_cells == 2


# --- economics, readiness, leverage --------------------------------------------


def test_economics() -> None:
    f = feat(
        "f",
        uplift=50_000,
        data_engineering=10_000,
        training=5_000,
        deployment=3_000,
        monitoring=1_000,
        incident_response=1_000,
    )
    e = economics(f)
    assert e.tco == 20_000
    assert e.net_value == 30_000
    assert e.roi == pytest.approx(1.5)  # 30,000 / 20,000
    assert e.payback_months == pytest.approx(4.8)  # 12 * 20,000 / 50,000


def test_roi_is_none_without_costs_and_payback_none_without_uplift() -> None:
    free = economics(feat("free", uplift=1_000))
    assert (free.tco, free.net_value, free.roi, free.payback_months) == (0, 1_000, None, 0)
    no_value = economics(feat("nv", training=500))
    assert no_value.net_value == -500
    assert no_value.roi == -1.0
    assert no_value.payback_months is None


def test_readiness_gap_and_sorted_blocked_by() -> None:
    maturity = {"zeta": 1, "alpha": 2, "beta": 1}
    f = feat("f", needs={"zeta": 3, "alpha": 2, "beta": 4})  # gaps 2, 0, 3
    r = readiness(f, maturity)
    assert r.gap == 5
    assert r.blocked_by == ("beta", "zeta")
    assert r.blocked


def test_readiness_of_a_ready_feature() -> None:
    r = readiness(feat("f", needs={"a": 1}), {"a": 3})
    assert (r.gap, r.blocked_by, r.blocked) == (0, (), False)


def test_leverage_small_example() -> None:
    caps = [
        Capability(id="fs", name="Feature store", maturity=1, upgrade_cost_per_level=10_000),
        Capability(id="serving", name="Serving", maturity=3, upgrade_cost_per_level=5_000),
        Capability(id="mon", name="Monitoring", maturity=0, upgrade_cost_per_level=0),
    ]
    features = [
        feat("f1", uplift=100_000, needs={"fs": 3, "serving": 2}),  # fs gap 2
        feat("f2", uplift=50_000, needs={"fs": 2, "mon": 1}),  # fs gap 1, mon gap 1
        feat("f3", uplift=30_000, needs={"serving": 3}),  # ready
    ]
    result = leverage(caps, features)
    fs = result["fs"]
    assert fs.blocked_features == 2
    assert fs.unlocked_value == 150_000
    assert fs.levels_needed == 2
    assert fs.cost_to_close == 20_000  # 2 levels * 10,000
    assert fs.leverage == pytest.approx(7.5)  # 150,000 / 20,000
    serving = result["serving"]
    assert (serving.blocked_features, serving.unlocked_value, serving.levels_needed) == (0, 0, 0)
    assert (serving.cost_to_close, serving.leverage) == (0, None)
    mon = result["mon"]
    assert (mon.blocked_features, mon.unlocked_value, mon.levels_needed) == (1, 50_000, 1)
    assert (mon.cost_to_close, mon.leverage) == (0, None)  # upgrades are free: no ratio


def test_economics_readiness_and_leverage() -> None:
    p = Plan(
        workspace=info(),
        capabilities=[Capability(id="fs", name="FS", maturity=1, upgrade_cost_per_level=1_000)],
        features=[feat("f", uplift=12_000, needs={"fs": 3}, training=6_000)],
    )
    result = evaluate(p)
    f = result.features["f"]
    e = economics(p.features[0])
    assert e.roi == pytest.approx(1.0)  # (12,000 - 6,000) / 6,000
    assert e.payback_months == pytest.approx(6.0)  # 12 * 6,000 / 12,000
    assert (f.readiness.gap, f.readiness.blocked_by) == (2, ("fs",))
    assert result.capabilities["fs"].leverage == pytest.approx(6.0)  # 12,000 / 2,000


# --- properties --------------------------------------------------------------

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@st.composite
def weighted_cases(draw: st.DrawFn) -> tuple[list[Criterion], dict[str, float]]:
    n = draw(st.integers(min_value=1, max_value=6))
    criteria: list[Criterion] = []
    values: dict[str, float] = {}
    for i in range(n):
        lo = draw(finite)
        width = draw(st.floats(min_value=1e-3, max_value=1e6))
        c = crit(
            f"c{i}",
            weight=draw(st.floats(min_value=0, max_value=100)),
            lo=lo,
            hi=lo + width,
            higher=draw(st.booleans()),
        )
        criteria.append(c)
        values[c.id] = c.min + draw(st.floats(min_value=0, max_value=1)) * (c.max - c.min)
    return criteria, values


@given(weighted_cases())
def test_weighted_score_is_within_0_and_100(case: tuple[list[Criterion], dict[str, float]]) -> None:
    criteria, values = case
    score = feature_score(values, criteria, "weighted")
    if any(c.weight > 0 for c in criteria):
        assert score is not None
        assert -1e-9 <= score <= 100 + 1e-9
    else:
        assert score is None


@given(st.lists(finite, min_size=1), st.sampled_from(["median", "mean"]))
def test_aggregate_lies_between_the_votes(votes: list[float], method: str) -> None:
    value = aggregate(votes, None, method)  # type: ignore[arg-type]
    assert value is not None
    assert min(votes) - 1e-6 <= value <= max(votes) + 1e-6
    assert spread(votes) >= 0


@given(st.lists(finite, min_size=1))
def test_aggregate_is_exactly_the_statistics_module(votes: list[float]) -> None:
    # aggregate computes them itself (statistics' overhead was most of a 10k evaluation)
    assert aggregate(votes, None, "median") == statistics.median(votes)
    assert aggregate(votes, None, "mean") == statistics.fmean(votes)


def test_votes_of_groups_by_cell_and_a_later_duplicate_wins() -> None:
    scores = [vote("f2", "v", "a", 1), vote("f1", "v", "a", 2), vote("f2", "v", "a", 4)]
    assert votes_of(scores) == [("f1", "v", "a", 2.0), ("f2", "v", "a", 1.0), ("f2", "v", "a", 4.0)]
    (_, first), (_, second) = build_cells(votes_of(scores), {"v": crit("v")}, info())
    assert (first.value, second.value, second.votes) == (2.0, 4.0, {"a": 4.0})


@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True),
        st.none() | st.integers(min_value=-5, max_value=5).map(float),
    )
)
def test_rank_is_a_permutation_of_the_complete_features(scores: dict[str, float | None]) -> None:
    ranks = rank(scores)
    complete = {fid for fid, s in scores.items() if s is not None}
    assert set(ranks) == complete
    assert sorted(ranks.values()) == list(range(1, len(complete) + 1))
    # A better rank never has a lower score; equal scores are ordered by id.
    by_rank = sorted(ranks, key=ranks.__getitem__)
    for better, worse in pairwise(by_rank):
        assert (-scores[better], better) < (-scores[worse], worse)  # type: ignore[operator]
