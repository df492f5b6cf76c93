"""What the screens read: the workspace's records and their computed values, cached.

Screens never run SQL and never recompute on their own: they read this state,
which reloads once after each change (`invalidate`) and is shared by all screens.
The scores are not in `plan`: at 10,000 features they are 100,000 rows, which the
evaluation and the Score screen stream from the store as plain tuples instead.
"""

from __future__ import annotations

from collections.abc import Collection, Set
from functools import cached_property

from . import risk, scoring
from .models import Plan
from .workspace import Workspace


class WorkspaceState:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.generation = 0  # bumped on every change, so a screen knows it is stale
        self._evaluation: scoring.Evaluation | None = None
        self._rescore: set[str] = set()  # features whose votes changed since it was computed

    @cached_property
    def plan(self) -> Plan:
        """Every record but the scores (`plan.scores` is empty: read `workspace.votes()`)."""
        return self.workspace.plan(scores=False)

    @property
    def evaluation(self) -> scoring.Evaluation:
        """The whole plan's numbers; after votes, only the voted features are scored again."""
        if self._evaluation is None:
            self._evaluation = scoring.evaluate(self.plan, self.workspace.votes())
            self._rescore.clear()
        elif self._rescore:
            features, self._rescore = self._rescore, set()
            votes = self.workspace.votes(features)
            self._evaluation = scoring.reevaluate(self._evaluation, self.plan, features, votes)
        return self._evaluation

    @cached_property
    def assessments(self) -> dict[str, risk.Assessment]:
        return {r.id: risk.assess(r) for r in self.plan.risks}

    def invalidate(
        self, kinds: Set[str] | None = None, scores: Collection[scoring.ScoreChange] | None = None
    ) -> None:
        """Forget what `kinds` of change make stale (everything when they are not known).

        Votes whose cells are known (`scores`) keep the records and mark their features
        to be scored again when the evaluation is next read: no work per keystroke.
        """
        if kinds == {"scores"} and scores is not None:
            self._rescore.update(feature for feature, _, _, _ in scores)
        else:
            self._evaluation = None
            self._rescore.clear()
            if kinds != {"scores"}:
                for name in ("plan", "assessments"):
                    self.__dict__.pop(name, None)
        self.generation += 1
