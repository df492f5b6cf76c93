"""What the Overview shows, as plain names and numbers, and how the workspace file keeps it.

`summarize` computes it from the records and their evaluation. The state keeps
it in the workspace file with the content version it was computed at; the next
start at the same version draws the Overview from it before any record is read,
so the first frame needs neither the records nor pydantic (issue 10, B1). The
records are read just after and the summary computed again, which replaces the
kept one if they differ (one kept by an older version of the app).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from .lazy import lazy_import

if TYPE_CHECKING:
    from .models import Plan
    from .risk import Assessment
    from .scoring import Evaluation

risk = lazy_import("roadmap_tui.risk")

# Of the kept JSON: a summary kept in another format is computed again. 2: closed risks
# are left out of the top risks (a summary of format 1 may list one first), and the
# participants are counted (the first steps of an empty workspace name them).
FORMAT = 2
LIMIT = 100  # rows kept per list: more than a 300-line terminal shows
# What a kept summary may hold where the screen looks a value up (risk.BANDS, models.Outcome).
BANDS = ("low", "medium", "high", "critical")
OUTCOMES = ("approved", "deferred", "rejected", "needs-info")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class About(NamedTuple):
    name: str
    description: str
    scoring_model: str
    aggregation: str
    currency: str
    features: int
    capabilities: int
    risks: int
    policies: int
    decisions: int
    blocked: int  # features with a capability gap
    contested: int  # cells
    incomplete: int  # features
    participants: int


class Ranked(NamedTuple):
    id: str
    rank: int
    score: float
    blocked: bool
    at_a_loss: bool  # its risks' expected loss exceeds its net value
    title: str


class Lever(NamedTuple):
    id: str
    unlocked_value: float
    leverage: float | None
    name: str


class RiskRow(NamedTuple):
    id: str
    band: str
    expected_loss: float
    title: str


class DecisionRow(NamedTuple):
    id: str
    date: str  # ISO
    outcome: str
    title: str


class OverviewSummary(NamedTuple):
    about: About
    ranked: tuple[Ranked, ...]  # by rank
    blocked_value: float  # the expected uplift of the blocked features
    levers: tuple[Lever, ...]  # the capabilities that block features, most leverage first
    at_a_loss: int  # features whose risks' expected loss exceeds their net value
    risks: tuple[RiskRow, ...]  # those that count (not closed), by expected loss, highest first
    decisions: tuple[DecisionRow, ...]  # newest first

    def to_json(self) -> str:
        return json.dumps([FORMAT, self], ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> OverviewSummary | None:
        """The summary `to_json` wrote, checked to be as safe to draw as a computed one;
        None for anything else (another format, a damaged or edited row)."""
        try:
            data = json.loads(text)
            if not (isinstance(data, list) and len(data) == 2 and data[0] == FORMAT):
                return None
            fields = data[1]
            if not (isinstance(fields, list) and len(fields) == len(cls._fields)):
                return None
            about, ranked, blocked_value, levers, at_a_loss, risks, decisions = fields
            summary = cls(
                _row(About, about),
                _rows(Ranked, ranked),
                _checked(blocked_value, _NUMBER),
                _rows(Lever, levers),
                _checked(at_a_loss, int),
                _rows(RiskRow, risks),
                _rows(DecisionRow, decisions),
            )
        except (ValueError, TypeError):  # json's errors are ValueErrors
            return None
        if any(r.band not in BANDS for r in summary.risks):
            return None
        if any(d.outcome not in OUTCOMES or not _DATE.fullmatch(d.date) for d in summary.decisions):
            return None
        return summary


_NUMBER = (int, float)
_TYPES: Mapping[type, tuple[Any, ...]] = {
    About: (str,) * 5 + (int,) * 9,
    Ranked: (str, int, _NUMBER, bool, bool, str),
    Lever: (str, _NUMBER, (*_NUMBER, type(None)), str),
    RiskRow: (str, str, _NUMBER, str),
    DecisionRow: (str, str, str, str),
}


def _checked(value: Any, kind: Any) -> Any:
    if not isinstance(value, kind):
        raise TypeError(f"{value!r} is not {kind}")
    return value


def _row(cls: Any, values: Any) -> Any:
    types = _TYPES[cls]
    if not (isinstance(values, list) and len(values) == len(types)):
        raise TypeError(f"not a {cls.__name__}")
    return cls(*(_checked(value, kind) for value, kind in zip(values, types, strict=True)))


def _rows(cls: Any, rows: Any) -> tuple[Any, ...]:
    return tuple(_row(cls, row) for row in _checked(rows, list))


def summarize(
    plan: Plan, evaluation: Evaluation, assessments: Mapping[str, Assessment]
) -> OverviewSummary:
    """The Overview of `plan` (its features' evaluation and its risks' assessments)."""
    results = evaluation.features
    info = plan.workspace
    about = About(
        info.name,
        info.description,
        info.scoring_model,
        info.aggregation,
        info.currency,
        len(plan.features),
        len(plan.capabilities),
        len(plan.risks),
        len(plan.policies),
        len(plan.decisions),
        sum(r.readiness.blocked for r in results.values()),
        evaluation.contested_cells,
        sum(not r.complete for r in results.values()),
        len(plan.participants),
    )
    at_a_loss = set(risk.over_net_value(plan.features, plan.risks))
    by_rank = sorted((r.rank, f) for f in plan.features if (r := results[f.id]).rank)
    ranked = tuple(
        Ranked(
            f.id,
            rank,
            results[f.id].score,
            results[f.id].readiness.blocked,
            f.id in at_a_loss,
            f.title,
        )
        for rank, f in by_rank[:LIMIT]
    )
    levers = [
        (c, lever)
        for c in plan.capabilities
        if (lever := evaluation.capabilities[c.id]).blocked_features
    ]
    levers.sort(key=lambda item: (item[1].leverage is None, -(item[1].leverage or 0)))
    assessed = sorted(
        ((assessments[r.id], r) for r in plan.risks if risk.counted(r)),
        key=lambda item: (-item[0].expected_loss, item[1].id),
    )
    recent = sorted(plan.decisions, key=lambda d: (d.date, d.id), reverse=True)
    return OverviewSummary(
        about,
        ranked,
        sum(f.expected_uplift for f in plan.features if results[f.id].readiness.blocked),
        tuple(
            Lever(c.id, lever.unlocked_value, lever.leverage, c.name) for c, lever in levers[:LIMIT]
        ),
        len(at_a_loss),
        tuple(RiskRow(r.id, a.band, a.expected_loss, r.title) for a, r in assessed[:LIMIT]),
        tuple(DecisionRow(d.id, d.date.isoformat(), d.outcome, d.title) for d in recent[:LIMIT]),
    )
