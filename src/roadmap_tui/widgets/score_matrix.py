"""The Score screen's matrix: features × criteria, with rank, movement and score.

A Line API ScrollView that draws only the visible lines, asking its source for
each visible row and cell when it draws it: a workspace of 10,000 features
costs what the screenful costs. After a vote the screen says which rows
changed and only those are redrawn. The header row and the left block
(movement, rank, score, title) stay put while the criterion cells scroll
sideways. The widget shows and reports; the screen stores the votes.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from ..formatting import compact, fit, scientific, short_labels
from ..safetext import printable
from .cell_grid import NAVIGATION, CellGrid, Rows

CELL_WIDTH = 7
ROW_STYLES = ("title", "muted", "up", "down", "score", "contested", "mine", "cursor")


class MatrixCell(NamedTuple):
    value: float
    contested: bool
    mine: bool  # the current participant has a vote here


@dataclass(frozen=True)
class MatrixRow:
    feature: str
    title: str
    rank: int | None
    score: float | None
    missing: int  # criteria without a value (incomplete when > 0 or no score)
    movement: str  # "↑2", "↓1", "", "new"
    cells: tuple[MatrixCell | None, ...]  # in the criteria's order; None: no vote


class MatrixSource(Protocol):
    """What the matrix draws from: one row at a time, when it is on screen."""

    def matrix_row(self, feature: str) -> MatrixRow: ...


class ScoreMatrix(CellGrid):
    """Rows are features, columns criteria; `current` is (feature, criterion)."""

    CELL_WIDTH = CELL_WIDTH
    # what the header's and the rows' abbreviations mean, for the help screen (f1)
    LEGEND = (
        ("Δ", "movement in the ranking since the screen opened: ↑2 up two places, "
              "↓1 down one, new: newly ranked, ⇈ ⇊ a hundred places or more"),
        ("#", "rank, 1 the best; – an incomplete feature, which has no rank"),
        ("score", "the scoring model's score; 13.3k is 13,300, 1.5e21 is 1.5 × 10²¹"),
        ("2 miss", "incomplete: two criteria still have no value, so no score yet"),
        ("—", "no score though every value is there (a RICE effort or WSJF job size 0 or near it)"),
        ("Confi, RPQ", "criteria by their initials: the line under the matrix names the "
                       "one under the cursor, with its range, weight and votes"),
        ("◆", "contested: the votes are further apart than the workspace's threshold"),
        ("underlined", "you (the current voter) have a vote in this cell"),
        ("·", "no vote yet"),
    )  # fmt: skip
    FIXED_LEFT = 16  # movement (4) + rank (4) + score (8)
    TITLE_MIN, TITLE_MAX = 18, 48
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
        & > .score-matrix--muted { color: $text-muted; }
        & > .score-matrix--up { color: $gap-none; text-style: bold; }
        & > .score-matrix--down { color: $gap-many; text-style: bold; }
        & > .score-matrix--contested { color: $contested; text-style: bold; }
        & > .score-matrix--mine { text-style: underline; }
        & > .score-matrix--score { color: $accent; text-style: bold; }
        /* The cursor's own text colour: a value keeps its ◆ (contested) and underline (mine). */
        & > .score-matrix--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
        }
    }
    """
    BINDINGS = [
        *NAVIGATION,
        Binding("0,1,2,3,4,5,6,7,8,9", "digit", "Vote", key_display="0-9",
                tooltip="Score the cell as the current participant"),
        Binding("enter", "edit", "Type a value",
                tooltip="Type any value, for scales beyond 0-9 (RICE reach, WSJF sizes)"),
        Binding("x,delete,backspace", "clear", "Clear vote",
                tooltip="Remove the current participant's vote in this cell"),
    ]  # fmt: skip

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

    def __init__(self, source: MatrixSource, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = source
        self.criteria: Sequence[tuple[str, str]] = ()  # (id, header label)
        self._drawn_cells: dict[tuple[MatrixCell | None, bool], tuple[Segment, Segment]] = {}
        self._drawn_rows: dict[tuple[object, ...], Strip] = {}
        self._look: tuple[Style, ...] | None = None  # the styles those were drawn in

    # -- data -----------------------------------------------------------------------------

    def set_data(self, rows: Rows, criteria: Sequence[tuple[str, str]]) -> None:
        """Show new rows (feature ids in order) and criteria, all redrawn.

        The cursor stays on the same feature and criterion when they remain. After
        a vote, `follow` and `refresh_rows` redraw only what changed instead.
        """
        self.criteria = criteria
        self._set_shape(rows, [c for c, _ in criteria])
        self.refresh()

    # -- keys -----------------------------------------------------------------------------

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

    # -- rendering ------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.component_style(f"score-matrix--{name}")

    def _header(self, width: int) -> Strip:
        style = self._style("header")
        left = fit(" Δ", 4) + fit("#", 4) + fit("score", 7, right=True) + " "
        segments = [Segment(left + fit("feature", self.title_width), style)]
        labels = short_labels([printable(name) for _, name in self.criteria], CELL_WIDTH - 2)
        for col in self.visible_columns(width):
            segments.append(Segment(fit(labels[col] + " ", CELL_WIDTH, right=True), style))
        return Strip(segments).adjust_cell_length(width, style)

    def _row(self, index: int, width: int) -> Strip:
        row = self.source.matrix_row(self.row_ids[index])
        is_cursor_row = index == self.cursor[1]
        cursor_col = self.cursor_column(index)
        key = (row, is_cursor_row, cursor_col, width, self.scroll_offset.x, self.title_width)
        self._check_look()
        strip = self._drawn_rows.get(key)
        if strip is None:
            strip = self._drawn_rows[key] = self._draw_row(row, is_cursor_row, cursor_col, width)
        return strip

    def _draw_row(
        self, row: MatrixRow, is_cursor_row: bool, cursor_col: int | None, width: int
    ) -> Strip:
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
            score_text = f"{row.missing} miss" if 0 < row.missing < 100 else "—"
            score = Segment(score_text.rjust(7) + " ", muted)
        else:
            text = short_number(row.score, 6, f"{row.score:.1f}")
            score = Segment(text.rjust(7) + " ", self._style("score"))
        rank = short_number(row.rank, 4, str(row.rank)) if row.rank else "–"
        segments = [
            Segment(_movement(row.movement).ljust(4), move_style),
            Segment(rank.ljust(4), title_style if row.rank else muted),
            score,
            Segment(ellipsis(printable(row.title), self.title_width), title_style),
        ]
        drawn = self._drawn_cells
        for col in self.visible_columns(width):
            cell = row.cells[col]
            key = (cell, col == cursor_col)
            pair = drawn.get(key)
            if pair is None:
                pair = drawn[key] = self._cell_segments(cell, on_cursor=key[1])
            segments += pair
        return Strip(segments).simplify().adjust_cell_length(width, self.base_style)

    def _check_look(self) -> None:
        """Forget what was drawn in other styles (a theme change, focus) or long ago.

        Rows and cells already drawn are kept by what they show: most cells hold one of a
        few values (votes of 1-5, their medians), and a row scrolled back into view, or
        one a vote did not change, is drawn as it was (issue 10, B2)."""
        look = (
            self.base_style,
            *map(self._style, ROW_STYLES),
        )
        if (
            len(self._drawn_cells) > 2048
            or len(self._drawn_rows) > 1024
            or self._look is None
            or any(map(operator.is_not, look, self._look))
        ):
            self._drawn_cells, self._drawn_rows, self._look = {}, {}, look

    def _cell_segments(
        self, cell: MatrixCell | None, *, on_cursor: bool
    ) -> tuple[Segment, Segment]:
        text, style = self._cell(cell)
        body = text
        # An underlined value keeps its gap apart (not underlined); otherwise the gap
        # takes the value's style, so neighbouring cells merge into one segment and a
        # redrawn row costs the terminal fewer colour codes.
        padding = self.base_style if style.underline else style
        if on_cursor:
            cursor = self._style("cursor")
            style, padding = style + cursor, padding + cursor
        return Segment(" " * (CELL_WIDTH - len(body)), padding), Segment(body, style)

    def _cell(self, cell: MatrixCell | None) -> tuple[str, Style]:
        if cell is None:
            return "· ", self._style("muted")  # in the digits' place, not the mark's
        text = short_number(cell.value, CELL_WIDTH - 2)  # then its mark, and a gap before
        style = self._style("title")
        if cell.contested:
            text += "◆"
            style = self._style("contested")
        else:
            text += " "
        if cell.mine:
            style += self._style("mine")
        return text, style


def short_number(value: float, width: int, exact: str | None = None) -> str:
    """`value` in at most `width` cells, never cut: `exact` (by default the compact form)
    when it fits, else with a unit (a RICE score of 13,333.3 in 6 cells: 13.3k), else in
    scientific form."""
    text = compact(value) if exact is None else exact
    if len(text) <= width:
        return text
    unit, suffix = next(
        ((unit, suffix) for unit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k"))
         if abs(value) >= unit),
        (1.0, ""),
    )  # fmt: skip
    for text in (f"{value / unit:.1f}{suffix}", f"{value / unit:.0f}{suffix}"):
        if suffix and len(text) <= width:
            return text
    for digits in (2, 1, 0):
        text = scientific(value, digits)
        if len(text) <= width:
            break
    return text


def ellipsis(text: str, width: int) -> str:
    """`text` in exactly `width` cells; a text that does not fit ends with '…'."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def _movement(movement: str) -> str:
    """'↑12' as it is; a move of 100 places or more as '⇈' or '⇊', in the column's 3 cells."""
    if len(movement) > 3 and movement[0] in "↑↓":
        return "⇈" if movement[0] == "↑" else "⇊"
    return movement
