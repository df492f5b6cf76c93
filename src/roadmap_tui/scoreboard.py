"""The live scoring state of a workshop: cells, scores and ranks, updated one vote at a time.

A vote changes one cell, so only that feature's score is recomputed, then the
ranking is re-sorted (O(n log n) on plain numbers). Nothing is reloaded from
the store on a keystroke. Every number comes from the functions of scoring.py,
so the board and `scoring.evaluate` always agree (a property test checks it).
"""

from __future__ import annotations

from collections.abc import Mapping

from . import scoring
from .models import Criterion, Feature, Plan, WorkspaceInfo


class ScoreBoard:
    def __init__(self, plan: Plan) -> None:
        self.info: WorkspaceInfo = plan.workspace
        self.features: dict[str, Feature] = {f.id: f for f in plan.features}
        self.criteria: list[Criterion] = list(plan.criteria)
        self.participants: list[str] = [p.id for p in plan.participants]
        # (feature, criterion) -> participant ("" for the consensus) -> value
        self.votes: dict[tuple[str, str], dict[str, float]] = {}
        for s in plan.scores:
            self.votes.setdefault((s.feature, s.criterion), {})[s.participant] = s.value
        self.cells: dict[tuple[str, str], scoring.Cell] = {}
        self.scores: dict[str, float | None] = {}
        self.missing: dict[str, tuple[str, ...]] = {}
        self.ranks: dict[str, int] = {}
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
        self.ranks = scoring.rank(self.scores)

    def vote(self, feature: str, criterion: str, participant: str, value: float | None) -> None:
        """Record (or with None, remove) one vote and update the cell, the score and the ranks."""
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
        self.ranks = scoring.rank(self.scores)

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
