"""Recording a decision from any screen, and the decision log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import DataTable, Input

from roadmap_tui.models import Score
from roadmap_tui.scoring import economics
from roadmap_tui.widgets.form import RecordForm
from roadmap_tui.widgets.form_values import field_id
from roadmap_tui.widgets.score_matrix import ScoreMatrix
from roadmap_tui.workspace import Workspace
from support import MOMENT, app_for, screen_lines


def form_input(app, name: str) -> Input:
    return app.screen.query_one(f"#{field_id(name)}").query_one(".field-input", Input)


async def test_record_from_the_score_screen_captures_the_numbers_once(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        matrix = app.screen.query_one(ScoreMatrix)
        feature = matrix.current[0]
        expected = app.state.evaluation.features[feature]
        roi = economics(next(f for f in app.state.plan.features if f.id == feature)).roi
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, RecordForm)
        features = app.screen.query_one(f"#{field_id('features')}")
        assert features.raw == feature  # prefilled from the cursor, ticked in the checklist
        assert form_input(app, "date").value == MOMENT.date().isoformat()
        form_input(app, "id").value = "go-ahead"
        form_input(app, "title").value = "Go ahead"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm)
    with Workspace.open(sample_db, actor="reader") as ws:
        decision = ws.get("decisions", "go-ahead")
        assert decision.date == dt.date(2026, 11, 2) and decision.features == [feature]
        assert decision.basis.scoring_model == "weighted"
        assert decision.basis.weights == {c.id: c.weight for c in ws.criteria()}
        row = decision.snapshot[0]
        assert (row.score, row.rank, row.roi, row.readiness_gap) == (
            expected.score,
            expected.rank,
            roi,
            expected.readiness.gap,
        )
        # later votes move the numbers; the record keeps the ones it was taken on
        criterion = ws.criteria()[0]
        ws.set_score(Score(feature=feature, criterion=criterion.id, value=criterion.min))
        assert ws.get("decisions", "go-ahead").snapshot[0].score == expected.score


async def test_the_log_filters_and_shows_then_versus_now(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        table = app.screen.query_one("#decisions", DataTable)
        dates = [table.get_row_at(i)[0].plain for i in range(table.row_count)]
        assert dates == sorted(dates, reverse=True) and len(dates) == 5
        app.screen.query_one("#decision-outcome").value = "deferred"
        await pilot.pause()
        outcomes = {table.get_row_at(i)[1].plain for i in range(table.row_count)}
        assert outcomes == {"… deferred"}
        superseding = next(d for d in app.state.plan.decisions if d.supersedes)
        app.screen.select("decisions", superseding.supersedes)
        await pilot.pause()
        detail = str(app.screen.query_one("#decision-detail").content)
        assert f"superseded by {superseding.id}" in detail
        assert "Numbers then → now" in detail


async def test_supersede_prefills_the_link_and_the_subjects(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        table = app.screen.query_one("#decisions", DataTable)
        selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        await pilot.press("U")
        await pilot.pause()
        assert form_input(app, "supersedes").value == selected
        chosen = next(d for d in app.state.plan.decisions if d.id == selected)
        features = app.screen.query_one(f"#{field_id('features')}")
        assert features.raw == ", ".join(
            f.id for f in app.state.plan.features if f.id in chosen.features
        )


async def test_the_log_says_superseded_and_cuts_titles_with_an_ellipsis(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        lines = screen_lines(app)
        row = next(line for line in lines if "2026-07-09" in line)  # superseded in the sample
        assert "↷ superseded" in row and "Personali…" in row
        assert all(line.split("│")[1].rstrip().endswith("…") for line in lines if "2026-" in line)
