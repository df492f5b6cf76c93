"""A compact list of one-line rows, drawn as one piece of text: the Overview's panels.

Textual's OptionList renders and measures every option as a widget part of its
own, which six panels of them made a visible part of the Overview's first frame
(README, Performance). These lists always fit their panel (the Overview shows as many rows as
there is room for), so one Content with a cursor row is all they need.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widget import Widget


class OverviewList(Widget, can_focus=True):
    """Rows of (key, line); the cursor row is highlighted, Enter or a click opens it."""

    COMPONENT_CLASSES = {"overview-list--cursor", "overview-list--hover"}
    BINDINGS = [
        Binding("enter", "select", "Open", tooltip="Open the row on its screen"),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("home", "move(-1_000_000)", "First", show=False),
        Binding("end", "move(1_000_000)", "Last", show=False),
    ]

    class Selected(Message):
        """A row was chosen (Enter or a click): `key` is its key."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str, classes: str = "") -> None:
        super().__init__(id=id, classes=classes)
        self._keys: tuple[str, ...] = ()
        self._lines: tuple[Content, ...] = ()
        self.highlighted: int | None = None  # the cursor row; None when there are no rows
        self._hover: int | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return self._keys

    def set_rows(self, rows: Sequence[tuple[str, Content]], empty: Content) -> None:
        """Show `rows`, the cursor on the same row number (or the last); `empty` if none."""
        self._keys = tuple(key for key, _ in rows)
        self._lines = tuple(line for _, line in rows) if rows else (empty,)
        self.highlighted = min(self.highlighted or 0, len(rows) - 1) if rows else None
        self.refresh()

    def render(self) -> Content:
        width = self.content_size.width
        lines = list(self._lines)
        for row, part in ((self.highlighted, "cursor"), (self._hover, "hover")):  # cursor wins
            if row is not None and row < len(self._keys):
                style = self.get_visual_style(f"overview-list--{part}")
                line = lines[row]
                lines[row] = line.pad_right(width - line.cell_length).stylize_before(style)
        return Content("\n").join(lines)

    def action_move(self, step: int) -> None:
        if self.highlighted is not None:
            self.highlighted = max(0, min(len(self._keys) - 1, self.highlighted + step))
            self.refresh()

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Selected(self._keys[self.highlighted]))

    def _row_at(self, event: events.MouseEvent) -> int | None:
        """The row under the pointer (None on the border or below the rows)."""
        offset = event.get_content_offset(self)
        return offset.y if offset is not None and offset.y < len(self._keys) else None

    def on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        if row is not None:
            self.highlighted = row
            self.refresh()
            self.action_select()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        row = self._row_at(event)
        if row != self._hover:
            self._hover = row
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()
