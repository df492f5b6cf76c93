"""The live scoring state of a workshop: cells, scores and ranks, updated one vote at a time.

A vote changes one cell, so only that feature's score is recomputed and only
that feature moves in the ranking (an Ordering: two bisections and one list
insert), whatever the size of the workspace. Nothing is reloaded from the
store on a keystroke. Every number comes from the functions of scoring.py,
so the board and `scoring.evaluate` always agree (a property test checks it).
"""

from __future__ import annotations

from collections.abc import Mapping

from . import scoring
from .models import Criterion, Feature, Plan, WorkspaceInfo
from .ordering import Ordering


class ScoreBoard:
    def __init__(self, plan: Plan) -> None:
        self.info: WorkspaceInfo = plan.workspace
        self.features: dict[str, Feature] = {f.id: f for f in plan.features}
        self.criteria: list[Criterion] = list(plan.criteria)
        self.participants: list[str] = [p.id for p in plan.participants]
        self.names: dict[str, str] = {p.id: p.name for p in plan.participants}
        # (feature, criterion) -> participant ("" for the consensus) -> value
        self.votes: dict[tuple[str, str], dict[str, float]] = {}
        for s in plan.scores:
            self.votes.setdefault((s.feature, s.criterion), {})[s.participant] = s.value
        self.cells: dict[tuple[str, str], scoring.Cell] = {}
        self.scores: dict[str, float | None] = {}
        self.missing: dict[str, tuple[str, ...]] = {}
        self.ranking = Ordering()  # complete features, best first: rank = position + 1
        self.recompute()

    @property
    def criterion(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    def recompute(self) -> None:
        """Everything from the votes: after a change of model, weights or criteria."""
        criteria = self.criterion
        self.cells = {
            key: self._cell(key, votes, criteria[key[1]])
            for key, votes in self.votes.items()
            if key[1] in criteria and key[0] in self.features
        }
        for feature in self.features:
            self._score(feature)
        self.ranking = Ordering(
            (f, _rank_key(f, score)) for f, score in self.scores.items() if score is not None
        )

    def rank(self, feature: str) -> int | None:
        """1 for the best score (ties by id, as scoring.rank); None for an incomplete feature."""
        return self.ranking.index(feature) + 1 if feature in self.ranking else None

    @property
    def ranks(self) -> dict[str, int]:
        """Every rank at once (O(n)): for a baseline to compare with, not for a keystroke."""
        return {feature: i for i, feature in enumerate(self.ranking, start=1)}

    def vote(self, feature: str, criterion: str, participant: str, value: float | None) -> range:
        """Record (or with None, remove) one vote; update the cell, the score and the ranking.

        Returns the positions in the ranking (rank - 1) whose feature changed.
        """
        key = (feature, criterion)
        votes = self.votes.setdefault(key, {})
        if value is None:
            votes.pop(participant, None)
        else:
            votes[participant] = value
        if votes:
            self.cells[key] = self._cell(key, votes, self.criterion[criterion])
        else:
            self.votes.pop(key)
            self.cells.pop(key, None)
        self._score(feature)
        score = self.scores[feature]
        return self.ranking.place(feature, None if score is None else _rank_key(feature, score))

    def set_info(self, info: WorkspaceInfo) -> None:
        self.info = info
        self.recompute()

    def set_criteria(self, criteria: list[Criterion]) -> None:
        self.criteria = list(criteria)
        self.recompute()

    def value(self, feature: str, criterion: str) -> float | None:
        cell = self.cells.get((feature, criterion))
        return None if cell is None else cell.value

    def vote_of(self, feature: str, criterion: str, participant: str) -> float | None:
        return self.votes.get((feature, criterion), {}).get(participant)

    def spread(self, feature: str) -> float:
        """The widest spread of the feature's cells: how much the room disagrees on it."""
        cells = (self.cells.get((feature, c.id)) for c in self.criteria)
        return max((cell.spread for cell in cells if cell is not None), default=0.0)

    def contested(self, feature: str) -> bool:
        return any(
            (cell := self.cells.get((feature, c.id))) is not None and cell.contested
            for c in self.criteria
        )

    def _cell(
        self, key: tuple[str, str], votes: Mapping[str, float], criterion: Criterion
    ) -> scoring.Cell:
        people = {p: v for p, v in votes.items() if p}
        return scoring.make_cell(people, votes.get(""), criterion, self.info)

    def _score(self, feature: str) -> None:
        values = {c.id: self.value(feature, c.id) for c in self.criteria}
        model = self.info.scoring_model
        self.scores[feature] = scoring.feature_score(values, self.criteria, model)
        self.missing[feature] = scoring.missing_criteria(values, self.criteria, model)


def _rank_key(feature: str, score: float) -> tuple[float, str]:
    return (-score, feature)  # highest first, ties by id: the order of scoring.rank
