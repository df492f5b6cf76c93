"""SPEC.md section 2, risks: severity, band, probability, expected loss; in business terms."""

from __future__ import annotations

import pytest

from roadmap_tui.models import BusinessMetric, Costs, Feature, Risk, RiskCategory, choices
from roadmap_tui.risk import (
    BANDS,
    PROBABILITY,
    PROPOSED_METRICS,
    Assessment,
    FeatureExposure,
    Proposal,
    assess,
    band,
    describe,
    expected_loss,
    feature_exposure,
    heat_counts,
    impact_words,
    likelihood_words,
    loss_by_metric,
    over_net_value,
    probability,
    proposal,
    proposed_metrics,
    sentence,
    severity,
    totals,
    yearly_chance,
)


def risk(likelihood: int, impact: int, exposure: float = 0) -> Risk:
    return Risk(id="r", title="R", likelihood=likelihood, impact=impact, exposure=exposure)


@pytest.mark.parametrize(
    ("likelihood", "impact", "expected"), [(1, 1, 1), (2, 3, 6), (5, 4, 20), (5, 5, 25)]
)
def test_severity(likelihood: int, impact: int, expected: int) -> None:
    assert severity(likelihood, impact) == expected


@pytest.mark.parametrize(
    ("sev", "expected"),
    [
        (1, "low"),
        (4, "low"),
        (5, "medium"),
        (9, "medium"),
        (10, "high"),
        (15, "high"),
        (16, "critical"),
        (25, "critical"),
    ],
)
def test_band_boundaries(sev: int, expected: str) -> None:
    assert band(sev) == expected


def test_bands_in_order() -> None:
    assert BANDS == ("low", "medium", "high", "critical")


def test_probability_table() -> None:
    assert PROBABILITY == {1: 0.05, 2: 0.20, 3: 0.50, 4: 0.80, 5: 0.95}
    assert [probability(n) for n in range(1, 6)] == [0.05, 0.20, 0.50, 0.80, 0.95]


def test_expected_loss() -> None:
    assert expected_loss(risk(4, 2, exposure=10_000)) == pytest.approx(8_000)  # 10,000 * 0.8
    assert expected_loss(risk(1, 5, exposure=200_000)) == pytest.approx(10_000)  # * 0.05
    assert expected_loss(risk(5, 5)) == 0


def test_assess() -> None:
    assert assess(risk(3, 4, exposure=50_000)) == Assessment(
        severity=12, band="high", probability=0.5, expected_loss=pytest.approx(25_000)
    )


@pytest.mark.parametrize("bad", [0, 6, -1])
def test_out_of_scale_values_are_refused(bad: int) -> None:
    with pytest.raises(ValueError):
        probability(bad)
    with pytest.raises(ValueError):
        severity(bad, 3)
    with pytest.raises(ValueError):
        severity(3, bad)


@pytest.mark.parametrize("bad", [0, 26])
def test_severity_outside_1_to_25_has_no_band(bad: int) -> None:
    with pytest.raises(ValueError):
        band(bad)


# -- technical -> business translation ---------------------------------------------------------


def test_likelihood_and_impact_in_words() -> None:
    assert [likelihood_words(n) for n in range(1, 6)] == [
        "rare", "unlikely", "possible", "likely", "almost certain",
    ]  # fmt: skip
    assert [impact_words(n) for n in range(1, 6)] == [
        "negligible", "minor", "moderate", "major", "severe",
    ]  # fmt: skip
    assert [yearly_chance(n) for n in (1, 2, 3, 4, 5)] == [
        f"about {p}% a year" for p in (5, 20, 50, 80, 95)
    ]
    with pytest.raises(ValueError):
        likelihood_words(6)
    with pytest.raises(ValueError):
        impact_words(0)


def test_every_category_proposes_valid_metrics() -> None:
    assert set(PROPOSED_METRICS) == set(choices(RiskCategory))
    metrics = set(choices(BusinessMetric))
    for category, proposed in PROPOSED_METRICS.items():
        assert set(proposed) <= metrics and len(set(proposed)) == len(proposed), category
    # the issue's examples
    assert proposed_metrics("data-bias") == ("customer-trust", "regulatory")
    assert proposed_metrics("drift") == ("conversion", "revenue")
    assert proposed_metrics("other") == ()


def test_the_sentence_of_the_issue() -> None:
    # likelihood 4: 80 %; €250,000 an occurrence; 250,000 × 0.8 = 200,000 a year
    r = Risk(id="r", title="R", likelihood=4, impact=3, exposure=250_000,
             affected_metrics=["conversion", "revenue"])  # fmt: skip
    assert sentence(r, "EUR") == (
        "Likely (about 80% a year): an occurrence would cost €250k; "
        "expected loss €200k a year; at stake: conversion, revenue."
    )


def test_the_sentence_without_a_cost_or_metrics() -> None:
    r = Risk(id="r", title="R", likelihood=1, impact=1)
    assert sentence(r, "CHF") == (
        "Rare (about 5% a year): what an occurrence would cost is not estimated yet; "
        "at stake: no business metric named yet."
    )
    # 12,000 × 0.95 = 11,400, in a currency without a symbol
    assert describe(5, 12_000, ["cost"], "CHF") == (
        "Almost certain (about 95% a year): an occurrence would cost 12k CHF; "
        "expected loss 11.4k CHF a year; at stake: cost."
    )


def test_the_proposal_uses_the_category_and_keeps_own_metrics_for_other() -> None:
    drift = Risk(id="d", title="D", category="drift", likelihood=3, impact=3, exposure=10_000)
    assert proposal(drift, "USD") == Proposal(
        ("conversion", "revenue"),
        "Possible (about 50% a year): an occurrence would cost $10k; "
        "expected loss $5k a year; at stake: conversion, revenue.",
    )
    other = Risk(id="o", title="O", likelihood=2, impact=2, affected_metrics=["brand"])
    assert proposal(other, "USD").metrics == ("brand",)


def test_heat_counts_cover_all_25_cells() -> None:
    counts = heat_counts([risk(4, 5), risk(4, 5), risk(1, 2)])
    assert len(counts) == 25 and sum(counts.values()) == 3
    assert counts[(4, 5)] == 2 and counts[(1, 2)] == 1 and counts[(5, 5)] == 0


def linked(rid: str, feature: str, exposure: float, likelihood: int, **extra) -> Risk:
    return Risk(id=rid, title=rid, feature=feature, likelihood=likelihood, impact=3,
                exposure=exposure, **extra)  # fmt: skip


def test_loss_by_metric_counts_each_metric_and_leaves_closed_out() -> None:
    risks = [
        linked("a", "", 100_000, 4, affected_metrics=["revenue", "brand"]),  # 80,000
        linked("b", "", 10_000, 3, affected_metrics=["revenue"]),  # 5,000
        linked("c", "", 50_000, 5),  # 47,500, no metric
        linked("d", "", 1_000_000, 5, affected_metrics=["cost"], status="closed"),
    ]
    totals = loss_by_metric(risks)
    assert list(totals) == ["revenue", "brand", ""]  # BusinessMetric's order, none last
    assert totals["revenue"] == pytest.approx(85_000)
    assert totals["brand"] == pytest.approx(80_000)
    assert totals[""] == pytest.approx(47_500)


def test_a_feature_is_flagged_when_its_risks_cost_more_than_it_nets() -> None:
    # net values: a = 100,000 - 40,000 = 60,000; b = 10,000 - 20,000 = -10,000; c = 500,000
    features = [
        Feature(id="a", title="A", expected_uplift=100_000, costs=Costs(training=40_000)),
        Feature(id="b", title="B", expected_uplift=10_000, costs=Costs(deployment=20_000)),
        Feature(id="c", title="C", expected_uplift=500_000),
        Feature(id="d", title="D"),  # no risk: never in the exposure
    ]
    risks = [
        linked("a1", "a", 50_000, 4),  # 40,000
        linked("a2", "a", 40_000, 3),  # 20,000: 60,000 in all, not more than 60,000
        linked("b1", "b", 0, 5),  # not costed: b is not flagged on its net value alone
        linked("c1", "c", 1_000_000, 5, status="closed"),  # closed: not counted
        linked("c2", "c", 600_000, 5),  # 570,000 > 500,000
    ]
    exposure = feature_exposure(features, risks)
    assert exposure["a"] == FeatureExposure("a", 2, pytest.approx(60_000), 60_000)
    assert not exposure["a"].exceeds
    assert exposure["b"].risks == 1 and not exposure["b"].exceeds
    assert exposure["c"].risks == 1 and exposure["c"].exceeds
    assert "d" not in exposure
    assert over_net_value(features, risks) == ["c"]
    risks.append(linked("a3", "a", 1_000, 1))  # +50: now 60,050 > 60,000
    assert over_net_value(features, risks) == ["a", "c"]


def test_totals_count_every_risk_but_the_closed_ones_flagged_features_first() -> None:
    features = [
        Feature(id="a", title="A", expected_uplift=1_000_000),
        Feature(id="b", title="B", expected_uplift=10_000),
    ]
    risks = [
        linked("a1", "a", 100_000, 4, affected_metrics=["revenue"]),  # 80,000
        linked("b1", "b", 50_000, 5),  # 47,500 > 10,000: flagged
        linked("p1", "", 10_000, 3, affected_metrics=["cost"]),  # 5,000, no feature
        linked("p2", "", 1_000_000, 5, status="closed"),  # left out
    ]
    said = totals(features, risks)
    assert said.all == pytest.approx(132_500)
    assert said.platform == pytest.approx(5_000)
    assert said.by_metric == loss_by_metric(risks)
    assert [e.feature for e in said.by_feature] == ["b", "a"]  # flagged first, not by loss
    assert said.flagged == 1
