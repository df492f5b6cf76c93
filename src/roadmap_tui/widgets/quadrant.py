"""Value versus effort: complete features placed by score (up) and TCO (right).

The chart is split at the medians into the four quadrants a room talks about:
quick wins (high score, low cost), big bets, fill-ins and money pits. The
selected feature is drawn larger and in the accent colour; when two features
share a character cell, the cell shows how many.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget


@dataclass(frozen=True)
class Point:
    feature: str
    cost: float  # x: TCO
    score: float  # y


CORNERS = ("quick wins", "big bets", "fill-ins", "money pits")  # TL, TR, BL, BR


class QuadrantChart(Widget):
    DEFAULT_CSS = """
    QuadrantChart { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.points: Sequence[Point] = ()
        self.selected: str | None = None
        self.x_label = "TCO"

    def set_points(self, points: Sequence[Point], selected: str | None, x_label: str) -> None:
        self.points, self.selected, self.x_label = points, selected, x_label
        self.refresh()

    def render(self) -> Content:
        width, height = self.size.width, self.size.height - 1  # the last line names the axes
        if width < 12 or height < 4:
            return Content("")
        if not self.points:
            return Content.styled("No complete feature to place yet.", "italic $text-muted")
        costs = [p.cost for p in self.points]
        scores = [p.score for p in self.points]

        def column(cost: float) -> int:
            low, high = min(costs), max(costs)
            return 0 if high == low else round((cost - low) / (high - low) * (width - 1))

        def line(score: float) -> int:
            low, high = min(scores), max(scores)
            return (
                height - 1 if high == low else round((high - score) / (high - low) * (height - 1))
            )

        split_x, split_y = column(statistics.median(costs)), line(statistics.median(scores))
        grid = [[(" ", "") for _ in range(width)] for _ in range(height)]
        for y in range(height):
            grid[y][split_x] = ("│", "$foreground 25%")
        for x in range(width):
            grid[split_y][x] = ("┼" if x == split_x else "─", "$foreground 25%")
        self._corner_labels(grid, width, height)
        counts: dict[tuple[int, int], int] = {}
        for point in self.points:
            spot = (line(point.score), column(point.cost))
            counts[spot] = counts.get(spot, 0) + 1
        for (y, x), count in counts.items():
            grid[y][x] = ("•" if count == 1 else str(min(count, 9)), "$primary")
        for point in self.points:
            if point.feature == self.selected:
                grid[line(point.score)][column(point.cost)] = ("◉", "bold $accent")
        lines = [Content.assemble(*cells) for cells in grid]
        lines.append(Content.styled(f"→ {self.x_label}   ↑ score", "$text-muted"))
        return Content("\n").join(lines)

    @staticmethod
    def _corner_labels(grid: list[list[tuple[str, str]]], width: int, height: int) -> None:
        places = (
            (0, 0, False),
            (0, width, True),
            (height - 1, 0, False),
            (height - 1, width, True),
        )
        for label, (y, x, right) in zip(CORNERS, places, strict=True):
            start = x - len(label) if right else x
            for i, char in enumerate(label):
                if 0 <= start + i < width:
                    grid[y][start + i] = (char, "italic $text-muted")
