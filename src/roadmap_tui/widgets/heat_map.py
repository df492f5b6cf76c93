"""The Risks screen's heat map: 5 × 5 cells of likelihood (rows, 5 on top) × impact (columns).

A Line API widget of a fixed 25 cells. Each cell shows the band's letter (L, M,
H, C) and how many risks sit there, on the band's colour, so colour is never
the only signal; a legend names the bands, and the bottom line says the cell
under the cursor in words. The widget only shows and reports: choosing a cell
(enter, space or a click) posts `CellChosen`, and the screen filters its
register. The cells grow with the room: wider cells and a word for each
likelihood when the widget is wide, two lines per row when it is tall.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from ..risk import BANDS, IMPACT_WORDS, LIKELIHOOD_WORDS, band
from .kept_style import KeptStyle

Cell = tuple[int, int]  # (likelihood, impact), each 1..5

LETTERS = {"low": "L", "medium": "M", "high": "H", "critical": "C"}
MIN_CELL, MAX_CELL = 5, 9
WORD_LABEL = 17  # "5 almost certain " — the likelihood column when there is room for words
DIGIT_LABEL = 3  # " 5 "
MAX_ROW = 3  # lines per likelihood row when the widget is tall: header, rows, legend, info


class HeatMap(KeptStyle, Widget, can_focus=True):
    """Risk counts per (likelihood, impact) cell; a chosen cell filters the screen's register."""

    COMPONENT_CLASSES = {
        "heat-map--header",
        "heat-map--label",
        "heat-map--legend",
        "heat-map--info",
        "heat-map--cursor",
        *(f"heat-map--{b}" for b in BANDS),
        *(f"heat-map--{b}-empty" for b in BANDS),
    }
    DEFAULT_CSS = """
    HeatMap {
        height: 1fr;
        background: $surface;
        & > .heat-map--header { color: $text-muted; text-style: bold; }
        & > .heat-map--label { color: $text-muted; }
        & > .heat-map--legend { color: $foreground; }
        & > .heat-map--info { color: $foreground; }
        & > .heat-map--cursor { text-style: reverse bold; }
        & > .heat-map--low { background: $band-low; color: $background; text-style: bold; }
        & > .heat-map--medium { background: $band-medium; color: $background; text-style: bold; }
        & > .heat-map--high { background: $band-high; color: $background; text-style: bold; }
        & > .heat-map--critical {
            background: $band-critical; color: $background; text-style: bold;
        }
        & > .heat-map--low-empty { background: $band-low 10%; color: $band-low; }
        & > .heat-map--medium-empty { background: $band-medium 10%; color: $band-medium; }
        & > .heat-map--high-empty { background: $band-high 10%; color: $band-high; }
        & > .heat-map--critical-empty { background: $band-critical 10%; color: $band-critical; }
    }
    """
    BINDINGS = [
        Binding("up", "move(1, 0)", "Likelihood +", show=False),
        Binding("down", "move(-1, 0)", "Likelihood −", show=False),
        Binding("right", "move(0, 1)", "Impact +", show=False),
        Binding("left", "move(0, -1)", "Impact −", show=False),
        Binding("enter,space", "choose", "Filter cell", show=False,
                tooltip="Show only the risks in this cell in the register (again: show all)"),
        Binding("escape", "clear", "Clear cell", show=False, tooltip="Stop filtering by a cell"),
    ]  # fmt: skip

    cursor: reactive[Cell] = reactive((5, 5))
    chosen: reactive[Cell | None] = reactive(None)

    class CellChosen(Message):
        """The cell filter changed: `cell` is the chosen (likelihood, impact), or None."""

        def __init__(self, cell: Cell | None) -> None:
            super().__init__()
            self.cell = cell

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: Mapping[Cell, int] = {}

    # -- data -----------------------------------------------------------------------------

    def set_counts(self, counts: Mapping[Cell, int]) -> None:
        self.counts = dict(counts)
        self.refresh()

    def count(self, cell: Cell) -> int:
        return self.counts.get(cell, 0)

    def choose(self, cell: Cell | None) -> None:
        """Set (or clear, with None) the chosen cell and tell the screen."""
        if cell is not None:
            self.cursor = cell
        if cell != self.chosen:
            self.chosen = cell
            self.post_message(self.CellChosen(cell))

    # -- keys and mouse -------------------------------------------------------------------

    def action_move(self, d_likelihood: int, d_impact: int) -> None:
        likelihood, impact = self.cursor
        self.cursor = (
            max(1, min(5, likelihood + d_likelihood)),
            max(1, min(5, impact + d_impact)),
        )

    def action_choose(self) -> None:
        self.choose(None if self.chosen == self.cursor else self.cursor)

    def action_clear(self) -> None:
        self.choose(None)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        cell = self._cell_at(offset.x, offset.y)
        if cell is not None:
            self.cursor = cell
            self.action_choose()

    def watch_cursor(self) -> None:
        self.refresh()

    def watch_chosen(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- geometry -------------------------------------------------------------------------

    @property
    def _label_width(self) -> int:
        width = self.size.width
        return WORD_LABEL if width >= WORD_LABEL + 5 * (MIN_CELL + 1) else DIGIT_LABEL

    @property
    def _cell_width(self) -> int:
        room = (self.size.width - self._label_width) // 5
        return max(MIN_CELL, min(MAX_CELL, room))

    @property
    def _indent(self) -> int:
        """Half the room the cells leave, so the grid sits in the middle."""
        spare = self.size.width - self._label_width - 5 * self._cell_width
        return max(0, spare // 2)

    @property
    def _row_height(self) -> int:
        return max(1, min(MAX_ROW, (self.size.height - 3) // 5))

    def _cell_at(self, x: int, y: int) -> Cell | None:
        row = (y - 1) // self._row_height if y >= 1 else -1
        x -= self._indent + self._label_width
        column = x // self._cell_width if x >= 0 else -1
        if 0 <= row < 5 and 0 <= column < 5:
            return (5 - row, column + 1)
        return None

    # -- rendering ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        rows_end = 1 + 5 * self._row_height
        if y == 0:
            strip = self._header()
        elif y < rows_end:
            row, sub = divmod(y - 1, self._row_height)
            strip = self._row(5 - row, first=sub == (self._row_height - 1) // 2)
        elif y == rows_end:
            strip = self._legend(width)
        elif y == rows_end + 1:
            strip = self._info(width)
        else:
            return Strip.blank(width, self.base_style)
        return strip.adjust_cell_length(width, self.base_style)

    def _header(self) -> Strip:
        style = self.component_style("heat-map--header")
        label = "likelihood \\ impact" if self._label_width == WORD_LABEL else "L\\I"
        segments = [
            Segment(" " * self._indent, self.base_style),
            Segment(_fit(label, self._label_width), style),
        ]
        for impact in range(1, 6):
            segments.append(Segment(str(impact).center(self._cell_width), style))
        return Strip(segments)

    def _row(self, likelihood: int, *, first: bool) -> Strip:
        label_style = self.component_style("heat-map--label")
        if not first:
            label = ""
        elif self._label_width == WORD_LABEL:
            label = f" {likelihood} {LIKELIHOOD_WORDS[likelihood]}"
        else:
            label = f" {likelihood}"
        if self.cursor[0] == likelihood and first:
            label_style = label_style + Style(bold=True)
        segments = [
            Segment(" " * self._indent, self.base_style),
            Segment(_fit(label, self._label_width), label_style),
        ]
        cursor = self.component_style("heat-map--cursor")
        for impact in range(1, 6):
            cell = (likelihood, impact)
            text, style = self._cell(cell, first=first)
            if self.has_focus and cell == self.cursor:
                style = style + cursor
            segments.append(Segment(text, style))
        return Strip(segments)

    def _cell(self, cell: Cell, *, first: bool) -> tuple[str, Style]:
        name = band(cell[0] * cell[1])
        count = self.count(cell)
        style = self.component_style(f"heat-map--{name}" if count else f"heat-map--{name}-empty")
        width = self._cell_width
        if not first:
            return " " * width, style
        body = f"{LETTERS[name]}{count:>2}" if count else f"{LETTERS[name]} ·"
        if cell == self.chosen:
            return f"[{body}]".center(width), style
        return body.center(width), style

    def _legend(self, width: int) -> Strip:
        text_style = self.component_style("heat-map--legend")
        ranges = {"low": "1–4", "medium": "5–9", "high": "10–15", "critical": "16–25"}
        long = width >= self._label_width + 44
        segments: list[Segment] = []
        for name in BANDS:
            letter = self.component_style(f"heat-map--{name}")
            segments.append(Segment(LETTERS[name], letter))
            words = f" {name} {ranges[name]}  " if long else f" {name} "
            segments.append(Segment(words, text_style))
        used = sum(cell_len(s.text) for s in segments)
        indent = self._indent + self._label_width
        if used + indent > width:
            indent = max(0, width - used) // 2
        return Strip([Segment(" " * indent, self.base_style), *segments])

    def _info(self, width: int) -> Strip:
        likelihood, impact = self.cursor
        severity = likelihood * impact
        count = self.count(self.cursor)
        risks = f"{count} risk" if count == 1 else f"{count} risks"
        text = (
            f" {LIKELIHOOD_WORDS[likelihood]} × {IMPACT_WORDS[impact]} = {severity} "
            f"{band(severity)}: {risks}"
        )
        if cell_len(text) > width:  # a narrow widget: digits instead of words
            text = f" {likelihood}×{impact} = {severity} {band(severity)}: {risks}"
        indent = " " * min(self._indent, max(0, width - cell_len(text)))
        return Strip([Segment(indent + text, self.component_style("heat-map--info"))])


def _fit(text: str, width: int) -> str:
    """Pad or cut `text` to exactly `width` cells."""
    return set_cell_size(text, width)
