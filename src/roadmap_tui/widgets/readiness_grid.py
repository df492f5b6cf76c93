"""The Map's grid: features (rows) × capabilities (columns), each cell a need and its gap.

A Line API ScrollView: it renders only the lines and columns on screen, so a
workspace of thousands of features scrolls as fast as a small one. The header
row and the title column stay put while the cells scroll. The grid only shows
and reports: it posts typed messages and the screen writes the change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..formatting import fit, initials
from ..safetext import printable

TITLE_WIDTH = 24  # at least; a wide terminal gives titles the room the cells leave
TITLE_MAX = 56
CELL_WIDTH = 6
GLYPHS = {0: "✓", 1: "▲", 2: "✗"}  # gap 0, 1, 2 or more: never colour alone


@dataclass(frozen=True)
class GridRow:
    feature: str  # id
    title: str
    blocked: bool


@dataclass(frozen=True)
class GridColumn:
    capability: str  # id
    label: str  # short name for the header
    maturity: int


class ReadinessGrid(ScrollView, can_focus=True):
    """Needs as cells: `required/current` with a glyph and colour for the gap."""

    COMPONENT_CLASSES = {
        "readiness-grid--header",
        "readiness-grid--title",
        "readiness-grid--blocked",
        "readiness-grid--empty",
        "readiness-grid--gap-none",
        "readiness-grid--gap-one",
        "readiness-grid--gap-many",
        "readiness-grid--cursor",
    }
    DEFAULT_CSS = """
    ReadinessGrid {
        background: $surface;
        & > .readiness-grid--header { background: $panel; color: $foreground; text-style: bold; }
        & > .readiness-grid--title { color: $foreground; }
        & > .readiness-grid--blocked { color: $gap-many; }
        & > .readiness-grid--empty { color: $foreground 30%; }
        & > .readiness-grid--gap-none { color: $gap-none; }
        & > .readiness-grid--gap-one { color: $gap-one; text-style: bold; }
        & > .readiness-grid--gap-many { color: $gap-many; text-style: bold; }
        & > .readiness-grid--cursor { background: $block-cursor-background; }
    }
    """
    BINDINGS = [
        Binding("up", "move(0, -1)", "Up", show=False),
        Binding("down", "move(0, 1)", "Down", show=False),
        Binding("left", "move(-1, 0)", "Left", show=False),
        Binding("right", "move(1, 0)", "Right", show=False),
        Binding("pageup", "move(0, -10)", "Page up", show=False),
        Binding("pagedown", "move(0, 10)", "Page down", show=False),
        Binding("space", "toggle", "Need", tooltip="Add or remove the need in this cell"),
        Binding("0,1,2,3,4", "require", "Level 0-4", key_display="0-4",
                tooltip="Set the maturity this feature needs from the capability"),
        Binding("x,delete,backspace", "clear", "Clear", tooltip="Remove the need"),
        Binding("plus,equals_sign", "maturity(1)", "Maturity +",
                tooltip="Raise the capability's current maturity"),
        Binding("minus", "maturity(-1)", "Maturity −",
                tooltip="Lower the capability's current maturity"),
    ]  # fmt: skip

    cursor = reactive((0, 0), always_update=True)  # (column, row)

    class CursorMoved(Message):
        def __init__(self, feature: str | None, capability: str | None) -> None:
            super().__init__()
            self.feature = feature
            self.capability = capability

    class NeedChanged(Message):
        """Set (`required` 0-4) or remove (`required` None) the need in one cell."""

        def __init__(self, feature: str, capability: str, required: int | None) -> None:
            super().__init__()
            self.feature = feature
            self.capability = capability
            self.required = required

    class MaturityChanged(Message):
        def __init__(self, capability: str, maturity: int) -> None:
            super().__init__()
            self.capability = capability
            self.maturity = maturity

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[GridRow] = ()
        self.columns: Sequence[GridColumn] = ()
        self.needs: Mapping[tuple[str, str], int] = {}

    # -- data -----------------------------------------------------------------------------

    def set_data(
        self,
        rows: Sequence[GridRow],
        columns: Sequence[GridColumn],
        needs: Mapping[tuple[str, str], int],
    ) -> None:
        """Show new data, keeping the cursor on the same feature and capability if they remain."""
        feature, capability = self.current
        self.rows, self.columns, self.needs = rows, columns, needs
        self.virtual_size = Size(self.title_width + CELL_WIDTH * len(columns), len(rows) + 1)
        row_ids = [r.feature for r in rows]
        col_ids = [c.capability for c in columns]
        row = row_ids.index(feature) if feature in row_ids else min(self.cursor[1], len(rows) - 1)
        col = col_ids.index(capability) if capability in col_ids else self.cursor[0]
        self.cursor = (max(0, min(col, len(columns) - 1)), max(0, row))
        self.refresh()

    @property
    def title_width(self) -> int:
        # the room left of the cells, less a vertical scrollbar's width when one may show
        spare = (
            self.size.width
            - CELL_WIDTH * len(self.columns)
            - 1
            - self.styles.scrollbar_size_vertical
        )
        return max(TITLE_WIDTH, min(TITLE_MAX, spare))

    def on_resize(self) -> None:
        self.virtual_size = Size(
            self.title_width + CELL_WIDTH * len(self.columns), len(self.rows) + 1
        )

    @property
    def current(self) -> tuple[str | None, str | None]:
        """The feature and capability under the cursor."""
        col, row = self.cursor
        feature = self.rows[row].feature if 0 <= row < len(self.rows) else None
        capability = self.columns[col].capability if 0 <= col < len(self.columns) else None
        return feature, capability

    def move_to(self, feature: str | None = None, capability: str | None = None) -> None:
        col, row = self.cursor
        rows = [r.feature for r in self.rows]
        cols = [c.capability for c in self.columns]
        if feature in rows:
            row = rows.index(feature)
        if capability in cols:
            col = cols.index(capability)
        self.cursor = (col, row)

    # -- keys -----------------------------------------------------------------------------

    def action_move(self, dx: int, dy: int) -> None:
        col, row = self.cursor
        col = max(0, min(col + dx, len(self.columns) - 1))
        row = max(0, min(row + dy, len(self.rows) - 1))
        self.cursor = (col, row)

    def action_toggle(self) -> None:
        feature, capability = self.current
        if feature and capability:
            if (feature, capability) in self.needs:
                self.post_message(self.NeedChanged(feature, capability, None))
            else:
                # A new need starts at what the capability already offers: no gap until
                # the room says the feature needs more.
                maturity = self.columns[self.cursor[0]].maturity
                self.post_message(self.NeedChanged(feature, capability, max(1, maturity)))

    def action_require(self) -> None:
        """Bound to 0-4; the digit is read in on_key (one binding, one help row)."""

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character in "01234":
            feature, capability = self.current
            if feature and capability:
                self.post_message(self.NeedChanged(feature, capability, int(event.character)))
            event.stop()

    def action_clear(self) -> None:
        feature, capability = self.current
        if feature and capability and (feature, capability) in self.needs:
            self.post_message(self.NeedChanged(feature, capability, None))

    def action_maturity(self, delta: int) -> None:
        col = self.cursor[0]
        if 0 <= col < len(self.columns):
            column = self.columns[col]
            maturity = max(0, min(4, column.maturity + delta))
            if maturity != column.maturity:
                self.post_message(self.MaturityChanged(column.capability, maturity))

    def watch_cursor(self, old: tuple[int, int], new: tuple[int, int]) -> None:
        self._scroll_to_cursor()
        self.refresh_lines(self.scroll_offset.y + old[1] + 1 - self.scroll_offset.y)
        self.refresh()
        self.post_message(self.CursorMoved(*self.current))

    def _scroll_to_cursor(self) -> None:
        col, row = self.cursor
        visible_rows = max(1, self.size.height - 1)
        y = self.scroll_offset.y
        if row < y:
            y = row
        elif row >= y + visible_rows:
            y = row - visible_rows + 1
        visible_cols = max(1, (self.size.width - self.title_width) // CELL_WIDTH)
        x_cells = self.scroll_offset.x // CELL_WIDTH
        if col < x_cells:
            x_cells = col
        elif col >= x_cells + visible_cols:
            x_cells = col - visible_cols + 1
        self.scroll_to(x=x_cells * CELL_WIDTH, y=y, animate=False)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        row = self.scroll_offset.y + offset.y - 1
        title_width = self.title_width
        col = (self.scroll_offset.x + offset.x - title_width) // CELL_WIDTH
        if 0 <= row < len(self.rows) and offset.x >= title_width and 0 <= col < len(self.columns):
            self.cursor = (col, row)

    # -- rendering ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return self._header(width)
        row = self.scroll_offset.y + y - 1
        if row >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        return self._row(row, width)

    def _visible_columns(self, width: int) -> range:
        first = self.scroll_offset.x // CELL_WIDTH
        count = max(0, (width - self.title_width) // CELL_WIDTH + 1)
        return range(first, min(len(self.columns), first + count))

    def _header(self, width: int) -> Strip:
        style = self.get_component_rich_style("readiness-grid--header")
        segments = [Segment(fit("feature \\ capability", self.title_width), style)]
        for col in self._visible_columns(width):
            column = self.columns[col]
            label = f"{initials(printable(column.label), CELL_WIDTH - 2)}{column.maturity}"
            segments.append(Segment(fit(label, CELL_WIDTH, right=True), style))
        return Strip(segments).adjust_cell_length(width, style)

    def _row(self, row: int, width: int) -> Strip:
        record = self.rows[row]
        cursor_col, cursor_row = self.cursor
        cursor = self.get_component_rich_style("readiness-grid--cursor")
        focused = self.has_focus
        title_style = self.get_component_rich_style(
            "readiness-grid--blocked" if record.blocked else "readiness-grid--title"
        )
        if row == cursor_row:
            title_style = title_style + Style(bold=True)
        marker = "✗ " if record.blocked else "  "
        title = fit(marker + printable(record.title), self.title_width - 1) + " "
        segments = [Segment(title, title_style)]
        for col in self._visible_columns(width):
            text, style = self._cell(record.feature, self.columns[col])
            if focused and row == cursor_row and col == cursor_col:
                style = style + cursor
            segments.append(Segment(fit(text, CELL_WIDTH, right=True), style))
        return Strip(segments).adjust_cell_length(width, self.rich_style)

    def _cell(self, feature: str, column: GridColumn) -> tuple[str, Style]:
        required = self.needs.get((feature, column.capability))
        if required is None:
            return "·", self.get_component_rich_style("readiness-grid--empty")
        gap = max(0, required - column.maturity)
        kind = {0: "gap-none", 1: "gap-one"}.get(gap, "gap-many")
        glyph = GLYPHS[min(gap, 2)]
        return f"{glyph}{required}/{column.maturity}", self.get_component_rich_style(
            f"readiness-grid--{kind}"
        )
