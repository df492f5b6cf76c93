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
from textual.message import Message
from textual.strip import Strip

from ..formatting import fit, initials
from ..safetext import printable
from .cell_grid import NAVIGATION, CellGrid

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


def column_code(column: GridColumn) -> str:
    """A column's header: the capability's initials and its maturity now ("FS1")."""
    return f"{initials(printable(column.label), CELL_WIDTH - 2)}{column.maturity}"


class ReadinessGrid(CellGrid):
    """Needs as cells: `required/current` with a glyph and colour for the gap.

    Rows are features, columns capabilities; `current` is (feature, capability).
    """

    CELL_WIDTH = CELL_WIDTH
    FIXED_LEFT = 0
    TITLE_MIN, TITLE_MAX = 24, 56

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
        & > .readiness-grid--empty { color: $panel-border; }
        & > .readiness-grid--gap-none { color: $gap-none; }
        & > .readiness-grid--gap-one { color: $gap-one; text-style: bold; }
        & > .readiness-grid--gap-many { color: $gap-many; text-style: bold; }
        /* The cursor's own text colour: the glyph (✓ ▲ ✗) still tells the gap under it. */
        & > .readiness-grid--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
        }
    }
    """
    BINDINGS = [
        *NAVIGATION,
        Binding("space", "toggle", "Need", tooltip="Add or remove the need in this cell"),
        Binding("0,1,2,3,4", "require", "Level", key_display="0-4",
                tooltip="Set the maturity this feature needs from the capability"),
        Binding("x,delete,backspace", "clear", "Clear", tooltip="Remove the need"),
        Binding("plus,equals_sign", "maturity(1)", "Maturity up",
                tooltip="Raise the capability's current maturity"),
        Binding("minus", "maturity(-1)", "Maturity down",
                tooltip="Lower the capability's current maturity"),
    ]  # fmt: skip

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
        self.rows, self.columns, self.needs = rows, columns, needs
        self._set_shape([r.feature for r in rows], [c.capability for c in columns])
        self.refresh()

    # -- keys -----------------------------------------------------------------------------

    def action_toggle(self) -> None:
        feature, capability = self.current
        if feature and capability:
            if (feature, capability) in self.needs:
                self.post_message(self.NeedChanged(feature, capability, None))
            else:
                # A new need starts at what the capability already offers, 0 included: no
                # gap until the room says the feature needs more.
                maturity = self.columns[self.cursor[0]].maturity
                self.post_message(self.NeedChanged(feature, capability, maturity))

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

    # -- rendering ------------------------------------------------------------------------

    def _header(self, width: int) -> Strip:
        style = self.component_style("readiness-grid--header")
        segments = [Segment(fit("feature \\ capability", self.title_width), style)]
        for col in self.visible_columns(width):
            label = column_code(self.columns[col])
            segments.append(Segment(fit(label, CELL_WIDTH, right=True), style))
        return Strip(segments).adjust_cell_length(width, style)

    def _row(self, row: int, width: int) -> Strip:
        record = self.rows[row]
        cursor_row = self.cursor[1]
        cursor = self.component_style("readiness-grid--cursor")
        title_style = self.component_style(
            "readiness-grid--blocked" if record.blocked else "readiness-grid--title"
        )
        if row == cursor_row:
            title_style = title_style + Style(bold=True)
        marker = "✗ " if record.blocked else "  "
        title = fit(marker + printable(record.title), self.title_width - 1) + " "
        segments = [Segment(title, title_style)]
        cursor_col = self.cursor_column(row)
        for col in self.visible_columns(width):
            text, style = self._cell(record.feature, self.columns[col])
            if col == cursor_col:
                style = style + cursor
            segments.append(Segment(fit(text, CELL_WIDTH, right=True), style))
        return Strip(segments).adjust_cell_length(width, self.base_style)

    def _cell(self, feature: str, column: GridColumn) -> tuple[str, Style]:
        required = self.needs.get((feature, column.capability))
        if required is None:
            return "·", self.component_style("readiness-grid--empty")
        gap = max(0, required - column.maturity)
        kind = {0: "gap-none", 1: "gap-one"}.get(gap, "gap-many")
        glyph = GLYPHS[min(gap, 2)]
        return f"{glyph}{required}/{column.maturity}", self.component_style(
            f"readiness-grid--{kind}"
        )
