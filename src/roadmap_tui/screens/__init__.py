"""The six screens: their keys, titles and modules. Each module is imported on first visit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from textual.screen import Screen


@dataclass(frozen=True)
class ScreenInfo:
    mode: str
    key: str
    title: str
    what: str  # one line for the help screen and the command palette
    target: str  # "module:Class" under roadmap_tui.screens

    def factory(self) -> Callable[[], Screen]:
        def build() -> Screen:
            module, name = self.target.split(":")
            return getattr(import_module(f"{__name__}.{module}"), name)()

        return build


SCREENS: tuple[ScreenInfo, ...] = (
    ScreenInfo("overview", "o", "Overview", "ranking, blocked value, risks, decisions, activity",
               "overview:OverviewScreen"),
    ScreenInfo("map", "m", "Map", "features × capabilities, readiness gaps, leverage",
               "map:MapScreen"),
    ScreenInfo("score", "s", "Score", "the live scoring matrix and ranking",
               "score:ScoreScreen"),
    ScreenInfo("risks", "r", "Risks", "risk register in business terms",
               "risks:RisksScreen"),
    ScreenInfo("policies", "p", "Policies", "the policy library", "policies:PoliciesScreen"),
    ScreenInfo("decisions", "d", "Decisions", "decision log", "decisions:DecisionsScreen"),
)  # fmt: skip
SCREEN_BY_MODE = {info.mode: info for info in SCREENS}

# Where each kind of record lives, for jumps from the palette and the overview.
KIND_SCREEN = {
    "features": "map",
    "capabilities": "map",
    "criteria": "score",
    "participants": "score",
    "risks": "risks",
    "policies": "policies",
    "decisions": "decisions",
}
