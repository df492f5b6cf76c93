"""Score: the live scoring matrix. The ranking moves as the room types.

Votes are stored one by one (workspace.set_score) and applied to an in-memory
ScoreBoard, so a keystroke recomputes one cell, one feature's score and its
place in the ranking, moves one row of the matrix and one point of the chart,
and redraws only the lines that changed: its cost does not grow with the
workspace. A change from another session reloads the board.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Static

from .. import formatting
from ..models import MODEL_CRITERIA, Criterion, Score, model_problems
from ..ordering import Ordering
from ..scoreboard import ScoreBoard
from ..scoring import ScoreChange
from ..voters import CONSENSUS
from ..widgets.quadrant import Point, QuadrantChart
from ..widgets.score_matrix import MatrixCell, MatrixRow, ScoreMatrix
from ..widgets.score_panels import cell_lines, economics_lines, rank_line, weights_line
from ..widgets.text import user_text
from .base import WorkspaceScreen
from .confirm_delete import delete_after_asking
from .criterion_form import criterion_form
from .model_picker import FORMULAS, ModelPicker

if TYPE_CHECKING:
    from ..workspace import Changes, Workspace

SORTS = ("rank", "score", "title", "spread")

WEIGHT_STEP = 0.5


# Every value there, and still no score: RICE and WSJF divide by this (SPEC section 2),
# and a divisor so near 0 that the score overflows counts as 0 (scoring.ratio).
class ScoreScreen(WorkspaceScreen):
    CSS_PATH = "../styles/score.tcss"
    MODE = "score"
    SHOWS = frozenset({"workspace", "features", "criteria", "participants", "scores"})
    LEGEND = ScoreMatrix.LEGEND  # the help (f1) says what the matrix's abbreviations mean
    BINDINGS = [
        Binding("v", "participant(1)", "Next voter",
                tooltip="Vote as the next participant (then the consensus)"),
        Binding("V", "participant(-1)", "Previous voter", key_display="V", show=False),
        Binding("plus,equals_sign", "weight(1)", "Weight up",
                tooltip="Raise this criterion's weight (weighted model)"),
        Binding("minus", "weight(-1)", "Weight down", tooltip="Lower this criterion's weight"),
        Binding("M", "model", "Model", key_display="M",
                tooltip="Choose the scoring model: weighted, RICE or WSJF"),
        Binding("S", "sort", "Sort", key_display="S", tooltip="Sort by rank, score, title, spread"),
        Binding("c", "contested", "Contested only",
                tooltip="Show only features with a contested cell: what to discuss next"),
        Binding("e", "edit_criterion", "Edit criterion"),
        Binding("N", "new_criterion", "New criterion", key_display="N"),
        Binding("X", "delete_criterion", "Delete criterion", key_display="X"),
        Binding("escape", "cancel_edit", "Cancel typing", show=False),
        Binding("w", "all_criteria", "All criteria",
                tooltip="Show or hide the criteria the model does not use (weight 0, or "
                        "not RICE's or WSJF's)"),
        Binding("P", "participants", "Participants", key_display="P",
                tooltip="Who votes here: add, rename, change role, delete"),
        Binding("a", "app.quick_add('features')", "Quick add",
                tooltip="Add a feature by its title alone"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self._board: ScoreBoard | None = None  # built when the screen is first shown
        self.rows = Ordering()  # the features shown, in the order of the sort
        self.participant = CONSENSUS
        self.sort = "rank"
        self.contested_only = False
        self.baseline: dict[str, int] | None = None  # ranks when the screen was first shown
        # The columns are the criteria the model uses (weight > 0; RICE's or WSJF's four, in
        # the formula's order); the rest only when asked for. Chosen when the board is
        # built, not on each weight change, so a column lowered to 0 stays under the cursor.
        self.show_all = False
        self.columns: list[int] | None = None  # the criteria shown, by index; None: all

    def compose_body(self) -> ComposeResult:
        yield Static(id="score-status")
        yield ScoreMatrix(self, id="score-matrix")
        yield Static(id="score-cell")
        yield Input(id="score-editor", compact=True, classes="-hidden")
        with Horizontal(id="score-bottom"):
            with Vertical(id="score-economics-box") as box:
                box.border_title = "Economics"
                yield Static(id="score-economics-title")
                yield Static(id="score-economics-rank")  # the line a vote changes
                yield Static(id="score-economics-money")
            with Vertical(id="score-chart-box") as box:
                box.border_title = "Value vs effort"
                yield QuadrantChart(id="score-chart")

    def on_mount(self) -> None:
        self.participant = self.roadmap.voter  # chosen once for the session (screens/join.py)
        super().on_mount()
        self.query_one(ScoreMatrix).focus()

    def on_unmount(self) -> None:
        # The app is closing (a mode's screen is never closed before): the next start's
        # Score screen reads this board instead of every vote, if it is current.
        if self._board is not None and self._shown_generation == self.state.generation:
            self.state.keep_board(self.board)

    # -- filling --------------------------------------------------------------------------

    def show(self) -> None:
        """Rebuild the board from the workspace (first show, another session, criteria)."""
        self._board = self.state.score_board()
        if self.baseline is None:
            self.baseline = self.board.ranks
        if self.participant not in self.board.participants:
            self.participant = CONSENSUS
        self._choose_columns()
        self._fill_chart()
        self._fill()

    def _fill(self) -> None:
        """The rows, the status and the selection: after a reload, a new sort or filter."""
        board = self.board
        self.rows = Ordering(
            (f, key) for f in board.titles if (key := self._row_key(f)) is not None
        )
        criteria = [(c.id, c.name) for c in board.criteria]
        if self.columns is not None:
            criteria = [criteria[j] for j in self.columns]
        self.query_one(ScoreMatrix).set_data(self.rows, criteria)
        self._fill_status()
        self._fill_selection()

    def _choose_columns(self) -> None:
        board = self.board
        model, criteria = board.info.scoring_model, board.criteria
        if self.show_all or model_problems(model, criteria):
            shown = list(range(len(criteria)))
        elif model == "weighted":
            shown = [j for j, c in enumerate(criteria) if c.weight > 0]
        else:
            index = {c.id: j for j, c in enumerate(criteria)}
            shown = [index[id] for id in MODEL_CRITERIA[model]]
        self.columns = None if shown == list(range(len(criteria))) else shown

    def _fill_chart(self) -> None:
        """Every complete feature's point: after a reload or new weights (not a sort)."""
        board = self.board
        points = (self._point(f) for f in board.titles)
        fixed = (0.0, 100.0) if board.info.scoring_model == "weighted" else None  # SPEC 2
        selected, _ = self.query_one(ScoreMatrix).current
        chart = self.query_one(QuadrantChart)
        chart.set_points([p for p in points if p], selected, "TCO", score_range=fixed)

    def _row_key(self, feature: str) -> tuple[object, ...] | None:
        """Where the feature's row goes in the current sort; None when the filter hides it."""
        board = self.board
        if self.contested_only and not board.contested(feature):
            return None
        title = board.titles[feature].casefold()
        if self.sort == "title":
            return (title, feature)
        if self.sort == "spread":
            return (-board.spread(feature), title, feature)
        # rank and score: ranked first, in the ranking's order and with its very keys (a
        # second key per feature held 1.1 MB at 10,000 features); then the rest by title
        if feature in board.ranking:
            return board.ranking.key(feature)
        return (math.inf, title, feature)

    def _point(self, feature: str) -> Point | None:
        board = self.board
        score = board.scores.get(feature)
        if score is None:
            return None
        return Point(feature, board.tco[feature], score)

    # -- what the matrix draws, one visible row at a time -----------------------------------

    def matrix_row(self, feature: str) -> MatrixRow:
        board = self.board
        rank = board.rank(feature)
        before = (self.baseline or {}).get(feature)
        if rank is None:
            movement = ""
        elif before is None:
            movement = "new"
        elif before == rank:
            movement = ""
        else:
            movement = f"{'↑' if rank < before else '↓'}{abs(before - rank)}"
        cells = board.row(feature, self.participant)
        if self.columns is not None:
            cells = [cells[j] for j in self.columns]
        return MatrixRow(
            feature=feature,
            title=board.titles[feature],
            rank=rank,
            score=board.scores.get(feature),
            missing=len(board.missing.get(feature, ())),
            movement=movement,
            cells=tuple(
                None if value is None else MatrixCell(value, contested, mine)
                for value, contested, mine in cells
            ),
        )

    @property
    def board(self) -> ScoreBoard:
        """The board the screen shows: built when it is first shown, before any key."""
        assert self._board is not None
        return self._board

    def _voter_name(self) -> str:
        if self.participant == CONSENSUS or self._board is None:
            return "the consensus (facilitator)"
        return self.board.names[self.participant]

    def _fill_status(self) -> None:
        board = self.board
        info = board.info
        problems = model_problems(info.scoring_model, board.criteria)
        parts = [
            Content.assemble("Voting as ", user_text(self._voter_name(), style="bold $accent")),
            Content(f"{info.scoring_model} model · sorted by {self.sort}"),
        ]
        if self.contested_only:
            parts.append(Content.styled("◆ contested only", "$contested"))
        if problems:
            parts.append(Content.styled(f"✗ {problems[0]} (M to fix)", "$gap-many"))
        self.query_one("#score-status", Static).update(
            Content("\n").join([Content(" · ").join(parts), self._weights_line(board)]),
            layout=False,  # a fixed height: a vote's redraw is these lines, not a new layout
        )

    def _weights_line(self, board: ScoreBoard) -> Content:
        criteria = board.criteria
        if self.columns is not None:
            criteria = [criteria[j] for j in self.columns]
        return weights_line(board, criteria, FORMULAS.get(board.info.scoring_model, ""))

    def _fill_selection(self) -> None:
        self._fill_cell()
        self._fill_economics()
        self.query_one(QuadrantChart).select(self.query_one(ScoreMatrix).current[0])

    def _fill_cell(self) -> None:
        feature, criterion = self.query_one(ScoreMatrix).current
        lines = cell_lines(self.board, feature, criterion, self.participant)
        self.query_one("#score-cell", Static).update(lines, layout=False)

    def _fill_economics(self) -> None:
        """The selected feature's title, rank and money (a vote changes only the rank line)."""
        feature_id, _ = self.query_one(ScoreMatrix).current
        # the one feature shown in full, read alone: the board holds only titles and TCOs
        feature = None if feature_id is None else self.state.feature(feature_id)
        title, money = economics_lines(feature, self.board.info.currency)
        self.query_one("#score-economics-title", Static).update(title)
        self.query_one("#score-economics-money", Static).update(money)
        self._fill_rank()

    def _fill_rank(self) -> None:
        feature_id, _ = self.query_one(ScoreMatrix).current
        widget = self.query_one("#score-economics-rank", Static)
        line = rank_line(self.board, feature_id, widget.content_region.width or 36)
        widget.update(line, layout=False)

    # -- voting ---------------------------------------------------------------------------

    @on(ScoreMatrix.CursorMoved)
    def _cursor_moved(self) -> None:
        if self._board is not None:
            self._fill_selection()

    @on(ScoreMatrix.Voted)
    def _voted(self, event: ScoreMatrix.Voted) -> None:
        self._vote(event.feature, event.criterion, event.value)

    def _allowed(self, criterion: str) -> str:
        crit = self.board.criterion[criterion]
        return f"a value from {formatting.plain(crit.min)} to {formatting.plain(crit.max)}"

    def _vote(self, feature: str, criterion: str, value: float | None) -> bool:
        """Store and show the vote; False when it was refused (the user was told why)."""
        crit = self.board.criterion[criterion]
        if value is not None and not crit.min <= value <= crit.max:  # said by its name
            problem = (
                f"{formatting.plain(value)} is outside {crit.name}: {self._allowed(criterion)}"
            )
            self.roadmap.tell(problem, title="Vote not saved", severity="error")
            return False
        participant = self.participant

        def store(workspace: Workspace) -> None:
            if value is None:
                workspace.clear_score(feature, criterion, participant)
            else:
                workspace.set_score(
                    Score(feature=feature, criterion=criterion, participant=participant,
                          value=value)
                )  # fmt: skip

        changes = self.roadmap.write(store, refused="Vote not saved")
        if changes is None:
            return False
        self._show_vote(feature, criterion, participant, value)
        self._fill_cell()
        self._fill_rank()
        self._keep_board_after_own_change(changes, {"scores"})
        return True

    def apply_scores(self, scores: list[ScoreChange]) -> bool:
        """Votes from the audit log (another session's, and this one's own, which the
        board already holds), one by one, as this session's own are shown."""
        board = self._board
        if board is None:
            return False
        criteria = board.criterion
        if any(f not in board.titles or c not in criteria for f, c, _, _ in scores):
            return False  # a feature or criterion this board has not seen: reload
        new = [s for s in scores if board.vote_of(s[0], s[1], s[2]) != s[3]]
        for feature, criterion, participant, value in new:
            self._show_vote(feature, criterion, participant, value)
        if new:
            self._fill_cell()
            self._fill_rank()
        return True

    def _show_vote(
        self, feature: str, criterion: str, participant: str, value: float | None
    ) -> None:
        """One vote into the board, its rows and its point; the cursor stays on its feature."""
        board = self.board
        matrix = self.query_one(ScoreMatrix)
        selected = matrix.current[0]
        ranked = board.vote(feature, criterion, participant, value)
        moved = self.rows.place(feature, self._row_key(feature))
        matrix.follow(selected)
        matrix.refresh_rows(moved)
        if feature in self.rows:  # its cells changed even where its place did not
            matrix.refresh_rows([self.rows.index(feature)])
        if self.sort not in ("rank", "score") or self.contested_only:
            # other rows show ranks that moved too; in this order they are anywhere
            matrix.refresh_rows(
                row
                for row in matrix.visible_rows()
                if (rank := board.rank(self.rows[row])) is not None and rank - 1 in ranked
            )
        self.query_one(QuadrantChart).move(feature, board.tco[feature], board.scores[feature])

    def _keep_board_after_own_change(self, changes: Changes, applied: set[str]) -> None:
        """This board holds its own change (`applied`) already and takes any other
        session's votes that came with it (`changes`), so it is not rebuilt."""
        if changes.kinds <= applied and (
            changes.scores is None or self.apply_scores(changes.scores)
        ):
            self._shown_generation = self.state.generation

    @on(ScoreMatrix.EditRequested)
    def _edit_requested(self) -> None:
        editor = self.query_one("#score-editor", Input)
        feature, criterion = self.query_one(ScoreMatrix).current
        assert criterion is not None and feature is not None
        crit = self.board.criterion[criterion]
        mine = self.board.vote_of(feature, criterion, self.participant)
        editor.value = "" if mine is None else f"{mine:g}"
        low, high = formatting.plain(crit.min), formatting.plain(crit.max)
        editor.placeholder = f"a value from {low} to {high}, enter saves, esc cancels"
        editor.remove_class("-hidden")
        editor.focus()

    @on(Input.Submitted, "#score-editor")
    def _edit_submitted(self, event: Input.Submitted) -> None:
        feature, criterion = self.query_one(ScoreMatrix).current
        text = event.value.strip()
        if feature and criterion and self._board is not None:
            # a refused value keeps the editor open with its text, so the next keys
            # still type instead of acting on the matrix
            try:
                value = formatting.typed_number(text) if text else None
            except ValueError:
                problem = f"{text!r} is not a number: {self._allowed(criterion)}"
                self.roadmap.tell(problem, title="Vote not saved", severity="error")
                return
            if not self._vote(feature, criterion, value):
                return
        self.action_cancel_edit()

    def action_cancel_edit(self) -> None:
        self.query_one("#score-editor", Input).add_class("-hidden")
        self.query_one(ScoreMatrix).focus()

    def action_participant(self, step: int) -> None:
        voters = [CONSENSUS, *(self._board.participants if self._board else [])]
        index = voters.index(self.participant) if self.participant in voters else 0
        self._vote_as(voters[(index + step) % len(voters)])

    def action_participants(self) -> None:
        self.roadmap.action_participants(self.participant)

    def _vote_as(self, participant: str) -> None:
        self.participant = participant
        self.query_one(ScoreMatrix).refresh()  # "mine" marks are drawn as the rows show
        self._fill_status()
        self._fill_cell()

    # -- weights, model, criteria ---------------------------------------------------------

    def action_weight(self, step: int) -> None:
        criterion = self._current_criterion()
        if criterion is None:
            return
        weight = max(0.0, criterion.weight + step * WEIGHT_STEP)
        if weight != criterion.weight:
            self._save_criterion(criterion.model_copy(update={"weight": weight}), criterion)

    def _save_criterion(self, criterion: Criterion, base: Criterion) -> None:
        board = self.board
        changes = self.roadmap.write(lambda ws: ws.save(criterion, base=base))
        if changes is None:
            return
        # As stored: this one merged with another session's change, and any other criterion
        # that session changed meanwhile (the changes name kinds, not records).
        stored = self.state.workspace.criteria()
        if [c.id for c in stored] != [c.id for c in board.criteria]:
            return  # criteria added or removed meanwhile: the change refills the screen
        board.set_criteria(stored)
        self._fill_chart()  # new weights move every score
        self._fill()
        self._keep_board_after_own_change(changes, {"criteria"})

    def _current_criterion(self) -> Criterion | None:
        _, criterion = self.query_one(ScoreMatrix).current
        return self.board.criterion.get(criterion) if self._board and criterion else None

    def action_model(self) -> None:
        def chosen(model: str | None) -> None:
            if model is not None:
                self.roadmap.changed()

        self.app.push_screen(ModelPicker(self.state.workspace), chosen)

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._fill()

    def action_all_criteria(self) -> None:
        self.show_all = not self.show_all
        self._choose_columns()
        self._fill()

    def action_contested(self) -> None:
        self.contested_only = not self.contested_only
        self._fill()

    def action_edit_criterion(self) -> None:
        criterion = self._current_criterion()
        if criterion is not None:
            self._open_criterion_form(criterion)

    def action_new_criterion(self) -> None:
        self._open_criterion_form(None)

    def _open_criterion_form(self, criterion: Criterion | None) -> None:
        workspace = self.state.workspace

        def saved(result: Criterion | None) -> None:
            if result is not None:
                self.roadmap.changed()
                self.select("criteria", result.id)

        form = criterion_form(
            criterion, workspace.save, current=lambda id: workspace.get("criteria", id)
        )
        self.app.push_screen(form, saved)

    def action_delete_criterion(self) -> None:
        criterion = self._current_criterion()
        if criterion is None:
            return
        delete_after_asking(self, "criteria", criterion.id, criterion.name)

    def selection(self) -> dict[str, list[str]]:
        feature, _ = self.query_one(ScoreMatrix).current
        return {"features": [feature]} if feature else {}

    def select(self, kind: str, id: str) -> None:
        self._refresh_if_stale()  # a record just saved is not on the board yet
        matrix = self.query_one(ScoreMatrix)
        if kind == "criteria":
            board = self._board
            hidden = self.columns is not None and board is not None and id in board.criterion
            if hidden and board.criteria.index(board.criterion[id]) not in self.columns:
                self.action_all_criteria()  # one the model leaves out: show them all
            matrix.move_to(column=id)
        elif kind == "participants":
            self._vote_as(id)
        else:
            matrix.move_to(row=id)
        matrix.focus()
