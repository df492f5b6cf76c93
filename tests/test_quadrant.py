"""The value-vs-effort chart moved one point at a time draws what a fresh chart draws."""

from __future__ import annotations

import random

import pytest
from textual.app import App, ComposeResult

from roadmap_tui.widgets.quadrant import Point, QuadrantChart


class Charts(App[None]):
    CSS = "QuadrantChart { height: 12; width: 50; }"

    def compose(self) -> ComposeResult:
        yield QuadrantChart(id="moved")
        yield QuadrantChart(id="fresh")


def lines(chart: QuadrantChart) -> list[str]:
    """The lines as the screen has them: through Textual's line cache, so a line that
    changed but was not refreshed shows stale here."""
    return [strip.text for strip in chart.render_lines(chart.size.region)]


@pytest.mark.parametrize("fixed", [None, (0.0, 100.0)])
async def test_moves_draw_the_same_as_a_fresh_chart(fixed: tuple[float, float] | None) -> None:
    rng = random.Random(7)
    points = {f"f{i}": Point(f"f{i}", rng.uniform(0, 100), rng.uniform(0, 100)) for i in range(30)}
    app = Charts()
    async with app.run_test(size=(60, 30)) as pilot:
        moved, fresh = (
            app.query_one("#moved", QuadrantChart),
            app.query_one("#fresh", QuadrantChart),
        )
        moved.set_points(points.values(), "f1", "TCO", score_range=fixed)
        await pilot.pause()
        moved_before = lines(moved)
        for step in range(200):
            feature = f"f{rng.randrange(30)}"
            cost = points[feature].cost if feature in points else rng.uniform(0, 100)
            score = None if rng.random() < 0.1 else rng.uniform(-20, 120)  # ranges change too
            if score is None:
                points.pop(feature, None)
            else:
                points[feature] = Point(feature, cost, score)
            moved.move(feature, cost, score)
            if step % 20 == 0:
                moved.select(feature)
            fresh.set_points(points.values(), moved.selected, "TCO", score_range=fixed)
            await pilot.pause()
            assert lines(moved) == lines(fresh), step
        assert lines(moved) != moved_before


async def test_an_empty_chart_says_so() -> None:
    app = Charts()
    async with app.run_test(size=(60, 30)) as pilot:
        chart = app.query_one("#moved", QuadrantChart)
        chart.set_points([], None, "TCO")
        await pilot.pause()
        assert lines(chart)[0].startswith("No complete feature to place yet.")
        chart.move("a", 10.0, 50.0)
        await pilot.pause()
        assert "◉" not in "".join(lines(chart)) and "•" in "".join(lines(chart))


async def test_scores_as_far_apart_as_floats_go_are_drawn_at_the_edges() -> None:
    # a RICE score can be any finite float (SPEC section 2): the range of -1.8e308 to 1.8e308
    # overflowed to inf, and the drawing crashed on NaN (issue 22)
    top = 1.7976931348623157e308
    app = Charts()
    async with app.run_test(size=(60, 30)) as pilot:
        chart = app.query_one("#moved", QuadrantChart)
        points = [Point("a", 0.0, top), Point("b", 1e15, -top), Point("c", 1e15, top)]
        chart.set_points(points, "a", "TCO")
        await pilot.pause()
        drawn = lines(chart)
        assert drawn[0].startswith("◉") and drawn[0].rstrip().endswith("•")
        assert drawn[10].rstrip().endswith("•")
