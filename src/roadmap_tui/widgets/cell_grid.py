"""What the Map's grid and the Score matrix share: a cursor over cells, drawn line by line.

A Line API ScrollView: only the lines on screen are drawn. Line 0 is a fixed
header; a fixed block on the left (titles, ranks) stays put while the cells
scroll sideways. Subclasses draw the header and the rows, and say what the
cells mean; the cursor, scrolling, clicks and keys for moving live here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import ClassVar, Protocol

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .kept_style import KeptStyle

NAVIGATION = [
    Binding("up", "move(0, -1)", "Up", show=False),
    Binding("down", "move(0, 1)", "Down", show=False),
    Binding("left", "move(-1, 0)", "Left", show=False),
    Binding("right", "move(1, 0)", "Right", show=False),
    Binding("pageup", "move(0, -10)", "Page up", show=False),
    Binding("pagedown", "move(0, 10)", "Page down", show=False),
    Binding("home", "first", "First row", show=False),
]


class Rows(Protocol):
    """The row ids in display order: a list, or an Ordering that finds an id by bisection."""

    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> str: ...
    def __contains__(self, id: object) -> bool: ...
    def index(self, id: str) -> int: ...


class CellGrid(KeptStyle, ScrollView, can_focus=True):
    CELL_WIDTH: ClassVar[int]
    FIXED_LEFT: ClassVar[int]  # the left block's columns before the title
    TITLE_MIN: ClassVar[int]
    TITLE_MAX: ClassVar[int]

    cursor = reactive((0, 0), always_update=True)  # (column, row)

    class CursorMoved(Message):
        def __init__(self, row: str | None, column: str | None) -> None:
            super().__init__()
            self.row = row
            self.column = column

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.row_ids: Rows = []
        self.column_ids: Sequence[str] = ()

    # -- shape and cursor -----------------------------------------------------------------

    def _set_shape(self, row_ids: Rows, column_ids: Sequence[str]) -> None:
        """New rows and columns; the cursor stays on the same row and column ids if they remain.

        The cursor is set without a message or a redraw: the caller refreshes what changed.
        """
        row_id, column_id = self.current
        self.row_ids, self.column_ids = row_ids, list(column_ids)
        self._size_content()
        col = self.column_ids.index(column_id) if column_id in self.column_ids else self.cursor[0]
        self.set_reactive(CellGrid.cursor, (max(0, min(col, len(column_ids) - 1)), self.cursor[1]))
        self.follow(row_id)

    def follow(self, row_id: str | None) -> None:
        """Keep the cursor on `row_id` after the rows moved (or in place if it has gone)."""
        col, row = self.cursor
        row = self.row_ids.index(row_id) if row_id in self.row_ids else row
        self.set_reactive(CellGrid.cursor, (col, max(0, min(row, len(self.row_ids) - 1))))
        self._scroll_to_cursor()

    def visible_rows(self) -> range:
        first = self.scroll_offset.y
        return range(first, min(len(self.row_ids), first + self.size.height - 1))  # - header

    def refresh_rows(self, rows: Iterable[int]) -> None:
        """Redraw the rows (by position) that are on screen; the rest are drawn when shown."""
        visible = self.visible_rows()
        # one refresh per run of adjacent rows: a vote that moves a feature down the
        # ranking shifts every row on screen, and each refresh has a cost of its own
        for _, run in groupby(enumerate(sorted({r for r in rows if r in visible})), _step):
            first, *rest = (row for _, row in run)
            self.refresh_lines(first + 1, 1 + len(rest))  # virtual lines: the header is 0

    @property
    def current(self) -> tuple[str | None, str | None]:
        """The row id and the column id under the cursor."""
        col, row = self.cursor
        row_id = self.row_ids[row] if 0 <= row < len(self.row_ids) else None
        column_id = self.column_ids[col] if 0 <= col < len(self.column_ids) else None
        return row_id, column_id

    def move_to(self, row: str | None = None, column: str | None = None) -> None:
        col, index = self.cursor
        if row in self.row_ids:
            index = self.row_ids.index(row)
        if column in self.column_ids:
            col = self.column_ids.index(column)
        self.cursor = (col, index)

    @property
    def title_width(self) -> int:
        """The title takes the room the cells leave (less a vertical scrollbar), within bounds."""
        spare = (
            self.size.width
            - self.FIXED_LEFT
            - self.CELL_WIDTH * len(self.column_ids)
            - self.styles.scrollbar_size_vertical
        )
        return max(self.TITLE_MIN, min(self.TITLE_MAX, spare))

    @property
    def left_width(self) -> int:
        return self.FIXED_LEFT + self.title_width

    def _size_content(self) -> None:
        width = self.left_width + self.CELL_WIDTH * len(self.column_ids)
        if len(self.column_ids) > self._whole_columns(self.size.width):
            # Only whole columns are drawn (a cut one shows stray digits under no header):
            # the room right of them, and of a vertical scrollbar shown or not, is added,
            # so scrolling to the end shows the last column whole.
            room = self.size.width - self.styles.scrollbar_size_vertical - self.left_width
            width += room % self.CELL_WIDTH + self.styles.scrollbar_size_vertical
        self.virtual_size = Size(width, len(self.row_ids) + 1)

    def on_resize(self) -> None:
        self._size_content()

    # -- keys and mouse -------------------------------------------------------------------

    def action_move(self, dx: int, dy: int) -> None:
        col, row = self.cursor
        col = max(0, min(col + dx, len(self.column_ids) - 1))
        row = max(0, min(row + dy, len(self.row_ids) - 1))
        self.cursor = (col, row)

    def action_first(self) -> None:
        self.cursor = (self.cursor[0], 0)

    def watch_cursor(self) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.CursorMoved(*self.current))

    def _scroll_to_cursor(self) -> None:
        col, row = self.cursor
        visible_rows = max(1, self.size.height - 1)  # the header takes a line
        y = self.scroll_offset.y
        if row < y:
            y = row
        elif row >= y + visible_rows:
            y = row - visible_rows + 1
        visible_cols = max(1, self._whole_columns(self.size.width))
        first = self.scroll_offset.x // self.CELL_WIDTH
        if col < first:
            first = col
        elif col >= first + visible_cols:
            first = col - visible_cols + 1
        self.scroll_to(x=first * self.CELL_WIDTH, y=y, animate=False)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        row = self.scroll_offset.y + offset.y - 1
        col = (self.scroll_offset.x + offset.x - self.left_width) // self.CELL_WIDTH
        if 0 <= row < len(self.row_ids):
            inside = offset.x >= self.left_width and 0 <= col < len(self.column_ids)
            self.cursor = (col if inside else self.cursor[0], row)

    # -- drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return self._header(width)
        row = self.scroll_offset.y + y - 1
        if row >= len(self.row_ids):
            return Strip.blank(width, self.base_style)
        return self._row(row, width)

    def visible_columns(self, width: int) -> range:
        """The columns drawn: those that fit whole right of the left block."""
        first = self.scroll_offset.x // self.CELL_WIDTH
        return range(first, min(len(self.column_ids), first + self._whole_columns(width)))

    def _whole_columns(self, width: int) -> int:
        """How many columns fit whole right of the left block, less a vertical scrollbar."""
        room = width - self.styles.scrollbar_size_vertical - self.left_width
        return max(0, room // self.CELL_WIDTH)

    def cursor_column(self, row: int) -> int | None:
        """The column the focused cursor is on in this row (None: not here, or unfocused)."""
        col, cursor_row = self.cursor
        return col if row == cursor_row and self.has_focus else None

    def _header(self, width: int) -> Strip:
        raise NotImplementedError

    def _row(self, index: int, width: int) -> Strip:
        raise NotImplementedError


def _step(pair: tuple[int, int]) -> int:
    """Constant along a run of adjacent rows, in `enumerate(sorted(rows))`."""
    index, row = pair
    return row - index
