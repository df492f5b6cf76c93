"""Risk numbers of SPEC.md section 2: severity, band, probability, expected loss.

Pure functions of the `Risk` model: no I/O, no clock, no UI. Values outside
the 1..5 scales (or a severity outside 1..25) raise ValueError rather than
guessing a band or a probability.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from roadmap_tui.models import Risk

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
