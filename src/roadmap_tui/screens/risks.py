"""Risks: the register, the 5 × 5 heat map, each risk in business terms, and the totals.

The register lists the risks that pass the filters (words, band, status,
category, feature and the heat map's chosen cell), sorted by severity or by
expected loss. The heat map counts the risks that pass every filter but its
own cell, so choosing a cell narrows the register without emptying the map.
The selected risk is told in plain words (risk.sentence): likelihood in words
and as a yearly chance, what one occurrence costs, the expected loss, the
metrics at stake; with its business impact, or the category's proposal, which
`a` accepts into the empty fields (the editor's ctrl+r applies it too).

The totals (expected loss a year by business metric and by feature) count every
risk but the closed ones, whatever the filters; a feature whose risks' expected
loss exceeds its net value is flagged ⚠ there, in the detail and on the
Overview. Below 120 columns the totals take the detail's place on `t`.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import DataTable, Input, Select

from .. import formatting
from .. import risk as risks
from ..models import Risk, RiskCategory, RiskStatus, choices
from ..widgets.heat_map import HeatMap
from ..widgets.risk_panels import RiskDetail, RiskTotals
from ..widgets.tables import fill_table
from ..widgets.text import cell, user_text
from .base import WorkspaceScreen
from .confirm_delete import delete_after_asking
from .risk_form import RiskForm

ALL = "all"
NO_FEATURE = "-"  # the feature filter's value for risks linked to no feature
WIDE = 120  # from here the register has a "linked to" column and the totals always show
TALL = 34  # from here the heat map's rows are two lines high
SORTS = {"severity": "severity", "loss": "expected loss"}
FILLED = {"affected_metrics": "the affected metrics", "business_impact": "the business impact"}
CATEGORY_WIDTH = max(len(c) for c in choices(RiskCategory))
STATUS_WIDTH = max(len(s) for s in choices(RiskStatus))
LINK_WIDTH = 18
MAP_WIDTH = 38  # the heat map's box: 5 cells of 6, the likelihood column and the border
TITLE_MIN = 16
TITLE_ROOM = 36  # the register shows a risk's category only if titles keep this much


class RisksScreen(WorkspaceScreen):
    CSS_PATH = "../styles/risks.tcss"
    MODE = "risks"
    BINDINGS = [
        Binding("n", "new", "New",
                tooltip="Add a risk (it starts from the chosen cell and the filters)"),
        Binding("e", "edit", "Edit", tooltip="Edit every field of the selected risk"),
        Binding("X", "delete", "Delete", key_display="X",
                tooltip="Delete the selected risk (asks first)"),
        Binding("a", "accept", "Accept",
                tooltip="Fill the selected risk's empty metrics and business impact "
                "with the proposal"),
        Binding("slash", "filter", "Filter", key_display="/",
                tooltip="Filter by words in the title, id, owner, business impact or mitigation"),
        Binding("b", "cycle('band')", "Band", show=False,
                tooltip="Cycle the band filter: any, low, medium, high, critical"),
        Binding("c", "cycle('category')", "Category", show=False,
                tooltip="Cycle the category filter"),
        Binding("S", "sort", "Sort", key_display="S", show=False,
                tooltip="Sort the register by severity or by expected loss"),
        Binding("t", "totals", "Totals",
                tooltip="Show the totals instead of the selected risk (below 120 columns)"),
        Binding("h", "heat_map", "Heat map", show=False,
                tooltip="Move between the heat map and the register"),
        Binding("escape", "clear_filters", "Clear filters", show=False,
                tooltip="From a filter field: back to the register; else clear every filter"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.sort_by = "severity"
        self.show_totals = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="risk-filters"):
            yield Input(placeholder="/ filter", id="risk-text", compact=True)
            yield self._select("band", [("any band", ALL), *((b, b) for b in risks.BANDS)])
            yield self._select(
                "status", [("any status", ALL), *((s, s) for s in choices(RiskStatus))]
            )
            yield self._select(
                "category", [("any category", ALL), *((c, c) for c in choices(RiskCategory))]
            )
            yield self._select("feature", [("any feature", ALL)])
        with Horizontal(id="risk-top"):
            with Vertical(id="risk-map-box", classes="risk-box") as box:
                box.border_title = "Heat map: likelihood × impact"
                yield HeatMap(id="risk-map")
            with Vertical(id="risk-detail-box", classes="risk-box") as box:
                box.border_title = "Selected risk"
                yield RiskDetail(id="risk-detail")
            yield RiskTotals(id="risk-totals-box", classes="risk-box")
        register: DataTable[Text] = DataTable(id="risks", cursor_type="row")
        register.border_title = "The risk register"
        yield register

    @staticmethod
    def _select(name: str, options: list[tuple[Any, str]]) -> Select[str]:
        return Select(options, value=ALL, allow_blank=False, id=f"risk-{name}", compact=True)

    def on_mount(self) -> None:
        self._layout(self.app.size.width, self.app.size.height)
        super().on_mount()
        self.register.focus()

    def on_resize(self, event: Resize) -> None:
        self._layout(event.size.width, event.size.height)
        self._fill_register()
        self.call_after_refresh(self._fill_totals)  # its width follows the new layout

    def _layout(self, width: int, height: int) -> None:
        self.set_class(width >= WIDE, "-wide")
        self.set_class(height >= TALL, "-tall")
        self.set_class(self.show_totals, "-totals")

    # -- widgets --------------------------------------------------------------------------

    @property
    def register(self) -> DataTable[Text]:
        return self.query_one("#risks", DataTable)

    @property
    def heat_map(self) -> HeatMap:
        return self.query_one(HeatMap)

    def _filter(self, name: str) -> str:
        value = self.query_one(f"#risk-{name}", Select).value
        return ALL if value is Select.NULL else str(value)

    # -- filling --------------------------------------------------------------------------

    def show(self) -> None:
        self._fill_feature_options()
        self._fill_map()
        self._fill_register()
        self._fill_totals()
        self._fill_detail()

    def _fill_feature_options(self) -> None:
        select = self.query_one("#risk-feature", Select)
        current = select.value
        features = sorted(self.state.plan.features, key=lambda f: (f.title.casefold(), f.id))
        options: list[tuple[Any, str]] = [("any feature", ALL), ("no feature", NO_FEATURE)]
        options += [(user_text(f.title[:40]), f.id) for f in features]
        with self.prevent(Select.Changed):
            select.set_options(options)
            select.value = current if current in {value for _, value in options} else ALL

    def _passes(self, risk: Risk, *, cell: bool = True) -> bool:
        """Whether `risk` passes the filters (the heat map's cell only when `cell`)."""
        text = self.query_one("#risk-text", Input).value.casefold().strip()
        band, status = self._filter("band"), self._filter("status")
        category, feature = self._filter("category"), self._filter("feature")
        chosen = self.heat_map.chosen
        haystack = f"{risk.title} {risk.id} {risk.owner} {risk.business_impact} {risk.mitigation}"
        return (
            (band == ALL or self.state.assessments[risk.id].band == band)
            and (status == ALL or risk.status == status)
            and (category == ALL or risk.category == category)
            and (feature == ALL or risk.feature == ("" if feature == NO_FEATURE else feature))
            and (not cell or chosen is None or (risk.likelihood, risk.impact) == chosen)
            and (not text or text in haystack.casefold())
        )

    def visible(self) -> list[Risk]:
        """The register's risks, in its order."""
        assessed = self.state.assessments

        def key(r: Risk) -> tuple[float, float, str]:
            a = assessed[r.id]
            if self.sort_by == "loss":
                return (-a.expected_loss, -a.severity, r.id)
            return (-a.severity, -a.expected_loss, r.id)

        return sorted((r for r in self.state.plan.risks if self._passes(r)), key=key)

    def _fill_map(self) -> None:
        shown = [r for r in self.state.plan.risks if self._passes(r, cell=False)]
        self.heat_map.set_counts(risks.heat_counts(shown))
        box = self.query_one("#risk-map-box")
        chosen = self.heat_map.chosen
        box.border_subtitle = (
            f"cell {chosen[0]}×{chosen[1]} · esc clears" if chosen else "enter filters by cell"
        )

    def _fill_register(self) -> None:
        plan = self.state.plan
        currency = plan.workspace.currency
        wide = self.app.size.width >= WIDE
        flagged = set(risks.over_net_value(plan.features, plan.risks))
        shown = self.visible()
        losses = [
            formatting.money(self.state.assessments[r.id].expected_loss, currency) for r in shown
        ]
        loss_width = max([len("exp. loss"), *(len(loss) for loss in losses)])
        # border 2, scrollbar 1, and each column's padding of one cell either side
        room = self.app.size.width - 3 - 2
        fixed = [11, STATUS_WIDTH, loss_width] + ([LINK_WIDTH] if wide else [])
        # the category goes first when the room is short: the detail line says it too
        with_category = room - sum(w + 2 for w in fixed) - (CATEGORY_WIDTH + 2) >= TITLE_ROOM
        if with_category:
            fixed.append(CATEGORY_WIDTH)
        title_width = max(TITLE_MIN, room - sum(w + 2 for w in fixed))
        rows = []
        for r, loss in zip(shown, losses, strict=True):
            a = self.state.assessments[r.id]
            band = cell(f"{a.band:<8} {a.severity:>2}", self._band_style(a.band))
            title = cell(r.title)
            title.truncate(title_width, overflow="ellipsis")
            row = [band, title]
            if with_category:
                row.append(cell(r.category))
            if wide:
                row.append(self._link_cell(r, flagged))
            row += [cell(r.status), cell(f"{loss:>{loss_width}}")]
            rows.append(row)
        headers = ["band    sev", "title", *(["category"] if with_category else []),
                   *(["linked to"] if wide else []), "status",
                   f"{'exp. loss':>{loss_width}}"]  # fmt: skip
        fill_table(self.register, headers, rows, [r.id for r in shown])
        total = len(plan.risks)
        count = f"{len(shown)} of {total}" if len(shown) != total else f"{total}"
        self.register.border_title = (
            f"The risk register · {count} · by {SORTS[self.sort_by]} ↓ (S sorts)"
        )
        self.register.border_subtitle = self._filters_said()
        if not shown:
            self._fill_detail()

    def _band_style(self, band: str) -> str:
        bold = " bold" if band == "critical" else ""
        return f"{self.color(f'band-{band}')}{bold}"

    def _link_cell(self, r: Risk, flagged: set[str]) -> Text:
        if r.feature:
            if r.feature in flagged:
                text = cell(f"⚠ {r.feature}", f"{self.color('band-critical')} bold")
            else:
                text = cell(r.feature)
        elif r.capability:
            text = cell(f"cap {r.capability}")
        else:
            text = cell("—")
        text.truncate(LINK_WIDTH, overflow="ellipsis")
        return text

    def _filters_said(self) -> str:
        parts = []
        if self.query_one("#risk-text", Input).value.strip():
            parts.append("words")
        for name in ("band", "status", "category", "feature"):
            if self._filter(name) != ALL:
                parts.append(name)
        if self.heat_map.chosen:
            parts.append("cell")
        return f"filtered by {', '.join(parts)} · esc clears" if parts else ""

    def selected(self) -> Risk | None:
        """The risk under the register's cursor."""
        table = self.register
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.state.plan.risks if r.id == key), None)

    def _fill_detail(self) -> None:
        r = self.selected()
        assessment = None if r is None else self.state.assessments[r.id]
        self.query_one(RiskDetail).show(r, self.state.plan, assessment)

    def _totals_width(self) -> int:
        """The totals table's width: its box's, less the border (estimated before layout)."""
        box = self.query_one("#risk-totals-box")
        if box.size.width:
            return box.size.width
        width = self.app.size.width
        if width >= WIDE:
            return (width - max(MAP_WIDTH, int(width * 0.3))) // 2 - 2
        return width - MAP_WIDTH - 2

    def _fill_totals(self) -> None:
        critical = f"{self.color('band-critical')} bold"
        self.query_one(RiskTotals).fill(self.state.plan, self._totals_width(), critical)

    # -- events ---------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#risks")
    def _risk_highlighted(self) -> None:
        self._fill_detail()
        r = self.selected()
        if r is not None and not self.heat_map.has_focus:
            self.heat_map.cursor = (r.likelihood, r.impact)

    @on(HeatMap.CellChosen)
    def _cell_chosen(self) -> None:
        self._fill_map()
        self._fill_register()
        self._fill_detail()

    @on(Input.Changed, "#risk-text")
    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self._fill_map()
        self._fill_register()
        self._fill_detail()

    @on(Input.Submitted, "#risk-text")
    def _filter_done(self) -> None:
        self.register.focus()

    @on(DataTable.RowSelected, "#risk-totals")
    def _total_chosen(self, event: DataTable.RowSelected) -> None:
        kind, _, value = str(event.row_key.value).partition(":")
        if kind == "feature":
            self.query_one("#risk-feature", Select).value = value
            self.register.focus()

    # -- actions --------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#risk-text", Input).focus()

    def action_cycle(self, name: str) -> None:
        select = self.query_one(f"#risk-{name}", Select)
        values = [ALL, *(risks.BANDS if name == "band" else choices(RiskCategory))]
        current = self._filter(name)
        select.value = values[(values.index(current) + 1) % len(values)]

    def action_sort(self) -> None:
        self.sort_by = "loss" if self.sort_by == "severity" else "severity"
        self._fill_register()

    def action_totals(self) -> None:
        self.show_totals = not self.show_totals
        self.set_class(self.show_totals, "-totals")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "totals":
            return self.app.size.width < WIDE  # wide terminals show both
        return True

    def action_heat_map(self) -> None:
        if self.heat_map.has_focus:
            self.register.focus()
        else:
            self.heat_map.focus()

    def action_clear_filters(self) -> None:
        if isinstance(self.focused, Input | Select):
            self.register.focus()
            return
        self._clear_filters()

    def _clear_filters(self) -> None:
        with self.prevent(Input.Changed, Select.Changed, HeatMap.CellChosen):
            self.query_one("#risk-text", Input).value = ""
            for select in self.query("#risk-filters Select").results(Select):
                select.value = ALL
            self.heat_map.chosen = None
        self._fill_map()
        self._fill_register()
        self._fill_detail()

    def selection(self) -> dict[str, list[str]]:
        """A decision recorded here is about the selected risk, and what it is linked to."""
        r = self.selected()
        if r is None:
            return {}
        chosen = {"risks": [r.id], "features": [r.feature], "capabilities": [r.capability]}
        return {kind: ids for kind, ids in chosen.items() if ids[0]}

    def select(self, kind: str, id: str) -> None:
        if kind != "risks":
            return
        self._refresh_if_stale()  # a record just saved here may not be in the table yet
        if id not in {r.id for r in self.visible()}:
            self._clear_filters()
        table = self.register
        if id not in table.rows:  # a filter edit whose Changed message is still queued
            self._fill_register()
        if id in table.rows:
            table.move_cursor(row=table.get_row_index(id), animate=False)
        table.focus()

    # -- records --------------------------------------------------------------------------

    def action_new(self) -> None:
        prefill: dict[str, Any] = {}
        if self.heat_map.chosen:
            prefill["likelihood"], prefill["impact"] = self.heat_map.chosen
        for name in ("category", "status"):
            if self._filter(name) != ALL:
                prefill[name] = self._filter(name)
        if self._filter("feature") not in (ALL, NO_FEATURE):
            prefill["feature"] = self._filter("feature")
        self._open_form(None, prefill)

    def action_edit(self) -> None:
        r = self.selected()
        if r is not None:
            self._open_form(r, {})

    def _open_form(self, record: Risk | None, prefill: dict[str, Any]) -> None:
        workspace, plan = self.state.workspace, self.state.plan

        def saved(result: Risk | None) -> None:
            if result is not None:
                self.roadmap.changed()
                self.select("risks", result.id)

        form = RiskForm(
            record,
            workspace.save,
            currency=plan.workspace.currency,
            features={f.id: f.title for f in sorted(plan.features, key=lambda f: f.id)},
            capabilities={c.id: c.name for c in sorted(plan.capabilities, key=lambda c: c.id)},
            prefill=prefill,
            current=lambda id: workspace.get("risks", id),  # type: ignore[arg-type,return-value]
        )
        self.app.push_screen(form, saved)

    def action_delete(self) -> None:
        r = self.selected()
        if r is None:
            return
        delete_after_asking(self, "risks", r.id, r.title)

    def action_accept(self) -> None:
        r = self.selected()
        if r is None:
            return
        currency = self.state.plan.workspace.currency
        update: dict[str, Any] = {}
        metrics = list(r.affected_metrics) or list(risks.proposed_metrics(r.category))
        if metrics != r.affected_metrics:
            update["affected_metrics"] = metrics
        if not r.business_impact.strip():
            update["business_impact"] = risks.describe(r.likelihood, r.exposure, metrics, currency)
        if not update:
            self.roadmap.tell(
                f"{r.title} already has its own metrics and business impact: e edits them",
                title="Nothing to accept",
            )
            return
        updated = Risk.model_validate({**r.model_dump(), **update})
        if self.roadmap.write(lambda ws: ws.save(updated, base=r)):
            filled = " and ".join(FILLED[name] for name in sorted(update))
            self.roadmap.tell(f"{r.title}: {filled} filled in", title="Accepted")
