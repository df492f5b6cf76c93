"""Risk numbers of SPEC.md section 2, and their translation into business terms.

Severity, band, probability and expected loss; the words for likelihood and
impact, the business metrics a category proposes, the plain-language sentence,
the heat map's counts and the totals by metric and by feature.

Pure functions of the models: no I/O, no clock, no UI. Values outside
the 1..5 scales (or a severity outside 1..25) raise ValueError rather than
guessing a band or a probability.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from roadmap_tui.formatting import money
from roadmap_tui.models import (
    BusinessMetric,
    Feature,
    Risk,
    RiskCategory,
    RiskStatus,
    choices,
)
from roadmap_tui.scoring import economics

PROBABILITY: dict[int, float] = {1: 0.05, 2: 0.20, 3: 0.50, 4: 0.80, 5: 0.95}

Band = Literal["low", "medium", "high", "critical"]
BANDS: tuple[Band, ...] = ("low", "medium", "high", "critical")

# Highest severity of each band, in the order of BANDS.
_BAND_TOPS = (4, 9, 15, 25)


def _check_scale(name: str, value: int) -> None:
    if not 1 <= value <= 5:
        raise ValueError(f"{name} must be 1..5 (got {value})")


def severity(likelihood: int, impact: int) -> int:
    """likelihood × impact, 1..25."""
    _check_scale("likelihood", likelihood)
    _check_scale("impact", impact)
    return likelihood * impact


def band(severity: int) -> Band:
    """1-4 low, 5-9 medium, 10-15 high, 16-25 critical."""
    if not 1 <= severity <= 25:
        raise ValueError(f"severity must be 1..25 (got {severity})")
    return next(b for b, top in zip(BANDS, _BAND_TOPS, strict=True) if severity <= top)


def probability(likelihood: int) -> float:
    """The chance of one occurrence for a likelihood of 1..5."""
    _check_scale("likelihood", likelihood)
    return PROBABILITY[likelihood]


def expected_loss(risk: Risk) -> float:
    """exposure × probability(likelihood), in the workspace's currency."""
    return risk.exposure * probability(risk.likelihood)


@dataclass(frozen=True, slots=True)
class Assessment:
    severity: int
    band: Band
    probability: float
    expected_loss: float


def assess(risk: Risk) -> Assessment:
    """All of a risk's computed values at once."""
    s = severity(risk.likelihood, risk.impact)
    return Assessment(
        severity=s,
        band=band(s),
        probability=probability(risk.likelihood),
        expected_loss=expected_loss(risk),
    )


# -- technical -> business translation ---------------------------------------------------------
#
# Decisions where SPEC.md is silent (written down here and in the Risks screen's docstring):
#
# - Likelihood 1..5 reads rare, unlikely, possible, likely, almost certain; impact 1..5 reads
#   negligible, minor, moderate, major, severe. PROBABILITY is read as a chance per year.
# - Each category proposes the business metrics it usually puts at stake (PROPOSED_METRICS);
#   the proposal is only a proposal: the record's own affected_metrics are what count.
# - Totals and the "expected loss exceeds net value" flag leave closed risks out: a closed
#   risk no longer threatens anything. Open, mitigating and accepted risks all count.
# - A risk counts in full towards each metric it puts at stake, so the metric totals
#   overlap and do not add up to the total expected loss.
# - A feature is flagged when its counted risks' expected loss is above zero and greater
#   than its net value (expected uplift - TCO); a feature with no costed risk is never flagged.

LIKELIHOOD_WORDS: dict[int, str] = {
    1: "rare",
    2: "unlikely",
    3: "possible",
    4: "likely",
    5: "almost certain",
}
IMPACT_WORDS: dict[int, str] = {1: "negligible", 2: "minor", 3: "moderate", 4: "major", 5: "severe"}

PROPOSED_METRICS: dict[RiskCategory, tuple[BusinessMetric, ...]] = {
    "model-risk": ("conversion", "customer-trust"),
    "data-bias": ("customer-trust", "regulatory"),
    "privacy": ("regulatory", "customer-trust", "brand"),
    "drift": ("conversion", "revenue"),
    "security": ("customer-trust", "regulatory", "cost"),
    "availability": ("revenue", "conversion"),
    "compliance": ("regulatory", "cost"),
    "other": (),
}

COUNTED: frozenset[RiskStatus] = frozenset({"open", "mitigating", "accepted"})
NO_METRIC = ""  # the key of loss_by_metric for risks that name no metric


def likelihood_words(likelihood: int) -> str:
    """'rare' .. 'almost certain' for a likelihood of 1..5."""
    _check_scale("likelihood", likelihood)
    return LIKELIHOOD_WORDS[likelihood]


def impact_words(impact: int) -> str:
    """'negligible' .. 'severe' for an impact of 1..5."""
    _check_scale("impact", impact)
    return IMPACT_WORDS[impact]


def yearly_chance(likelihood: int) -> str:
    """'about 80% a year' for a likelihood of 4."""
    return f"about {probability(likelihood) * 100:.0f}% a year"


def proposed_metrics(category: str) -> tuple[BusinessMetric, ...]:
    """The business metrics a risk of this category usually puts at stake (none for 'other')."""
    return PROPOSED_METRICS.get(category, ())  # type: ignore[call-overload]


def describe(likelihood: int, exposure: float, metrics: Sequence[str], currency: str) -> str:
    """The plain-language sentence for these values; see `sentence`."""
    lead = f"{likelihood_words(likelihood).capitalize()} ({yearly_chance(likelihood)})"
    if exposure > 0:
        loss = exposure * probability(likelihood)
        cost = (
            f"an occurrence would cost {money(exposure, currency)}; "
            f"expected loss {money(loss, currency)} a year"
        )
    else:
        cost = "what an occurrence would cost is not estimated yet"
    stake = ", ".join(metrics) if metrics else "no business metric named yet"
    return f"{lead}: {cost}; at stake: {stake}."


def sentence(risk: Risk, currency: str) -> str:
    """The risk in business terms, from the record alone, e.g.

    'Likely (about 80% a year): an occurrence would cost €250k; expected loss €200k a
    year; at stake: conversion, revenue.'
    """
    return describe(risk.likelihood, risk.exposure, risk.affected_metrics, currency)


@dataclass(frozen=True, slots=True)
class Proposal:
    """What the category proposes: metrics, and a business-impact sentence built with them."""

    metrics: tuple[BusinessMetric, ...]
    business_impact: str


def proposal(risk: Risk, currency: str) -> Proposal:
    """The category's metrics (the record's own when the category proposes none) and the
    sentence built with them: what the facilitator accepts or replaces with their own words."""
    metrics = proposed_metrics(risk.category) or tuple(risk.affected_metrics)
    return Proposal(metrics, describe(risk.likelihood, risk.exposure, metrics, currency))


def counted(risk: Risk) -> bool:
    """Whether the risk counts in totals: every status but closed."""
    return risk.status in COUNTED


def heat_counts(risks: Iterable[Risk]) -> dict[tuple[int, int], int]:
    """(likelihood, impact) -> number of risks, for every one of the 25 cells."""
    counts = {(lik, imp): 0 for lik in range(1, 6) for imp in range(1, 6)}
    for risk in risks:
        counts[(risk.likelihood, risk.impact)] += 1
    return counts


def loss_by_metric(risks: Iterable[Risk]) -> dict[str, float]:
    """Expected loss a year at stake per business metric (NO_METRIC for risks naming none).

    Closed risks are left out; a risk counts in full for each of its metrics. Metrics
    with nothing at stake are left out; the order is that of BusinessMetric.
    """
    totals: dict[str, float] = {}
    for risk in risks:
        if not counted(risk):
            continue
        for metric in risk.affected_metrics or [NO_METRIC]:
            totals[metric] = totals.get(metric, 0.0) + expected_loss(risk)
    order = [*choices(BusinessMetric), NO_METRIC]
    return {metric: totals[metric] for metric in order if metric in totals}


@dataclass(frozen=True, slots=True)
class FeatureExposure:
    """A feature's counted risks against its net value."""

    feature: str
    risks: int  # counted risks linked to the feature
    loss: float  # their expected loss a year
    net_value: float  # expected uplift - TCO, a year

    @property
    def exceeds(self) -> bool:
        """The risks' expected loss is above zero and greater than the net value."""
        return self.loss > 0 and self.loss > self.net_value


def feature_exposure(
    features: Iterable[Feature], risks: Iterable[Risk]
) -> dict[str, FeatureExposure]:
    """Every feature with at least one counted risk, by feature id, in the features' order."""
    linked: dict[str, list[Risk]] = {}
    for risk in risks:
        if risk.feature and counted(risk):
            linked.setdefault(risk.feature, []).append(risk)
    return {
        f.id: FeatureExposure(
            feature=f.id,
            risks=len(linked[f.id]),
            loss=sum(expected_loss(r) for r in linked[f.id]),
            net_value=economics(f).net_value,
        )
        for f in features
        if f.id in linked
    }


def over_net_value(features: Iterable[Feature], risks: Iterable[Risk]) -> list[str]:
    """The ids of features whose risks' expected loss exceeds their net value, sorted."""
    return sorted(fid for fid, e in feature_exposure(features, risks).items() if e.exceeds)


@dataclass(frozen=True, slots=True)
class Totals:
    """Expected loss a year of every risk but the closed ones, whatever a screen filters."""

    all: float
    platform: float  # risks linked to no feature
    by_metric: dict[str, float]  # as loss_by_metric
    by_feature: list[FeatureExposure]  # those over their net value first, then by loss

    @property
    def flagged(self) -> int:
        return sum(e.exceeds for e in self.by_feature)


def totals(features: Sequence[Feature], risks: Sequence[Risk]) -> Totals:
    counted_risks = [r for r in risks if counted(r)]
    return Totals(
        all=sum(expected_loss(r) for r in counted_risks),
        platform=sum(expected_loss(r) for r in counted_risks if not r.feature),
        by_metric=loss_by_metric(risks),
        by_feature=sorted(
            feature_exposure(features, risks).values(),
            key=lambda e: (not e.exceeds, -e.loss, e.feature),
        ),
    )
