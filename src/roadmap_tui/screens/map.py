"""Map: which capabilities each feature needs, the gaps, and which investment unblocks most.

The grid edits needs and capability maturity in place; every change is saved
at once and the gaps, the selected feature's readiness and the leverage table
follow. Features and capabilities are added, edited and deleted in forms.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Select, Static

from .. import formatting, scoring
from ..models import Capability, Feature, FeatureStatus, Need, ValuePoint, choices
from ..widgets.readiness_grid import GridColumn, GridRow, ReadinessGrid, column_code
from ..widgets.tables import fill_table
from ..widgets.text import cell, user_text
from .base import WorkspaceScreen
from .capability_form import capability_form
from .confirm_delete import delete_after_asking
from .feature_form import feature_form

ALL = "all"
WIDE = 120  # from this width the leverage table shows every column
LEVERAGE_COLUMNS = ("capability", "blocks", "unlocks", "levels", "to close", "leverage")
LEVERAGE_COLUMNS_NARROW = ("capability", "blk", "unlocks", "lev.")
# What the short headers mean, on the table's edge (the narrow one has room for a word each).
LEVERAGE_LEGEND = "leverage ×: value unlocked per cost to close"
LEVERAGE_LEGEND_NARROW = "blk blocked · lev. ×value/cost"
CELL_LEGEND = (("✓ met", "$gap-none"), " ", ("▲ 1 short", "$gap-one"), " ",
               ("✗ 2+ short", "$gap-many"))  # fmt: skip


class MapScreen(WorkspaceScreen):
    CSS_PATH = "../styles/map.tcss"
    MODE = "map"
    BINDINGS = [
        Binding("n", "new_feature", "New feature"),
        Binding("N", "new_capability", "New capability", key_display="N"),
        Binding("e", "edit_feature", "Edit feature"),
        Binding("E", "edit_capability", "Edit capability", key_display="E"),
        Binding("X", "delete", "Delete", key_display="X",
                tooltip="Delete the feature (grid) or the capability (leverage table)"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("escape", "back_to_grid", "Back to the grid", show=False),
        Binding("a", "app.quick_add('features')", "Quick add",
                tooltip="Add a feature by its title alone"),
        Binding("C", "app.quick_add('capabilities')", "Quick capability", key_display="C",
                tooltip="Add a capability by its name alone"),
    ]  # fmt: skip

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="map-filters"):
            yield Input(placeholder="/ filter", id="map-text", compact=True)
            yield Select([], prompt="status", id="map-status", compact=True)
            yield Select([], prompt="quarter", id="map-quarter", compact=True)
            yield Select([], prompt="value point", id="map-value", compact=True)
        yield Static(id="map-column")
        yield ReadinessGrid(id="map-grid")
        with Horizontal(id="map-bottom"):
            with Vertical(id="map-detail-box") as box:
                box.border_title = "Selected feature"
                box.border_subtitle = Content.assemble(*CELL_LEGEND)
                yield Static(id="map-detail")
            table: DataTable[Text] = DataTable(id="map-leverage", cursor_type="row")
            table.border_title = "Capability leverage"
            yield table

    def on_mount(self) -> None:
        statuses = [(s, s) for s in choices(FeatureStatus)]
        self.query_one("#map-status", Select).set_options([("all statuses", ALL), *statuses])
        values = [(v, v) for v in choices(ValuePoint)]
        self.query_one("#map-value", Select).set_options([("all value points", ALL), *values])
        super().on_mount()
        self.query_one(ReadinessGrid).focus()

    # -- filling --------------------------------------------------------------------------

    def show(self) -> None:
        plan = self.state.plan
        quarters = sorted({f.quarter for f in plan.features if f.quarter})
        quarter = self.query_one("#map-quarter", Select)
        current = quarter.value
        quarter.set_options([("all quarters", ALL), *((q, q) for q in quarters)])
        if current == ALL or current in quarters:  # a choice stays made, "all" included
            quarter.value = current
        self._fill_grid()
        self._fill_leverage()
        self._fill_detail()
        self._fill_column()

    def _visible_features(self) -> list[Feature]:
        text = self.query_one("#map-text", Input).value.casefold().strip()
        status = self.query_one("#map-status", Select).value
        quarter = self.query_one("#map-quarter", Select).value
        value = self.query_one("#map-value", Select).value
        return [
            f
            for f in sorted(self.state.plan.features, key=lambda f: (f.title.casefold(), f.id))
            if (status in (ALL, Select.NULL) or f.status == status)
            and (quarter in (ALL, Select.NULL) or f.quarter == quarter)
            and (value in (ALL, Select.NULL) or f.value_point == value)
            and (not text or text in f"{f.title} {f.id} {f.owner}".casefold())
        ]

    def _fill_grid(self) -> None:
        evaluation = self.state.evaluation
        features = self._visible_features()
        rows = [
            GridRow(f.id, f.title, evaluation.features[f.id].readiness.blocked) for f in features
        ]
        columns = [
            GridColumn(c.id, c.name, c.maturity)
            for c in sorted(self.state.plan.capabilities, key=lambda c: (c.category, c.id))
        ]
        needs = {(f.id, n.capability): n.required_maturity for f in features for n in f.needs}
        self.query_one(ReadinessGrid).set_data(rows, columns, needs)

    def _fill_leverage(self) -> None:
        plan, evaluation = self.state.plan, self.state.evaluation
        currency = plan.workspace.currency
        wide = self.size.width >= WIDE
        levers = sorted(
            plan.capabilities,
            key=lambda c: (
                evaluation.capabilities[c.id].leverage is None,
                -(evaluation.capabilities[c.id].leverage or 0),
                -evaluation.capabilities[c.id].unlocked_value,
                c.id,
            ),
        )
        rows = []
        for capability in levers:
            lev = evaluation.capabilities[capability.id]
            leverage = formatting.times(lev.leverage)
            unlocks = formatting.money(lev.unlocked_value, currency)
            if wide:
                rows.append((
                    cell(formatting.clip(capability.name, 18)),
                    cell(f"{lev.blocked_features:>6}"),
                    cell(f"{unlocks:>7}"),
                    cell(f"{lev.levels_needed:>6}"),
                    cell(f"{formatting.money(lev.cost_to_close, currency):>8}"),
                    cell(f"{leverage:>8}"),
                ))  # fmt: skip
            else:
                rows.append((
                    cell(formatting.clip(capability.name, 12)),
                    cell(f"{lev.blocked_features:>3}"),
                    cell(f"{unlocks:>7}"),
                    cell(f"{leverage:>6}"),
                ))  # fmt: skip
        headers = LEVERAGE_COLUMNS if wide else LEVERAGE_COLUMNS_NARROW
        table = self.query_one("#map-leverage", DataTable)
        fill_table(table, headers, rows, [c.id for c in levers])
        if not levers:
            table.border_subtitle = "no capabilities yet: N adds one"
        else:
            table.border_subtitle = LEVERAGE_LEGEND if wide else LEVERAGE_LEGEND_NARROW

    def _selected_capability_row(self) -> str | None:
        table = self.query_one("#map-leverage", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _fill_detail(self) -> None:
        detail = self.query_one("#map-detail", Static)
        feature_id, _ = self.query_one(ReadinessGrid).current
        feature = next((f for f in self.state.plan.features if f.id == feature_id), None)
        if feature is None:
            if not self.state.plan.features:
                empty = "No features yet: n adds one, N a capability."
            else:
                empty = "No feature matches the filter: / changes it."
            detail.update(Content.styled(empty, "italic"))
            return
        currency = self.state.plan.workspace.currency
        result = self.state.evaluation.features[feature.id]
        ready, e = result.readiness, scoring.economics(feature)
        maturity = {c.id: c.maturity for c in self.state.plan.capabilities}
        if ready.blocked:
            readiness = Content.styled(
                f"✗ blocked by {', '.join(ready.blocked_by)} (gap {ready.gap})", "$gap-many"
            )
        else:
            readiness = Content.styled("✓ ready: every need is met", "$gap-none")
        needs = ", ".join(
            f"{n.capability} {n.required_maturity}/{maturity.get(n.capability, 0)}"
            for n in feature.needs
        )
        costs = feature.costs
        lines = [
            user_text(feature.title, style="bold"),
            Content.assemble(
                user_text(feature.status), " · ", user_text(feature.quarter or "no quarter"),
                " · ", user_text(feature.value_point),
            ),
            readiness,
            Content(f"needs {needs}" if needs else "needs no capability"),
            Content(
                f"uplift {formatting.money(feature.expected_uplift, currency)} · "
                f"TCO {formatting.money(e.tco, currency)} · "
                f"net {formatting.money(e.net_value, currency)}"
            ),
            Content(
                f"ROI {formatting.number(e.roi, 2)} · payback {formatting.months(e.payback_months)}"
            ),
            Content(
                "TCO = data " + formatting.money(costs.data_engineering, currency)
                + " + training " + formatting.money(costs.training, currency)
                + " + deploy " + formatting.money(costs.deployment, currency)
                + " + monitoring " + formatting.money(costs.monitoring, currency)
                + " + incidents " + formatting.money(costs.incident_response, currency)
            ),
        ]  # fmt: skip
        detail.update(Content("\n").join(lines))

    # -- grid edits -----------------------------------------------------------------------

    @on(ReadinessGrid.CursorMoved)
    def _cursor_moved(self) -> None:
        self._fill_detail()
        self._fill_column()

    def _fill_column(self) -> None:
        """The capability under the cursor in full: the header has room for a code only."""
        grid = self.query_one(ReadinessGrid)
        _, capability_id = grid.current
        capability = self._capability(capability_id)
        line = self.query_one("#map-column", Static)
        if capability is None:
            line.update(
                "columns: a capability's initials and maturity now (FS1); cells: needed/now"
                if grid.columns
                else "no capabilities yet: N adds one"
            )
            return
        lev = self.state.evaluation.capabilities[capability.id]
        currency = self.state.plan.workspace.currency
        code = next(column_code(c) for c in grid.columns if c.capability == capability.id)
        line.update(
            Content.assemble(
                (code, "bold"),
                " = ",
                user_text(formatting.clip(capability.name, 28), style="bold"),  # numbers in sight
                f" · now {capability.maturity}/4 · "
                f"{formatting.count(lev.levels_needed, 'level')} to close for "
                f"{formatting.money(lev.cost_to_close, currency)} · cells: needed/now",
            )
        )

    def on_resize(self) -> None:
        self._fill_leverage()

    @on(ReadinessGrid.NeedChanged)
    def _need_changed(self, event: ReadinessGrid.NeedChanged) -> None:
        feature = self._feature(event.feature)
        if feature is None:
            return
        needs = [n for n in feature.needs if n.capability != event.capability]
        if event.required is not None:
            needs.append(Need(capability=event.capability, required_maturity=event.required))
            needs.sort(key=lambda n: n.capability)
        updated = feature.model_copy(update={"needs": needs})
        self.roadmap.write(lambda ws: ws.save(updated, base=feature))

    @on(ReadinessGrid.MaturityChanged)
    def _maturity_changed(self, event: ReadinessGrid.MaturityChanged) -> None:
        self._set_maturity(event.capability, event.maturity)

    def _set_maturity(self, capability_id: str, maturity: int) -> None:
        capability = self._capability(capability_id)
        if capability is not None:
            updated = capability.model_copy(update={"maturity": maturity})
            self.roadmap.write(lambda ws: ws.save(updated, base=capability))

    def on_key(self, event) -> None:
        table = self.query_one("#map-leverage", DataTable)
        if self.focused is table and event.character in ("+", "=", "-"):
            capability = self._capability(self._selected_capability_row() or "")
            if capability is not None:
                step = -1 if event.character == "-" else 1
                maturity = max(0, min(4, capability.maturity + step))
                if maturity != capability.maturity:
                    self._set_maturity(capability.id, maturity)
            event.stop()

    # -- filters --------------------------------------------------------------------------

    @on(Input.Changed, "#map-text")
    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self._fill_grid()
        self._fill_detail()

    def action_filter(self) -> None:
        self.query_one("#map-text", Input).focus()

    def action_back_to_grid(self) -> None:
        self.query_one(ReadinessGrid).focus()

    @on(Input.Submitted, "#map-text")
    def _filter_done(self) -> None:
        self.action_back_to_grid()

    # -- records --------------------------------------------------------------------------

    def action_new_feature(self) -> None:
        self._open_form("features", None)

    def action_edit_feature(self) -> None:
        feature = self._feature(self.query_one(ReadinessGrid).current[0])
        if feature is not None:
            self._open_form("features", feature)

    def action_new_capability(self) -> None:
        self._open_form("capabilities", None)

    def action_edit_capability(self) -> None:
        capability = self._capability(self._focused_capability())
        if capability is not None:
            self._open_form("capabilities", capability)

    def _focused_capability(self) -> str | None:
        """The leverage table's row when it has the focus, else the grid's column."""
        if self.focused is self.query_one("#map-leverage", DataTable):
            return self._selected_capability_row()
        return self.query_one(ReadinessGrid).current[1]

    def _open_form(self, kind: str, record: Feature | Capability | None) -> None:
        workspace = self.state.workspace

        def saved(result: Feature | Capability | None) -> None:
            if result is not None:
                self.roadmap.changed()
                self.select(kind, result.id)

        current = lambda id: workspace.get(kind, id)  # noqa: E731
        if kind == "features":  # its needs are checked against the capabilities
            form = feature_form(record, workspace.save, current=current,
                                capabilities=self.state.plan.capabilities)  # fmt: skip
        else:
            form = capability_form(record, workspace.save, current=current)
        self.app.push_screen(form, saved)

    def action_delete(self) -> None:
        if self.focused is self.query_one("#map-leverage", DataTable):
            kind, record = "capabilities", self._capability(self._selected_capability_row())
        else:
            kind, record = "features", self._feature(self.query_one(ReadinessGrid).current[0])
        if record is None:
            return
        title = record.title if isinstance(record, Feature) else record.name
        delete_after_asking(self, kind, record.id, title)

    def _feature(self, feature_id: str | None) -> Feature | None:
        return next((f for f in self.state.plan.features if f.id == feature_id), None)

    def _capability(self, capability_id: str | None) -> Capability | None:
        return next((c for c in self.state.plan.capabilities if c.id == capability_id), None)

    def selection(self) -> dict[str, list[str]]:
        if self.focused is self.query_one("#map-leverage", DataTable):
            capability = self._selected_capability_row()
            return {"capabilities": [capability]} if capability else {}
        feature, capability = self.query_one(ReadinessGrid).current
        return {
            "features": [feature] if feature else [],
            "capabilities": [capability] if capability else [],
        }

    def select(self, kind: str, id: str) -> None:
        self._refresh_if_stale()  # a record just saved here may not be in the grid yet
        grid = self.query_one(ReadinessGrid)
        if kind == "features":
            self._clear_filters()
            grid.move_to(row=id)
            grid.focus()
        else:
            grid.move_to(column=id)
            table = self.query_one("#map-leverage", DataTable)
            if id in table.rows:
                table.move_cursor(row=table.get_row_index(id))
            table.focus()

    def _clear_filters(self) -> None:
        self.query_one("#map-text", Input).value = ""
        for select in self.query(Select).results(Select):
            select.value = ALL
        self._fill_grid()
