"""The Score screen's matrix: features × criteria, with rank, movement and score.

A Line API ScrollView that draws only the visible lines and, after a vote,
refreshes only the lines whose content changed (a vote can move ranks, so the
screen says which rows moved). The header row and the left block (movement,
rank, score, title) stay put while the criterion cells scroll sideways. The
widget shows and reports; the screen stores the votes.
"""

from __future__ import annotations

from collections.abc import Sequence
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

from ..formatting import compact, fit, short_labels
from ..safetext import printable

LEFT_FIXED = 16  # movement (4) + rank (4) + score (8)
TITLE_MIN, TITLE_MAX = 18, 48
CELL_WIDTH = 7


@dataclass(frozen=True)
class MatrixRow:
    feature: str
    title: str
    rank: int | None
    score: float | None
    missing: int  # criteria without a value (incomplete when > 0 or no score)
    movement: str  # "↑2", "↓1", "", "new"


@dataclass(frozen=True)
class MatrixCell:
    value: float | None
    contested: bool
    mine: bool  # the current participant has a vote here


class ScoreMatrix(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {
        "score-matrix--header",
        "score-matrix--title",
        "score-matrix--muted",
        "score-matrix--up",
        "score-matrix--down",
        "score-matrix--contested",
        "score-matrix--mine",
        "score-matrix--score",
        "score-matrix--cursor",
    }
    DEFAULT_CSS = """
    ScoreMatrix {
        background: $surface;
        & > .score-matrix--header { background: $panel; text-style: bold; }
        & > .score-matrix--title { color: $foreground; }
        & > .score-matrix--muted { color: $foreground 45%; }
        & > .score-matrix--up { color: $gap-none; text-style: bold; }
        & > .score-matrix--down { color: $gap-many; text-style: bold; }
        & > .score-matrix--contested { color: $contested; text-style: bold; }
        & > .score-matrix--mine { text-style: underline; }
        & > .score-matrix--score { color: $accent; text-style: bold; }
        & > .score-matrix--cursor { background: $block-cursor-background; }
    }
    """
    BINDINGS = [
        Binding("up", "move(0, -1)", "Up", show=False),
        Binding("down", "move(0, 1)", "Down", show=False),
        Binding("left", "move(-1, 0)", "Left", show=False),
        Binding("right", "move(1, 0)", "Right", show=False),
        Binding("pageup", "move(0, -10)", "Page up", show=False),
        Binding("pagedown", "move(0, 10)", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("0,1,2,3,4,5,6,7,8,9", "digit", "Vote 0-9", key_display="0-9",
                tooltip="Score the cell as the current participant"),
        Binding("enter", "edit", "Type a value",
                tooltip="Type any value, for scales beyond 0-9 (RICE reach, WSJF sizes)"),
        Binding("x,delete,backspace", "clear", "Clear vote",
                tooltip="Remove the current participant's vote in this cell"),
    ]  # fmt: skip

    cursor = reactive((0, 0), always_update=True)  # (column, row)

    class CursorMoved(Message):
        def __init__(self, feature: str | None, criterion: str | None) -> None:
            super().__init__()
            self.feature = feature
            self.criterion = criterion

    class Voted(Message):
        """Set (a number) or clear (None) the current participant's vote in a cell."""

        def __init__(self, feature: str, criterion: str, value: float | None) -> None:
            super().__init__()
            self.feature = feature
            self.criterion = criterion
            self.value = value

    class EditRequested(Message):
        def __init__(self, feature: str, criterion: str) -> None:
            super().__init__()
            self.feature = feature
            self.criterion = criterion

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[MatrixRow] = ()
        self.criteria: Sequence[tuple[str, str]] = ()  # (id, header label)
        self.cells: dict[tuple[str, str], MatrixCell] = {}

    # -- data -----------------------------------------------------------------------------

    def set_data(
        self,
        rows: Sequence[MatrixRow],
        criteria: Sequence[tuple[str, str]],
        cells: dict[tuple[str, str], MatrixCell],
        *,
        changed: set[str] | None = None,
    ) -> None:
        """Show new data; with `changed` (feature ids) only those lines are redrawn.

        The cursor stays on the same feature and criterion when they remain.
        """
        feature, criterion = self.current
        same_order = changed is not None and [r.feature for r in rows] == [
            r.feature for r in self.rows
        ]
        self.rows, self.criteria, self.cells = rows, criteria, cells
        self.virtual_size = Size(self._left_width + CELL_WIDTH * len(criteria), len(rows) + 1)
        index = {r.feature: i for i, r in enumerate(rows)}
        columns = [c for c, _ in criteria]
        row = index.get(feature, min(self.cursor[1], len(rows) - 1)) if feature else 0
        col = columns.index(criterion) if criterion in columns else self.cursor[0]
        self.set_reactive(ScoreMatrix.cursor, (max(0, min(col, len(columns) - 1)), max(0, row)))
        if same_order and changed is not None:
            for feature_id in changed:
                if feature_id in index:
                    self.refresh_line(index[feature_id] + 1)
        else:
            self.refresh()
        self._scroll_to_cursor()

    @property
    def current(self) -> tuple[str | None, str | None]:
        col, row = self.cursor
        feature = self.rows[row].feature if 0 <= row < len(self.rows) else None
        criterion = self.criteria[col][0] if 0 <= col < len(self.criteria) else None
        return feature, criterion

    def move_to(self, feature: str | None = None, criterion: str | None = None) -> None:
        col, row = self.cursor
        features = [r.feature for r in self.rows]
        if feature in features:
            row = features.index(feature)
        columns = [c for c, _ in self.criteria]
        if criterion in columns:
            col = columns.index(criterion)
        self.cursor = (col, row)

    @property
    def _left_width(self) -> int:
        return LEFT_FIXED + self.title_width

    @property
    def title_width(self) -> int:
        spare = (
            self.size.width
            - LEFT_FIXED
            - CELL_WIDTH * len(self.criteria)
            - self.styles.scrollbar_size_vertical
        )
        return max(TITLE_MIN, min(TITLE_MAX, spare))

    def on_resize(self) -> None:
        width = self._left_width + CELL_WIDTH * len(self.criteria)
        self.virtual_size = Size(width, len(self.rows) + 1)

    # -- keys -----------------------------------------------------------------------------

    def action_move(self, dx: int, dy: int) -> None:
        col, row = self.cursor
        col = max(0, min(col + dx, len(self.criteria) - 1))
        row = max(0, min(row + dy, len(self.rows) - 1))
        self.cursor = (col, row)

    def action_first(self) -> None:
        self.cursor = (self.cursor[0], 0)

    def action_digit(self) -> None:
        """Bound to 0-9 for the help screen; the digit itself is read in on_key."""

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit() and len(event.character) == 1:
            feature, criterion = self.current
            if feature and criterion:
                self.post_message(self.Voted(feature, criterion, float(event.character)))
            event.stop()

    def action_edit(self) -> None:
        feature, criterion = self.current
        if feature and criterion:
            self.post_message(self.EditRequested(feature, criterion))

    def action_clear(self) -> None:
        feature, criterion = self.current
        if feature and criterion:
            self.post_message(self.Voted(feature, criterion, None))

    def watch_cursor(self) -> None:
        self._scroll_to_cursor()
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
        visible_cols = max(1, (self.size.width - self._left_width) // CELL_WIDTH)
        first = self.scroll_offset.x // CELL_WIDTH
        if col < first:
            first = col
        elif col >= first + visible_cols:
            first = col - visible_cols + 1
        self.scroll_to(x=first * CELL_WIDTH, y=y, animate=False)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        row = self.scroll_offset.y + offset.y - 1
        col = (self.scroll_offset.x + offset.x - self._left_width) // CELL_WIDTH
        if 0 <= row < len(self.rows):
            inside = offset.x >= self._left_width and 0 <= col < len(self.criteria)
            self.cursor = (col if inside else self.cursor[0], row)

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
        count = max(0, (width - self._left_width) // CELL_WIDTH + 1)
        return range(first, min(len(self.criteria), first + count))

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"score-matrix--{name}")

    def _header(self, width: int) -> Strip:
        style = self._style("header")
        left = fit(" Δ", 4) + fit("#", 4) + fit("score", 7, right=True) + " "
        segments = [Segment(left + fit("feature", self.title_width), style)]
        labels = short_labels([printable(name) for _, name in self.criteria], CELL_WIDTH - 2)
        for col in self._visible_columns(width):
            segments.append(Segment(fit(labels[col] + " ", CELL_WIDTH, right=True), style))
        return Strip(segments).adjust_cell_length(width, style)

    def _row(self, index: int, width: int) -> Strip:
        row = self.rows[index]
        cursor_col, cursor_row = self.cursor
        is_cursor_row = index == cursor_row
        muted, title_style = self._style("muted"), self._style("title")
        if is_cursor_row:
            title_style += Style(bold=True)
        move_style = (
            self._style("up")
            if row.movement.startswith("↑") or row.movement == "new"
            else self._style("down")
            if row.movement.startswith("↓")
            else muted
        )
        if row.score is None:
            score_text = f"{row.missing} miss" if row.missing else "—"
            score = Segment(fit(score_text, 7, right=True) + " ", muted)
        else:
            score = Segment(fit(f"{row.score:.1f}", 7, right=True) + " ", self._style("score"))
        segments = [
            Segment(fit(row.movement, 4), move_style),
            Segment(fit(str(row.rank) if row.rank else "–", 4), title_style if row.rank else muted),
            score,
            Segment(fit(printable(row.title), self.title_width), title_style),
        ]
        cursor = self._style("cursor")
        focused = self.has_focus
        for col in self._visible_columns(width):
            criterion = self.criteria[col][0]
            cell = self.cells.get((row.feature, criterion))
            text, style = self._cell(cell)
            text = fit(text, CELL_WIDTH - 1, right=True)
            padding = self.rich_style
            if focused and is_cursor_row and col == cursor_col:
                style, padding = style + cursor, padding + cursor
            # the padding apart, so an underlined value does not underline the gap before it
            body = text.lstrip(" ")
            segments += [Segment(" " * (CELL_WIDTH - len(body)), padding), Segment(body, style)]
        return Strip(segments).adjust_cell_length(width, self.rich_style)

    def _cell(self, cell: MatrixCell | None) -> tuple[str, Style]:
        if cell is None or cell.value is None:
            return "·", self._style("muted")
        text = compact(cell.value)
        style = self._style("title")
        if cell.contested:
            text += "◆"
            style = self._style("contested")
        else:
            text += " "
        if cell.mine:
            style += self._style("mine")
        return text, style
