"""What the screens read: the workspace's records and their computed values, cached.

Screens never run SQL and never recompute on their own: they read this state,
which is shared by all screens and, after each change (`invalidate`), reads again
only the kinds of record the change touched and recomputes only what depends on
them. The scores are not in `plan`: at 10,000 features they are 100,000 rows,
which the evaluation and the Score screen stream from the store as plain tuples.
"""

from __future__ import annotations

from collections.abc import Collection, Set
from contextlib import suppress
from functools import cached_property
from typing import TYPE_CHECKING, cast

from .errors import WorkspaceError
from .lazy import lazy_import
from .overview_summary import OverviewSummary, summarize
from .workspace import Workspace

if TYPE_CHECKING:
    from .models import Feature, Plan
    from .scoreboard import ScoreBoard

risk = lazy_import("roadmap_tui.risk")
scoreboard = lazy_import("roadmap_tui.scoreboard")
scoring = lazy_import("roadmap_tui.scoring")

# What the evaluation is computed from; a change to anything else keeps it.
_SCORED_FROM = frozenset({"workspace", "features", "criteria", "capabilities", "scores"})
_HISTORY = 64  # changes remembered for kinds_since; a screen further behind reloads all
_OVERVIEW = "overview"  # the name the Overview's summary is kept under in the file
_BOARD = "board"  # and the Score screen's board


class WorkspaceState:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        # The content version the state shows at least (the app moves it with each change
        # it applies); what is read later may be newer, never older.
        self.version = workspace.content_version()
        self.generation = 0  # bumped on every change, so a screen knows it is stale
        self.overview_from_file = False  # the Overview is the file's, not yet checked
        # ... and the file kept it before its last change: its numbers may be old (it says so)
        self.overview_outdated = False
        self._evaluation: scoring.Evaluation | None = None
        self._rescore: set[str] = set()  # features whose votes changed since it was computed
        self._history: list[tuple[int, frozenset[str]]] = []  # (generation, kinds)

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

    @cached_property
    def overview(self) -> OverviewSummary:
        """What the Overview shows. Before the records are first read, the summary the
        file keeps, if any (`check_overview` computes it afterwards): kept before the
        file's last change, it is `overview_outdated` until then (issue 21: computing it
        first held the first frame back by a second at 10,000 features)."""
        if "plan" not in self.__dict__ and self.generation == 0:
            kept = self.workspace.kept_latest(_OVERVIEW)
            text = None if kept is None else kept[1]
            summary = OverviewSummary.from_json(text) if isinstance(text, str) else None
            if kept is not None and summary is not None:
                self.overview_from_file = True
                self.overview_outdated = kept[0] != self.version
                return summary
        return self._computed_overview()

    def check_overview(self) -> bool:
        """If the Overview came from the file, compute it from the records (read now):
        True when it differs from what the file kept (and replaced it)."""
        if not self.overview_from_file:
            return False
        outdated, self.overview_from_file, self.overview_outdated = (
            self.overview_outdated,
            False,
            False,
        )
        computed = self._summary()
        if computed == self.overview and not outdated:
            return False  # the file already holds it: nothing to write
        self.overview = computed
        self._keep(computed)
        return True  # replaced, or no longer outdated: drawn again

    def keep_overview(self) -> None:
        """Keep the Overview in the file as it is now, unless this state computed or read
        it since the last change: when the app closes, and after the CLI writes, so that
        the next start draws it at once, current."""
        if "overview" not in self.__dict__ or self.overview_outdated:
            self.overview_from_file = self.overview_outdated = False
            self.overview = self._computed_overview()

    def feature(self, id: str) -> Feature | None:
        """One feature as the file holds it now (None if gone): what the Score screen shows
        of its selected feature, without reading every record."""
        return cast("Feature | None", self.workspace.get("features", id))

    def score_board(self) -> ScoreBoard:
        """The Score screen's board of the file's records and votes as they are now: the
        board the file keeps, with the votes cast since, unless the features or more votes
        than `changes_since` lists changed since it was kept; else built from every record
        and vote (issue 21: 0.35 s at 10,000 features, where the kept one takes 0.1 s)."""
        return self._kept_board() or scoreboard.ScoreBoard(self.plan, self.workspace.votes())

    def keep_board(self, board: ScoreBoard) -> None:
        """Keep `board`, which shows the records at this state's version, for the next start."""
        with suppress(WorkspaceError):  # busy or read-only: the next start builds it again
            self.workspace.keep(_BOARD, self.version, board.dump())

    def _kept_board(self) -> ScoreBoard | None:
        kept = self.workspace.kept_latest(_BOARD)
        if kept is None or not isinstance(kept[1], bytes):
            return None
        changes = self.workspace.changes_since(kept[0])  # what the audit log says changed
        if "features" in changes.kinds or ("scores" in changes.kinds and changes.scores is None):
            return None  # other features, or too many votes to apply one by one
        # read now, not from `plan`, which may be older than the changes just applied
        ws = self.workspace
        board = scoreboard.ScoreBoard.kept(kept[1], ws.info(), ws.criteria(), ws.participants())
        if board is not None:
            criteria = board.criterion
            for feature, criterion, participant, value in changes.scores or ():
                if feature in board.titles and criterion in criteria:
                    board.vote(feature, criterion, participant, value)
        return board

    @property
    def workspace_name(self) -> str:
        """The workspace's name, from the Overview kept in the file until records are read."""
        if self.overview_from_file and "plan" not in self.__dict__:
            return self.overview.about.name
        return self.plan.workspace.name

    def _computed_overview(self) -> OverviewSummary:
        summary = self._summary()
        self._keep(summary)
        return summary

    def _summary(self) -> OverviewSummary:
        return summarize(self.plan, self.evaluation, self.assessments)

    def _keep(self, summary: OverviewSummary) -> None:
        # Busy or read-only: the next start computes it again; it is only a shortcut.
        with suppress(WorkspaceError):
            self.workspace.keep(_OVERVIEW, self.version, summary.to_json())

    def invalidate(
        self, kinds: Set[str], scores: Collection[scoring.ScoreChange] | None = None
    ) -> None:
        """Forget what the changed `kinds` make stale.

        Only the changed kinds of record are read again. Votes whose cells are known
        (`scores`) mark their features to be scored again when the evaluation is next
        read: no work per keystroke.
        """
        self.__dict__.pop("overview", None)
        self.overview_from_file = self.overview_outdated = False
        if kinds == {"scores"} and scores is not None:
            self._rescore.update(feature for feature, _, _, _ in scores)
        else:
            if kinds & _SCORED_FROM:
                self._evaluation = None
                self._rescore.clear()
            if "risks" in kinds:
                self.__dict__.pop("assessments", None)
            records = kinds - {"scores"}
            if records and "plan" in self.__dict__:
                self.plan = self.plan.model_copy(update=self._read(records))
        self.generation += 1
        self._history.append((self.generation, frozenset(kinds)))
        del self._history[:-_HISTORY]

    def kinds_since(self, generation: int) -> frozenset[str] | None:
        """Every kind changed after `generation` (None: too long ago to say, reload all)."""
        if generation < self.generation - len(self._history):
            return None  # older than what is remembered
        return frozenset().union(*(kinds for at, kinds in self._history if at > generation))

    def _read(self, kinds: Set[str]) -> dict[str, object]:
        return {
            kind: self.workspace.info() if kind == "workspace" else getattr(self.workspace, kind)()
            for kind in kinds
        }
