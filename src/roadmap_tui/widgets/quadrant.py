"""Value versus effort: complete features placed by score (up) and TCO (right).

The chart is split at the medians into the four quadrants a room talks about:
quick wins (high score, low cost), big bets, fill-ins and money pits. The
selected feature is drawn larger and in the accent colour; when two features
share a character cell, the cell shows how many.

Line API, and kept up to date one point at a time: a vote moves one feature,
so `move` shifts one count and redraws the lines that changed. The costs and
scores are kept sorted, so the scale (their ranges) and the medians are read
off the ends and the middle; only a vote that changes a range recounts them all.
A fixed score range (0-100 for the weighted model) keeps the scale still while
the top feature's score moves, so a vote redraws two lines, not the chart.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from .kept_style import KeptStyle


@dataclass(frozen=True)
class Point:
    feature: str
    cost: float  # x: TCO
    score: float  # y


CORNERS = ("quick wins", "big bets", "fill-ins", "money pits")  # TL, TR, BL, BR
EMPTY = "No complete feature to place yet."


@dataclass(frozen=True)
class Scale:
    width: int
    height: int  # of the plot, without the axis line under it
    cost: tuple[float, float]
    score: tuple[float, float]

    def spot(self, cost: float, score: float) -> tuple[int, int]:
        """(line, column) of a point."""
        (low_x, high_x), (low_y, high_y) = self.cost, self.score
        x = 0 if high_x == low_x else round(_part(cost, low_x, low_x, high_x) * (self.width - 1))
        y = (
            self.height - 1
            if high_y == low_y
            else round(_part(high_y, score, low_y, high_y) * (self.height - 1))
        )
        return y, x


# Halved first: a RICE score can be anything a float holds (SPEC section 2), and the
# difference of two, or their sum, can overflow (then NaN crashed the drawing).
def _part(a: float, b: float, low: float, high: float) -> float:
    """(a - b) / (high - low)."""
    return (a / 2 - b / 2) / (high / 2 - low / 2)


def _median(values: list[float]) -> float:
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else values[middle - 1] / 2 + values[middle] / 2


class QuadrantChart(KeptStyle, Widget):
    COMPONENT_CLASSES = {
        "quadrant-chart--axis",
        "quadrant-chart--label",
        "quadrant-chart--point",
        "quadrant-chart--selected",
    }
    DEFAULT_CSS = """
    QuadrantChart {
        height: 1fr;
        & > .quadrant-chart--axis { color: $foreground 45%; }  /* 3:1, also at 256 colours */
        & > .quadrant-chart--label { color: $text-muted; text-style: italic; }
        & > .quadrant-chart--point { color: $primary; }
        & > .quadrant-chart--selected { color: $accent; text-style: bold; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.points: dict[str, Point] = {}
        self.selected: str | None = None
        self.x_label = "TCO"
        self.score_range: tuple[float, float] | None = None  # the scale's, when fixed
        self._costs: list[float] = []  # sorted
        self._scores: list[float] = []  # sorted
        self._scale: Scale | None = None  # what _counts were counted for
        self._counts: dict[int, Counter[int]] = {}  # line -> column -> points there

    # -- data -----------------------------------------------------------------------------

    def set_points(
        self,
        points: Iterable[Point],
        selected: str | None,
        x_label: str,
        score_range: tuple[float, float] | None = None,
    ) -> None:
        """All points; `score_range` fixes the vertical scale (widened if a score falls out)."""
        self.points = {p.feature: p for p in points}
        self.selected, self.x_label, self.score_range = selected, x_label, score_range
        self._costs = sorted(p.cost for p in self.points.values())
        self._scores = sorted(p.score for p in self.points.values())
        self._scale = None
        self.refresh()

    def move(self, feature: str, cost: float, score: float | None) -> None:
        """One feature's point moved (or, with no score, left the chart)."""
        before_scale, before_split = self._current_scale(), self._split()
        old = self.points.pop(feature, None)
        if old is not None:
            del self._costs[bisect_left(self._costs, old.cost)]
            del self._scores[bisect_left(self._scores, old.score)]
        new = None if score is None else Point(feature, cost, score)
        if new is not None:
            self.points[feature] = new
            insort(self._costs, new.cost)
            insort(self._scores, new.score)
        scale = self._current_scale()
        if scale is None or scale != before_scale or self._scale != scale:
            self._scale = None  # recounted when drawn
            self.refresh()
            return
        spots = [None if p is None else scale.spot(p.cost, p.score) for p in (old, new)]
        lines = set()
        if spots[0] != spots[1]:  # the point changed cells (most votes move it within one)
            for spot, step in zip(spots, (-1, 1), strict=True):
                if spot is not None:
                    self._counts.setdefault(spot[0], Counter())[spot[1]] += step
                    lines.add(spot[0])
        split = self._split()
        assert split is not None and before_split is not None  # the scale is the same
        if split[1] != before_split[1]:  # the vertical axis moved: every line changed
            self.refresh()
            return
        if split[0] != before_split[0]:  # the horizontal axis moved
            lines |= {before_split[0], split[0]}
        self._refresh_lines(lines)

    def select(self, feature: str | None) -> None:
        scale = self._current_scale()
        lines = set()
        for f in (self.selected, feature):
            point = self.points.get(f) if f else None
            if scale is not None and point is not None:
                lines.add(scale.spot(point.cost, point.score)[0])
        self.selected = feature
        self._refresh_lines(lines)

    def _refresh_lines(self, lines: Iterable[int]) -> None:
        for y in lines:
            self.refresh(Region(0, y, self.size.width, 1))

    # -- geometry -------------------------------------------------------------------------

    def _current_scale(self) -> Scale | None:
        width, height = self.size.width, self.size.height - 1  # the last line names the axes
        if width < 12 or height < 4 or not self._scores:
            return None
        low, high = self._scores[0], self._scores[-1]
        if self.score_range is not None:
            low, high = min(low, self.score_range[0]), max(high, self.score_range[1])
        return Scale(width, height, (self._costs[0], self._costs[-1]), (low, high))

    def _split(self) -> tuple[int, int] | None:
        """(line, column) where the medians split the chart."""
        scale = self._current_scale()
        if scale is None:
            return None
        return scale.spot(_median(self._costs), _median(self._scores))

    def _counted(self, scale: Scale) -> dict[int, Counter[int]]:
        if self._scale != scale:
            self._counts = {}
            for point in self.points.values():
                y, x = scale.spot(point.cost, point.score)
                self._counts.setdefault(y, Counter())[x] += 1
            self._scale = scale
        return self._counts

    # -- drawing --------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.component_style(f"quadrant-chart--{name}")

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.base_style
        scale = self._current_scale()
        if y == self.size.height - 1 and scale is not None:
            text = f"→ {self.x_label}   ↑ score"
            return Strip([Segment(text, self._style("label"))]).adjust_cell_length(width, base)
        if scale is None:
            empty = not self.points and y == 0 and width >= 12 and self.size.height >= 5
            segments = [Segment(EMPTY, self._style("label"))] if empty else []
            return Strip(segments).adjust_cell_length(width, base)
        # Blanks take the points' style (a space shows no colour), so a line of points and
        # gaps is one segment: fewer colour codes for the terminal when a line is redrawn.
        point = self._style("point")
        cells: list[tuple[str, Style]] = [(" ", point)] * width
        split = self._split()
        assert split is not None
        split_y, split_x = split
        axis = self._style("axis")
        if y == split_y:
            cells = [("─", axis)] * width
            cells[split_x] = ("┼", axis)
        else:
            cells[split_x] = ("│", axis)
        self._corner_labels(cells, y, scale)
        for x, count in self._counted(scale).get(y, Counter()).items():
            if count > 0:
                cells[x] = ("•" if count == 1 else str(min(count, 9)), point)
        chosen = self.points.get(self.selected) if self.selected else None
        if chosen is not None:
            spot_y, spot_x = scale.spot(chosen.cost, chosen.score)
            if spot_y == y:
                cells[spot_x] = ("◉", self._style("selected"))
        return Strip([Segment(char, style) for char, style in cells]).simplify()

    def _corner_labels(self, cells: list[tuple[str, Style]], y: int, scale: Scale) -> None:
        width, height = scale.width, scale.height
        places = (
            (0, 0, False),
            (0, width, True),
            (height - 1, 0, False),
            (height - 1, width, True),
        )
        style = self._style("label")
        for label, (line, x, right) in zip(CORNERS, places, strict=True):
            if line != y:
                continue
            start = x - len(label) if right else x
            for i, char in enumerate(label):
                if 0 <= start + i < width:
                    cells[start + i] = (char, style)
