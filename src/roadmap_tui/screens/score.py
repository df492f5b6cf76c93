"""Score: the live scoring matrix. The ranking moves as the room types.

Votes are stored one by one (workspace.set_score) and applied to an in-memory
ScoreBoard, so a keystroke recomputes one cell, one feature's score and the
ranking, and redraws only the lines that changed. A change from another
session reloads the board.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Static

from .. import formatting, scoring
from ..formatting import short_labels
from ..models import Criterion, Score, model_problems
from ..scoreboard import ScoreBoard
from ..widgets.quadrant import Point, QuadrantChart
from ..widgets.score_matrix import CELL_WIDTH, MatrixCell, MatrixRow, ScoreMatrix
from ..widgets.text import user_text
from ..workspace import WorkspaceError
from .base import WorkspaceScreen
from .confirm_delete import ConfirmDelete
from .criterion_form import criterion_form
from .model_picker import FORMULAS, ModelPicker

SORTS = ("rank", "score", "title", "spread")

WEIGHT_STEP = 0.5
CONSENSUS = ""


class ScoreScreen(WorkspaceScreen):
    MODE = "score"
    BINDINGS = [
        Binding("v", "participant(1)", "Next voter",
                tooltip="Vote as the next participant (then the consensus)"),
        Binding("V", "participant(-1)", "Previous voter", key_display="V", show=False),
        Binding("plus,equals_sign", "weight(1)", "Weight +",
                tooltip="Raise this criterion's weight (weighted model)"),
        Binding("minus", "weight(-1)", "Weight −", tooltip="Lower this criterion's weight"),
        Binding("M", "model", "Model", key_display="M",
                tooltip="Choose the scoring model: weighted, RICE or WSJF"),
        Binding("S", "sort", "Sort", key_display="S", tooltip="Sort by rank, score, title, spread"),
        Binding("c", "contested", "Contested only",
                tooltip="Show only features with a contested cell: what to discuss next"),
        Binding("e", "edit_criterion", "Edit criterion"),
        Binding("N", "new_criterion", "New criterion", key_display="N"),
        Binding("X", "delete_criterion", "Delete criterion", key_display="X"),
        Binding("escape", "cancel_edit", "Cancel typing", show=False),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.board: ScoreBoard | None = None
        self.participant = CONSENSUS
        self.sort = "rank"
        self.contested_only = False
        self.baseline: dict[str, int] | None = None  # ranks when the screen was first shown

    def compose_body(self) -> ComposeResult:
        yield Static(id="score-status")
        yield ScoreMatrix(id="score-matrix")
        yield Static(id="score-cell")
        yield Input(id="score-editor", compact=True, classes="-hidden")
        with Horizontal(id="score-bottom"):
            with Vertical(id="score-economics-box") as box:
                box.border_title = "Economics"
                yield Static(id="score-economics")
            with Vertical(id="score-chart-box") as box:
                box.border_title = "Value vs effort"
                yield QuadrantChart(id="score-chart")

    def on_mount(self) -> None:
        participants = {p.id: p for p in self.state.plan.participants}
        actor = self.state.workspace.actor
        match = next((p for p in participants.values() if actor in (p.id, p.name)), None)
        self.participant = match.id if match else CONSENSUS
        super().on_mount()
        self.query_one(ScoreMatrix).focus()

    # -- filling --------------------------------------------------------------------------

    def show(self) -> None:
        """Rebuild the board from the workspace (first show, another session, criteria)."""
        self.board = ScoreBoard(self.state.plan)
        if self.baseline is None:
            self.baseline = dict(self.board.ranks)
        if self.participant not in self.board.participants:
            self.participant = CONSENSUS
        self._fill()

    def _fill(self, changed: set[str] | None = None) -> None:
        board = self.board
        assert board is not None
        matrix = self.query_one(ScoreMatrix)
        features = self._ordered(board)
        rows = [self._row(board, feature) for feature in features]
        criteria = [(c.id, c.name) for c in board.criteria]
        cells = {
            (f, c): MatrixCell(
                cell.value, cell.contested, board.vote_of(f, c, self.participant) is not None
            )
            for (f, c), cell in board.cells.items()
        }
        matrix.set_data(rows, criteria, cells, changed=changed)
        self._fill_status()
        self._fill_selection()

    def _ordered(self, board: ScoreBoard) -> list[str]:
        features = list(board.features)
        if self.contested_only:
            contested = {f for (f, _), cell in board.cells.items() if cell.contested}
            features = [f for f in features if f in contested]
        title = {f: board.features[f].title.casefold() for f in features}
        if self.sort == "title":
            return sorted(features, key=lambda f: (title[f], f))
        if self.sort == "spread":
            widest = {f: 0.0 for f in features}
            for (f, _), cell in board.cells.items():
                if f in widest:
                    widest[f] = max(widest[f], cell.spread)
            return sorted(features, key=lambda f: (-widest[f], title[f], f))
        # rank and score: ranked first, best first; incomplete after, by title
        return sorted(
            features,
            key=lambda f: (
                board.ranks.get(f) is None,
                board.ranks.get(f, 0),
                title[f],
                f,
            ),
        )

    def _row(self, board: ScoreBoard, feature: str) -> MatrixRow:
        rank = board.ranks.get(feature)
        before = (self.baseline or {}).get(feature)
        if rank is None:
            movement = ""
        elif before is None:
            movement = "new"
        elif before == rank:
            movement = ""
        else:
            movement = f"{'↑' if rank < before else '↓'}{abs(before - rank)}"
        return MatrixRow(
            feature=feature,
            title=board.features[feature].title,
            rank=rank,
            score=board.scores.get(feature),
            missing=len(board.missing.get(feature, ())),
            movement=movement,
        )

    def _voter_name(self) -> str:
        if self.participant == CONSENSUS:
            return "the consensus"
        person = next(p for p in self.state.plan.participants if p.id == self.participant)
        return person.name

    def _fill_status(self) -> None:
        board = self.board
        assert board is not None
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
            Content("\n").join([Content(" · ").join(parts), self._weights_line(board)])
        )

    def _weights_line(self, board: ScoreBoard) -> Content:
        """The weights panel: every criterion's weight, changed live with +/- on its column."""
        model = board.info.scoring_model
        if model != "weighted":
            return Content.styled(
                f"{model}: {FORMULAS[model]} (weights are not used)", "$text-muted"
            )
        labels = short_labels([c.name for c in board.criteria], CELL_WIDTH - 2)
        weights = Content(" · ").join(
            Content.assemble(user_text(label, style="bold"), f" {c.weight:g}")
            for label, c in zip(labels, board.criteria, strict=True)
        )
        return Content.assemble("weights ", weights, ("  (+/− on a column)", "$text-muted"))

    def _fill_selection(self) -> None:
        self._fill_cell()
        self._fill_economics()
        self._fill_chart()

    def _fill_cell(self) -> None:
        board = self.board
        assert board is not None
        feature, criterion_id = self.query_one(ScoreMatrix).current
        line = self.query_one("#score-cell", Static)
        if feature is None or criterion_id is None:
            line.update(Content.styled("No feature to score (c shows all).", "italic"))
            return
        criterion = board.criterion[criterion_id]
        cell = board.cells.get((feature, criterion_id))
        mine = board.vote_of(feature, criterion_id, self.participant)
        people = {p.id: p.name for p in self.state.plan.participants}
        direction = "higher is better" if criterion.higher_is_better else "lower is better"
        head = Content.assemble(
            user_text(criterion.name, style="bold"),
            f" {criterion.min:g}–{criterion.max:g}, {direction}, weight {criterion.weight:g} · ",
            "you: ",
            (formatting.compact(mine) if mine is not None else "no vote", "bold $accent"),
        )
        if cell is None:
            detail = Content("no votes yet")
        else:
            how = "consensus" if cell.consensus is not None else board.info.aggregation
            votes = Content(" ").join(
                Content.assemble(user_text(people.get(p, p)), f" {formatting.compact(v)}")
                for p, v in cell.votes.items()
            )
            contested = ("  ◆ contested", "bold $contested") if cell.contested else ""
            detail = Content.assemble(
                f"value {formatting.compact(cell.value)} ({how}) · spread {cell.spread:g}",
                contested,
                " · ",
                votes,
            )
        line.update(Content("\n").join([head, detail]))

    def _fill_economics(self) -> None:
        board = self.board
        assert board is not None
        feature_id, _ = self.query_one(ScoreMatrix).current
        box = self.query_one("#score-economics", Static)
        if feature_id is None:
            box.update("")
            return
        feature = board.features[feature_id]
        e = scoring.economics(feature)
        c = feature.costs
        money = lambda v: formatting.money(v, board.info.currency)  # noqa: E731
        missing = board.missing.get(feature_id, ())
        status = (
            Content(f"rank {board.ranks[feature_id]} · score {board.scores[feature_id]:.1f}")
            if feature_id in board.ranks
            else Content.styled(
                "incomplete: missing " + (", ".join(missing) or "a usable value"), "$gap-one"
            )
        )
        lines = [
            user_text(feature.title, style="bold"),
            status,
            Content(f"uplift {money(feature.expected_uplift)} · TCO {money(e.tco)}"),
            Content(f"net {money(e.net_value)} · ROI {formatting.number(e.roi, 2)} · "
                    f"payback {formatting.months(e.payback_months)}"),
            Content(f"data {money(c.data_engineering)} · training {money(c.training)} · "
                    f"deploy {money(c.deployment)} · monitoring {money(c.monitoring)} · "
                    f"incidents {money(c.incident_response)}"),
        ]  # fmt: skip
        box.update(Content("\n").join(lines))

    def _fill_chart(self) -> None:
        board = self.board
        assert board is not None
        points = [
            Point(f, scoring.economics(board.features[f]).tco, score)
            for f, score in board.scores.items()
            if score is not None
        ]
        selected, _ = self.query_one(ScoreMatrix).current
        self.query_one(QuadrantChart).set_points(points, selected, "TCO")

    # -- voting ---------------------------------------------------------------------------

    @on(ScoreMatrix.CursorMoved)
    def _cursor_moved(self) -> None:
        if self.board is not None:
            self._fill_selection()

    @on(ScoreMatrix.Voted)
    def _voted(self, event: ScoreMatrix.Voted) -> None:
        self._vote(event.feature, event.criterion, event.value)

    def _vote(self, feature: str, criterion: str, value: float | None) -> None:
        board = self.board
        assert board is not None
        workspace = self.state.workspace
        try:
            if value is None:
                workspace.clear_score(feature, criterion, self.participant)
            else:
                workspace.set_score(
                    Score(feature=feature, criterion=criterion, participant=self.participant,
                          value=value)
                )  # fmt: skip
        except WorkspaceError as error:
            self.roadmap.tell(str(error), title="Vote not saved", severity="error")
            return
        ranks_before = dict(board.ranks)
        board.vote(feature, criterion, self.participant, value)
        moved = {f for f in board.ranks.keys() | ranks_before.keys()
                 if board.ranks.get(f) != ranks_before.get(f)}  # fmt: skip
        # Redraw only the rows that changed, unless the order itself changed.
        self._fill(changed={feature} | moved)
        self._keep_board_after_own_change({"scores"})

    def _keep_board_after_own_change(self, kinds: set[str]) -> None:
        # The board already holds this change: tell the other screens, but do not reload.
        self.roadmap.changed(frozenset(kinds))
        self._shown_generation = self.state.generation

    @on(ScoreMatrix.EditRequested)
    def _edit_requested(self) -> None:
        editor = self.query_one("#score-editor", Input)
        feature, criterion = self.query_one(ScoreMatrix).current
        assert self.board is not None and criterion is not None and feature is not None
        crit = self.board.criterion[criterion]
        mine = self.board.vote_of(feature, criterion, self.participant)
        editor.value = "" if mine is None else f"{mine:g}"
        editor.placeholder = f"a value from {crit.min:g} to {crit.max:g}, enter saves, esc cancels"
        editor.remove_class("-hidden")
        editor.focus()

    @on(Input.Submitted, "#score-editor")
    def _edit_submitted(self, event: Input.Submitted) -> None:
        feature, criterion = self.query_one(ScoreMatrix).current
        text = event.value.strip()
        if feature and criterion:
            try:
                value = float(text) if text else None
            except ValueError:
                self.roadmap.tell(f"{text!r} is not a number", title="Vote not saved",
                                  severity="error")  # fmt: skip
                return
            self._vote(feature, criterion, value)
        self.action_cancel_edit()

    def action_cancel_edit(self) -> None:
        self.query_one("#score-editor", Input).add_class("-hidden")
        self.query_one(ScoreMatrix).focus()

    def action_participant(self, step: int) -> None:
        voters = [CONSENSUS, *(self.board.participants if self.board else [])]
        index = voters.index(self.participant) if self.participant in voters else 0
        self.participant = voters[(index + step) % len(voters)]
        self._fill()

    # -- weights, model, criteria ---------------------------------------------------------

    def action_weight(self, step: int) -> None:
        criterion = self._current_criterion()
        if criterion is None:
            return
        weight = max(0.0, criterion.weight + step * WEIGHT_STEP)
        if weight != criterion.weight:
            self._save_criterion(criterion.model_copy(update={"weight": weight}))

    def _save_criterion(self, criterion: Criterion) -> None:
        board = self.board
        assert board is not None
        try:
            self.state.workspace.save(criterion)
        except WorkspaceError as error:
            self.roadmap.tell(str(error), title="Not saved", severity="error")
            return
        board.set_criteria([criterion if c.id == criterion.id else c for c in board.criteria])
        self._fill()
        self._keep_board_after_own_change({"criteria"})

    def _current_criterion(self) -> Criterion | None:
        _, criterion = self.query_one(ScoreMatrix).current
        return self.board.criterion.get(criterion) if self.board and criterion else None

    def action_model(self) -> None:
        def chosen(model: str | None) -> None:
            if model is not None:
                self.roadmap.changed(frozenset({"workspace", "criteria"}))

        self.app.push_screen(ModelPicker(self.state.workspace), chosen)

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
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
                self.roadmap.changed(frozenset({"criteria"}))

        form = criterion_form(
            criterion, workspace.save, current=lambda id: workspace.get("criteria", id)
        )
        self.app.push_screen(form, saved)

    def action_delete_criterion(self) -> None:
        criterion = self._current_criterion()
        if criterion is None:
            return
        references = self.state.workspace.references("criteria", criterion.id)

        def answered(delete: bool | None) -> None:
            if delete:
                self.roadmap.write({"criteria"}, lambda ws: ws.delete("criteria", criterion.id))

        self.app.push_screen(
            ConfirmDelete("criterion", criterion.id, criterion.name, references), answered
        )

    def selection(self) -> dict[str, list[str]]:
        feature, _ = self.query_one(ScoreMatrix).current
        return {"features": [feature]} if feature else {}

    def select(self, kind: str, id: str) -> None:
        matrix = self.query_one(ScoreMatrix)
        if kind == "criteria":
            matrix.move_to(column=id)
        elif kind == "participants":
            self.participant = id
            self._fill()
        else:
            matrix.move_to(row=id)
        matrix.focus()
