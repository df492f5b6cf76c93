"""The computed values of SPEC.md section 2 (risks are in `risk.py`).

Pure functions of the models: no I/O, no clock, no UI, so the same workspace
always gives the same numbers and a test can check each of them by hand.

Decisions where SPEC.md is silent:

- A score whose criterion is not in the criteria list is ignored. A second
  score for the same (feature, criterion, participant) replaces the first
  (the store and `models.check_references` refuse such duplicates anyway).
- Median of an even number of votes is the mean of the two middle ones.
- Contested: spread / (max - min) >= threshold, compared with a 1e-9
  tolerance so a ratio exactly at the threshold is not lost to float
  rounding. As SPEC says it, a threshold of 0 marks every cell.
- weighted: only criteria with weight > 0 count, for the score and for
  completeness. With no such criterion there is no score and nothing missing.
- rice / wsjf: raw aggregated values, weights and direction ignored. If the
  model's criteria are not all defined, every feature is incomplete (no error
  here: the UI explains why through `models.model_problems`).
- A need on a capability that does not exist counts as maturity 0.
- roi is None when tco is 0, payback_months when expected_uplift is 0,
  leverage when cost_to_close is 0.
- A quotient too large for a float (beyond about 1.8e308) is none too, like one with a
  divisor of 0: every part is within its bound (SPEC section 1), but a divisor can be
  as small as 5e-324 (an effort, a job size, a TCO, an uplift, a cost to close). So an
  RICE or WSJF score that overflows leaves its feature incomplete and unranked, and
  every computed value is a finite number or none: shown as "—", left out of exports
  (issue 22).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from operator import itemgetter

from roadmap_tui.models import (
    MODEL_CRITERIA,
    Aggregation,
    Capability,
    Criterion,
    Feature,
    Plan,
    Score,
    ScoringModel,
    WorkspaceInfo,
)

# Float noise allowance when comparing a spread ratio with the threshold.
_EPSILON = 1e-9

# One score as the hot paths read it: (feature, criterion, participant, value), the
# consensus with participant "". A tuple, not a Score model: a 10,000-feature workspace
# holds about 100,000 of them, and the store streams them already in cell order.
Vote = tuple[str, str, str, float]
# A vote as a change: the cell's key and its value now, None when it was cleared.
ScoreChange = tuple[str, str, str, float | None]
_CELL = itemgetter(0, 1)


def votes_of(scores: Iterable[Score]) -> list[Vote]:
    """Score models as votes, in cell order (stable: a later duplicate still wins)."""
    return sorted(((s.feature, s.criterion, s.participant, s.value) for s in scores), key=_CELL)


@dataclass(frozen=True, slots=True)
class Cell:
    """One (feature, criterion) of the score matrix."""

    value: float | None  # consensus if present, else median/mean of votes, else None
    spread: float  # max - min of participants' votes; the consensus is not a vote
    contested: bool
    votes: Mapping[str, float]  # participant id -> value, sorted by id; never ""
    consensus: float | None


def aggregate(votes: Iterable[float], consensus: float | None, method: Aggregation) -> float | None:
    """The cell's value: the consensus if any, else the median or mean of the votes."""
    if consensus is not None:
        return float(consensus)
    values = sorted(votes)
    n = len(values)
    if not n:
        return None
    if method == "mean":
        return math.fsum(values) / n  # what statistics.fmean computes, without its overhead
    middle = n // 2
    return float(values[middle] if n % 2 else (values[middle - 1] + values[middle]) / 2)


def spread(votes: Iterable[float]) -> float:
    """max - min of the votes; 0 with fewer than two."""
    values = votes if isinstance(votes, list) else list(votes)
    if len(values) < 2:
        return 0.0
    return float(max(values) - min(values))


def is_contested(spread: float, criterion: Criterion, threshold: float) -> bool:
    """spread / (max - min) >= threshold, as SPEC section 2 says (threshold 0 marks every cell)."""
    return spread / (criterion.max - criterion.min) >= threshold - _EPSILON


def cell_votes(
    votes: Iterable[Vote],
) -> Iterator[tuple[tuple[str, str], dict[str, float], float | None]]:
    """Each (feature id, criterion id) with a score: its participants' votes and its
    consensus. `votes` must come in cell order (as `votes_of` and the store give them).

    A generator: a whole workspace's cells are never held at once.
    """
    for key, group in groupby(votes, key=_CELL):
        people: dict[str, float] = {}
        consensus = None
        for _, _, participant, value in group:
            if participant:
                people[participant] = value
            else:
                consensus = value
        yield key, people, consensus


def build_cells(
    votes: Iterable[Vote], criteria: Mapping[str, Criterion], info: WorkspaceInfo
) -> Iterator[tuple[tuple[str, str], Cell]]:
    """Every (feature id, criterion id) with at least one score, as a Cell (see cell_votes)."""
    for key, people, consensus in cell_votes(votes):
        criterion = criteria.get(key[1])
        if criterion is not None:
            yield key, make_cell(people, consensus, criterion, info)


def make_cell(
    votes: Mapping[str, float], consensus: float | None, criterion: Criterion, info: WorkspaceInfo
) -> Cell:
    """One cell from its participants' votes (participant id -> value) and the consensus."""
    ordered = dict(sorted(votes.items()))
    value, cell_spread, contested = cell_numbers(list(ordered.values()), consensus, criterion, info)
    return Cell(value, cell_spread, contested, ordered, consensus)


def cell_numbers(
    votes: list[float], consensus: float | None, criterion: Criterion, info: WorkspaceInfo
) -> tuple[float | None, float, bool]:
    """A cell's value, spread and contested flag: a Cell without its votes, for the
    evaluation and the board, which keep only these numbers."""
    cell_spread = spread(votes)
    contested = is_contested(cell_spread, criterion, info.disagreement_threshold)
    return aggregate(votes, consensus, info.aggregation), cell_spread, contested


# A feature's score (None: incomplete) and its missing criteria, from its aggregated values
# in the criteria's order (None: no value).
Scorer = Callable[[Sequence[float | None]], tuple[float | None, tuple[str, ...]]]


def scorer(criteria: Sequence[Criterion], model: ScoringModel) -> Scorer:
    """How `feature_score` and `missing_criteria` score each feature of one workspace: what
    depends only on the criteria is worked out once (issue 21: a third of building the
    Score screen at 10,000 features went on doing it again for every feature)."""
    if model == "weighted":
        return _weighted_scorer(criteria)
    if model not in MODEL_CRITERIA:
        raise ValueError(f"unknown scoring model {model!r}")
    where = {c.id: i for i, c in enumerate(criteria)}
    needed = MODEL_CRITERIA[model]
    reported = sorted(needed)
    places = [where.get(cid) for cid in needed]
    rice = model == "rice"

    def score(values: Sequence[float | None]) -> tuple[float | None, tuple[str, ...]]:
        numbers = [None if i is None else values[i] for i in places]
        if None in numbers:  # an undefined criterion is missing whatever the values hold
            missing = (cid for cid in reported if cid not in where or values[where[cid]] is None)
            return None, tuple(missing)
        a, b, c, d = numbers
        assert a is not None and b is not None and c is not None and d is not None
        if d <= 0:  # effort / job_size is a divisor
            return None, ()
        # confidence is a percentage
        return ratio(a * b * (c / 100) if rice else a + b + c, d), ()

    return score


def _weighted_scorer(criteria: Sequence[Criterion]) -> Scorer:
    # only criteria with weight > 0 count, for the score and for completeness
    counted = [
        (i, c.id, c.weight, c.min, c.max - c.min, c.higher_is_better)
        for i, c in enumerate(criteria)
        if c.weight > 0
    ]
    by_id = sorted((cid, i) for i, cid, *_ in counted)
    # fsum: exact sums, so the order of the criteria cannot change a rounded score
    total = math.fsum(weight for _, _, weight, *_ in counted)

    def score(values: Sequence[float | None]) -> tuple[float | None, tuple[str, ...]]:
        if not counted:
            return None, ()
        terms: list[float] = []
        for i, _, weight, low, span, higher in counted:
            value = values[i]
            if value is None:
                return None, tuple(cid for cid, j in by_id if values[j] is None)
            n = (value - low) / span
            terms.append(weight * (n if higher else 1 - n))
        return 100 * math.fsum(terms) / total, ()

    return score


# A cell's value, spread and contested flag from its criterion's position, its
# participants' votes and its consensus.
CellNumbers = Callable[[int, tuple[float, ...], float | None], tuple[float | None, float, bool]]


def cell_numberer(criteria: Sequence[Criterion], info: WorkspaceInfo) -> CellNumbers:
    """`cell_numbers` of one workspace's cells, remembered by what decides them: a
    workshop's 80,000 cells hold a few hundred combinations of votes (issue 21)."""
    known: dict[tuple[int, float | None, tuple[float, ...]], tuple[float | None, float, bool]]
    known = {}

    def numbers(
        column: int, votes: tuple[float, ...], consensus: float | None
    ) -> tuple[float | None, float, bool]:
        key = (column, consensus, votes)
        found = known.get(key)
        if found is None:
            found = known[key] = cell_numbers(list(votes), consensus, criteria[column], info)
        return found

    return numbers


def feature_score(
    values: Mapping[str, float | None], criteria: Sequence[Criterion], model: ScoringModel
) -> float | None:
    """One feature's score from its aggregated values (criterion id -> value).

    None when the feature is incomplete.
    """
    return scorer(criteria, model)([values.get(c.id) for c in criteria])[0]


def missing_criteria(
    values: Mapping[str, float | None], criteria: Sequence[Criterion], model: ScoringModel
) -> tuple[str, ...]:
    """Sorted ids of the criteria that count for completeness and have no value.

    For rice / wsjf a model criterion absent from `criteria` is missing too,
    whatever `values` holds for it.
    """
    return scorer(criteria, model)([values.get(c.id) for c in criteria])[1]


def rank(scores: Mapping[str, float | None]) -> dict[str, int]:
    """feature id -> rank from 1, highest score first, ties by id; None scores are left out."""
    ordered = sorted(
        ((fid, s) for fid, s in scores.items() if s is not None),
        key=lambda item: (-item[1], item[0]),
    )
    return {fid: i for i, (fid, _) in enumerate(ordered, start=1)}


def ratio(numerator: float, divisor: float) -> float | None:
    """numerator / divisor; None when the divisor is 0 or the quotient overflows a float."""
    if not divisor:
        return None
    quotient = numerator / divisor
    return quotient if math.isfinite(quotient) else None


@dataclass(frozen=True, slots=True)
class Economics:
    tco: float
    net_value: float
    roi: float | None
    payback_months: float | None


def economics(feature: Feature) -> Economics:
    """TCO, net value, ROI and payback of one feature (all annual, in currency)."""
    tco = float(feature.costs.total)
    uplift = float(feature.expected_uplift)
    net = uplift - tco
    return Economics(
        tco=tco,
        net_value=net,
        roi=ratio(net, tco),
        payback_months=ratio(12 * tco, uplift),
    )


@dataclass(frozen=True, slots=True)
class Readiness:
    gap: int
    blocked_by: tuple[str, ...]  # sorted capability ids with a gap > 0

    @property
    def blocked(self) -> bool:
        return self.gap > 0


def readiness(feature: Feature, maturity: Mapping[str, int]) -> Readiness:
    """Sum of maturity gaps over the feature's needs; maturity: capability id -> current level."""
    gap = 0
    blocked_by: list[str] = []
    for need in feature.needs:
        g = max(0, need.required_maturity - maturity.get(need.capability, 0))
        if g:
            gap += g
            blocked_by.append(need.capability)
    return Readiness(gap=gap, blocked_by=tuple(sorted(blocked_by)))


@dataclass(frozen=True, slots=True)
class Leverage:
    blocked_features: int
    unlocked_value: float
    levels_needed: int
    cost_to_close: float
    leverage: float | None


def leverage(
    capabilities: Iterable[Capability], features: Iterable[Feature]
) -> dict[str, Leverage]:
    """One entry per capability: what raising it would unblock, and at what cost."""
    caps = {c.id: c for c in capabilities}
    blocked = dict.fromkeys(caps, 0)
    value: dict[str, list[float]] = {cid: [] for cid in caps}
    levels = dict.fromkeys(caps, 0)
    for feature in features:
        for need in feature.needs:
            cap = caps.get(need.capability)
            if cap is None:
                continue  # an unknown capability has nothing to upgrade
            gap = need.required_maturity - cap.maturity
            if gap > 0:
                blocked[cap.id] += 1
                value[cap.id].append(feature.expected_uplift)
                levels[cap.id] = max(levels[cap.id], gap)
    out: dict[str, Leverage] = {}
    for cid, cap in caps.items():
        cost = levels[cid] * cap.upgrade_cost_per_level
        unlocked = math.fsum(value[cid])  # exact: the same whatever the order of features
        out[cid] = Leverage(
            blocked_features=blocked[cid],
            unlocked_value=unlocked,
            levels_needed=levels[cid],
            cost_to_close=float(cost),
            leverage=ratio(unlocked, cost),
        )
    return out


@dataclass(frozen=True, slots=True)
class FeatureResult:
    score: float | None
    rank: int | None
    complete: bool
    missing: tuple[str, ...]  # from missing_criteria
    contested_criteria: tuple[str, ...]  # sorted criterion ids of this feature's contested cells
    readiness: Readiness
    # No economics: they follow from the feature alone, so `economics(feature)` gives them
    # where they are shown (kept here, they weighed 1.6 MB at 10,000 features).


@dataclass(frozen=True, slots=True)
class Evaluation:
    features: dict[str, FeatureResult]
    capabilities: dict[str, Leverage]
    contested_cells: int


# A feature's numbers that depend on the votes: score, missing and contested criteria.
_Scored = tuple[float | None, tuple[str, ...], tuple[str, ...]]


def _score_features(plan: Plan, votes: Iterable[Vote]) -> dict[str, _Scored]:
    """Feature by feature, as the votes come (in cell order): only each feature's numbers
    are kept, never its cells (a 10,000-feature plan has 80,000)."""
    criteria = plan.criteria
    column = {c.id: j for j, c in enumerate(criteria)}
    numbers = cell_numberer(criteria, plan.workspace)
    score = scorer(criteria, plan.workspace.scoring_model)
    found: dict[str, _Scored] = {}
    for fid, group in groupby(cell_votes(votes), key=lambda cell: cell[0][0]):
        values: list[float | None] = [None] * len(criteria)
        contested: list[str] = []
        for (_, cid), people, consensus in group:
            j = column.get(cid)
            if j is None:
                continue
            value, _, disputed = numbers(j, tuple(people.values()), consensus)
            values[j] = value
            if disputed:
                contested.append(cid)
        found[fid] = (*score(values), tuple(sorted(contested)))
    return found


def _unscored(plan: Plan) -> _Scored:
    return (*scorer(plan.criteria, plan.workspace.scoring_model)([None] * len(plan.criteria)), ())


def evaluate(plan: Plan, votes: Iterable[Vote] | None = None) -> Evaluation:
    """Everything of SPEC section 2 for a whole plan, except risks (see `risk.py`).

    `votes` are the plan's scores in cell order (by feature, then criterion), when
    the caller holds them apart from `plan` (the app streams them from the store);
    by default `plan.scores`.
    """
    found = _score_features(plan, votes_of(plan.scores) if votes is None else votes)
    unscored = _unscored(plan)
    scored = {f.id: found.get(f.id, unscored) for f in plan.features}
    ranks = rank({fid: numbers[0] for fid, numbers in scored.items()})
    maturity = {c.id: c.maturity for c in plan.capabilities}
    results = {}
    for f in plan.features:
        score, missing, contested = scored[f.id]
        results[f.id] = FeatureResult(
            score=score,
            rank=ranks.get(f.id),
            complete=score is not None,
            missing=missing,
            contested_criteria=contested,
            readiness=readiness(f, maturity),
        )
    return Evaluation(
        features=results,
        capabilities=leverage(plan.capabilities, plan.features),
        contested_cells=sum(len(numbers[2]) for numbers in found.values()),
    )


def reevaluate(
    previous: Evaluation, plan: Plan, features: Collection[str], votes: Iterable[Vote]
) -> Evaluation:
    """`previous` after votes changed only `features`' scores: those features scored
    again from `votes` (all of theirs, in cell order), then every rank.

    What votes do not touch (readiness, leverage) is kept, so a vote
    costs a re-rank, not a re-evaluation: equal to `evaluate` of the plan as it is now.
    """
    found = _score_features(plan, votes)
    unscored = _unscored(plan)
    results = dict(previous.features)
    contested_cells = previous.contested_cells
    for fid in features:
        old = results.get(fid)
        if old is None:
            continue  # not a feature of this plan: evaluate ignores its votes too
        score, missing, contested = found.get(fid, unscored)
        contested_cells += len(contested) - len(old.contested_criteria)
        results[fid] = replace(
            old, score=score, complete=score is not None, missing=missing,
            contested_criteria=contested,
        )  # fmt: skip
    ranks = rank({fid: result.score for fid, result in results.items()})
    for fid, result in results.items():
        if result.rank != ranks.get(fid):
            results[fid] = replace(result, rank=ranks.get(fid))
    return Evaluation(results, previous.capabilities, contested_cells)
