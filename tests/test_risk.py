"""SPEC.md section 2, risks: severity, band, probability, expected loss."""

from __future__ import annotations

import pytest

from roadmap_tui.models import Risk
from roadmap_tui.risk import (
    BANDS,
    PROBABILITY,
    Assessment,
    assess,
    band,
    expected_loss,
    probability,
    severity,
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
