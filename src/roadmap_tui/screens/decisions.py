"""Decisions: the log, each record with its rationale, links and the numbers it was taken on.

The snapshot is shown next to today's numbers, so the room sees what changed
since; supersede links are shown both ways.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Input, Select, Static

from .. import formatting, scoring
from ..decisions import superseded_by
from ..models import Decision, Outcome, choices
from ..widgets.tables import fill_table
from ..widgets.text import cell, user_text
from .base import WorkspaceScreen
from .confirm_delete import delete_after_asking

ALL = "all"
LINKS = (("features", "features"), ("capabilities", "capabilities"), ("risks", "risks"),
         ("policies", "policies"))  # fmt: skip
GLYPH = {"approved": "✓", "deferred": "…", "rejected": "✗", "needs-info": "?"}
DATE_WIDTH, OUTCOME_WIDTH = 10, 12  # "2026-11-19", "? needs-info" / "↷ superseded"


class DecisionsScreen(WorkspaceScreen):
    CSS_PATH = "../styles/decisions.tcss"
    MODE = "decisions"
    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("U", "supersede", "Supersede", key_display="U",
                tooltip="Record a new decision that replaces the selected one"),
        Binding("X", "delete", "Delete", key_display="X"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("escape", "back_to_list", "Back to the list", show=False),
    ]  # fmt: skip

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="decision-filters"):
            yield Input(placeholder="/ filter", id="decision-text", compact=True)
            yield Select([], prompt="outcome", id="decision-outcome", compact=True)
            yield Select([], prompt="feature", id="decision-feature", compact=True)
        with Horizontal(id="decision-main"):
            table: DataTable[Text] = DataTable(id="decisions", cursor_type="row")
            table.border_title = "Decision log"
            yield table
            with VerticalScroll(id="decision-detail-box") as box:
                box.border_title = "Decision"
                yield Static(id="decision-detail")

    def on_mount(self) -> None:
        outcomes = [(o, o) for o in choices(Outcome)]
        self.query_one("#decision-outcome", Select).set_options([("all outcomes", ALL), *outcomes])
        super().on_mount()
        self.query_one("#decisions", DataTable).focus()

    def show(self) -> None:
        features = self.query_one("#decision-feature", Select)
        current = features.value
        named = sorted({f for d in self.state.plan.decisions for f in d.features})
        titles = {f.id: f.title for f in self.state.plan.features}
        features.set_options(
            [("all features", ALL), *((user_text(titles.get(f, f))[:40], f) for f in named)]
        )
        if current in named:
            features.value = current
        self._fill_list()

    def _visible(self) -> list[Decision]:
        text = self.query_one("#decision-text", Input).value.casefold().strip()
        outcome = self.query_one("#decision-outcome", Select).value
        feature = self.query_one("#decision-feature", Select).value
        newest_first = sorted(self.state.plan.decisions, key=lambda d: (d.date, d.id), reverse=True)
        return [
            d
            for d in newest_first
            if (outcome in (ALL, Select.NULL) or d.outcome == outcome)
            and (feature in (ALL, Select.NULL) or feature in d.features)
            and (not text or text in f"{d.id} {d.title} {d.rationale}".casefold())
        ]

    def _fill_list(self) -> None:
        decisions = self._visible()
        replaced = superseded_by(self.state.plan.decisions)
        table = self.query_one("#decisions", DataTable)
        # The title takes what the date and outcome leave (each column pads 1 each side),
        # cut with an ellipsis rather than by the table's edge.
        room = table.scrollable_content_region.width - DATE_WIDTH - OUTCOME_WIDTH - 6
        width = max(room, 4)
        # Not laid out yet: fill again once it is. Below the minimum size the body is
        # hidden and never laid out (waiting for it spun for ever): on_resize fills it.
        if not table.size.width and not self.app.has_class("-too-small"):
            self.call_after_refresh(self._fill_list)
        rows = [
            (
                cell(d.date.isoformat()),
                # no longer in force: the word and the glyph instead of the outcome
                cell("↷ superseded", "italic") if d.id in replaced
                else cell(f"{GLYPH[d.outcome]} {d.outcome}"),
                cell(formatting.clip(d.title, width)),
            )
            for d in decisions
        ]  # fmt: skip
        fill_table(table, ("date", "outcome", "decision"), rows, [d.id for d in decisions])
        self._fill_detail()

    def _selected(self) -> Decision | None:
        table = self.query_one("#decisions", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((d for d in self.state.plan.decisions if d.id == key), None)

    @on(DataTable.RowHighlighted, "#decisions")
    def _highlighted(self) -> None:
        self._fill_detail()

    def _fill_detail(self) -> None:
        detail = self.query_one("#decision-detail", Static)
        decision = self._selected()
        if decision is None:
            empty = (
                "No decision matches the filter: / changes it."
                if self.state.plan.decisions
                else "No decisions yet: D records one about what is selected on any screen."
            )
            detail.update(Content.styled(empty, "italic"))
            return
        detail.update(self.describe(decision))

    def describe(self, d: Decision) -> Content:
        plan = self.state.plan
        names = {p.id: p.name for p in plan.participants}
        titles = {
            **{c.id: c.name for c in plan.capabilities},
            **{f.id: f.title for f in plan.features},
            **{r.id: r.title for r in plan.risks},
            **{p.id: p.title for p in plan.policies},
        }
        later = superseded_by(plan.decisions).get(d.id, [])
        lines: list[Content] = [
            user_text(d.title, style="bold"),
            Content.assemble(
                (f"{GLYPH[d.outcome]} {d.outcome}", "bold"),
                f" · {d.date.isoformat()} · ",
                user_text(d.id),
            ),
        ]
        if d.decided_by:
            people = ", ".join(names.get(p, p) for p in d.decided_by)
            lines.append(Content.assemble("decided by ", user_text(people)))
        if d.supersedes:
            lines.append(Content.assemble("supersedes ", user_text(d.supersedes, style="bold")))
        if later:
            lines.append(
                Content.assemble(
                    ("↷ superseded by ", "$gap-one"), user_text(", ".join(later), style="bold")
                )
            )
        for kind, noun in LINKS:
            refs = getattr(d, kind)
            if refs:
                named = " · ".join(titles.get(ref, ref) for ref in refs)
                lines.append(Content.assemble((f"{noun}: ", "bold"), user_text(named)))
        if d.rationale:
            lines += [Content(""), user_text(d.rationale, multiline=True)]
        if d.follow_ups:
            lines += [Content(""), Content.styled("Follow-ups", "bold")]
            lines += [Content.assemble("  • ", user_text(item)) for item in d.follow_ups]
        lines += self._snapshot(d)
        return Content("\n").join(lines)

    def _snapshot(self, d: Decision) -> list[Content]:
        if not d.snapshot and d.basis is None:
            return []
        evaluation = self.state.evaluation
        lines = [Content(""), Content.styled("Numbers then → now", "bold")]
        if d.basis is not None:
            info = self.state.plan.workspace
            now = f"{info.scoring_model} · {info.aggregation}"
            then = f"{d.basis.scoring_model} · {d.basis.aggregation}"
            lines.append(Content(f"  model {then}" + ("" if then == now else f" → {now}")))
        linked = {row.feature for row in d.snapshot}
        features = {f.id: f for f in self.state.plan.features if f.id in linked}
        for row in d.snapshot:
            result = evaluation.features.get(row.feature)
            lines.append(Content.assemble("  ", user_text(row.feature, style="bold")))
            score_now = result.score if result else None
            rank_now = result.rank if result else None
            feature = features.get(row.feature)
            roi_now = scoring.economics(feature).roi if result and feature else None
            gap_now = result.readiness.gap if result else None
            lines.append(
                Content.assemble(
                    "    score ", _change(row.score, score_now, 1),
                    " · rank ", _change(row.rank, rank_now, 0, lower_is_better=True),
                    " · ROI ", _change(row.roi, roi_now, 2),
                    " · gap ", _change(row.readiness_gap, gap_now, 0, lower_is_better=True),
                )
            )  # fmt: skip
        return lines

    # -- actions --------------------------------------------------------------------------

    @on(Input.Changed, "#decision-text")
    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self._fill_list()

    def on_resize(self) -> None:
        self._fill_list()  # the titles take the width there is

    def action_filter(self) -> None:
        self.query_one("#decision-text", Input).focus()

    def action_back_to_list(self) -> None:
        self.query_one("#decisions", DataTable).focus()

    @on(Input.Submitted, "#decision-text")
    def _filter_done(self) -> None:
        self.action_back_to_list()

    def action_edit(self) -> None:
        decision = self._selected()
        if decision is not None:
            self.roadmap.edit_decision(decision)

    def action_supersede(self) -> None:
        d = self._selected()
        if d is not None:
            self.roadmap.record_decision(
                {
                    "supersedes": d.id,
                    "title": d.title,
                    **{k: getattr(d, k) for k in ("features", "capabilities", "risks", "policies")},
                }
            )

    def action_delete(self) -> None:
        decision = self._selected()
        if decision is None:
            return
        delete_after_asking(self, "decisions", decision.id, decision.title)

    def select(self, kind: str, id: str) -> None:
        self._refresh_if_stale()  # a record just saved may not be in the log yet
        self._clear_filters()
        table = self.query_one("#decisions", DataTable)
        table.focus()
        if id in table.rows:
            table.move_cursor(row=table.get_row_index(id))

    def _clear_filters(self) -> None:
        self.query_one("#decision-text", Input).value = ""
        for select in self.query(Select).results(Select):
            select.value = ALL
        self._fill_list()


def _change(
    then: float | None, now: float | None, places: int, *, lower_is_better: bool = False
) -> Content:
    """'72.4 → 80.1' with the arrow coloured by direction; one number when nothing moved."""
    text = formatting.number
    if then == now:
        return Content(text(then, places))
    better = now is not None and then is not None and (now < then) == lower_is_better
    style = "$gap-none" if better else "$gap-many"
    return Content.assemble(text(then, places), (f" → {text(now, places)}", style))
