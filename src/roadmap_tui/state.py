"""What the screens read: the workspace's records and their computed values, cached.

Screens never run SQL and never recompute on their own: they read this state,
which reloads once after each change (`invalidate`) and is shared by all screens.
"""

from __future__ import annotations

from functools import cached_property

from . import risk, scoring
from .models import Plan
from .workspace import Workspace


class WorkspaceState:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.generation = 0  # bumped on every change, so a screen knows it is stale

    @cached_property
    def plan(self) -> Plan:
        return self.workspace.plan()

    @cached_property
    def evaluation(self) -> scoring.Evaluation:
        return scoring.evaluate(self.plan)

    @cached_property
    def assessments(self) -> dict[str, risk.Assessment]:
        return {r.id: risk.assess(r) for r in self.plan.risks}

    def invalidate(self) -> None:
        for name in ("plan", "evaluation", "assessments"):
            self.__dict__.pop(name, None)
        self.generation += 1
