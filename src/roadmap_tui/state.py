"""What the screens read: the workspace's records and their computed values, cached.

Screens never run SQL and never recompute on their own: they read this state,
which reloads once after each change (`invalidate`) and is shared by all screens.
The scores are not in `plan`: at 10,000 features they are 100,000 rows, which the
evaluation and the Score screen stream from the store as plain tuples instead.
"""

from __future__ import annotations

from collections.abc import Set
from functools import cached_property

from . import risk, scoring
from .models import Plan
from .workspace import Workspace

# What each cached value is computed from, so a change reloads only what it touches.
_RECORDS = ("plan", "evaluation", "assessments")
_SCORES = ("evaluation",)


class WorkspaceState:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.generation = 0  # bumped on every change, so a screen knows it is stale

    @cached_property
    def plan(self) -> Plan:
        """Every record but the scores (`plan.scores` is empty: read `workspace.votes()`)."""
        return self.workspace.plan(scores=False)

    @cached_property
    def evaluation(self) -> scoring.Evaluation:
        return scoring.evaluate(self.plan, self.workspace.votes())

    @cached_property
    def assessments(self) -> dict[str, risk.Assessment]:
        return {r.id: risk.assess(r) for r in self.plan.risks}

    def invalidate(self, kinds: Set[str] | None = None) -> None:
        """Forget what `kinds` of change make stale (everything when they are not known)."""
        for name in _SCORES if kinds == {"scores"} else _RECORDS:
            self.__dict__.pop(name, None)
        self.generation += 1
