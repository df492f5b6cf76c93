"""The Risks screen: heat map, register (sort, filters), business terms, totals, editor, delete."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from textual.widgets import DataTable, Input, Select, SelectionList, Static, TextArea

from roadmap_tui import risk
from roadmap_tui.app import RoadmapApp
from roadmap_tui.models import (
    Costs,
    Criterion,
    Feature,
    Plan,
    Risk,
    Score,
    WorkspaceInfo,
)
from roadmap_tui.screens.confirm_delete import ConfirmDelete
from roadmap_tui.screens.risk_form import MetricsField, RiskForm
from roadmap_tui.screens.risks import RisksScreen
from roadmap_tui.widgets.form_values import field_id
from roadmap_tui.widgets.heat_map import LETTERS, HeatMap
from support import app_for, make_file, screen_text, stored


def small_workspace(folder: Path, risks: list[Risk], features: list[Feature] = ()) -> Path:
    """A EUR workspace with one criterion, so every feature with a score is ranked."""
    features = list(features) or [
        Feature(id="web", title="Web shop recs", expected_uplift=300_000,
                costs=Costs(training=50_000)),
    ]  # fmt: skip
    path = folder / "small.db"
    plan = Plan(
        workspace=WorkspaceInfo(name="Small", currency="EUR"),
        features=features,
        criteria=[Criterion(id="value", name="Value")],
        scores=[Score(feature=f.id, criterion="value", value=4) for f in features],
        risks=risks,
    )
    make_file(path, plan)
    return path


async def open_risks(app: RoadmapApp, pilot) -> RisksScreen:
    await pilot.press("r")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, RisksScreen)
    assert screen.focused is screen.register
    return screen


def row_ids(screen: RisksScreen) -> list[str]:
    return [row.key.value for row in screen.register.ordered_rows]


def detail(screen: RisksScreen) -> str:
    return str(screen.query_one("#risk-detail", Static).content)


# -- the heat map --------------------------------------------------------------------------------


async def test_heat_map_counts_match_the_data(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        plan = app.state.plan
        expected = Counter((r.likelihood, r.impact) for r in plan.risks)
        heat = screen.heat_map
        assert sum(heat.counts.values()) == len(plan.risks) == 10
        for likelihood in range(1, 6):
            line = heat.render_line(1 + 5 - likelihood).text  # row 5 on top, under the header
            for impact in range(1, 6):
                count = expected[(likelihood, impact)]
                assert heat.count((likelihood, impact)) == count
                letter = LETTERS[risk.band(risk.severity(likelihood, impact))]
                assert (f"{letter}{count:>2}" if count else f"{letter} ·") in line
        # a cell by hand: promo-calendar-drift is 4 × 4 = 16, critical, alone there
        assert expected[(4, 4)] == 1 and heat.count((4, 4)) == 1
        assert "C 1" in heat.render_line(2).text
        legend = heat.render_line(6).text
        assert all(name in legend for name in risk.BANDS)


async def test_choosing_a_cell_filters_the_register(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        assert screen.heat_map.cursor == (4, 5)  # follows the selected risk (the most severe)
        await pilot.press("h")
        assert screen.focused is screen.heat_map
        await pilot.press("left", "enter")  # 4 × 4
        await pilot.pause()
        assert screen.heat_map.chosen == (4, 4)
        assert row_ids(screen) == ["promo-calendar-drift"]
        assert "cell 4×4" in str(screen.query_one("#risk-map-box").border_subtitle)
        # the map still counts the other cells, so another can be chosen
        assert screen.heat_map.count((2, 5)) == 2
        await pilot.press("down", "down", "right", "space")  # 2 × 5
        await pilot.pause()
        assert sorted(row_ids(screen)) == ["allergen-substitution-error",
                                           "loyalty-data-overexposure"]  # fmt: skip
        await pilot.press("space")  # the same cell again: no cell filter
        await pilot.pause()
        assert screen.heat_map.chosen is None and len(row_ids(screen)) == 10
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert screen.heat_map.chosen is None and len(row_ids(screen)) == 10


async def test_a_click_on_a_cell_chooses_it(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        heat = screen.heat_map
        x = heat._indent + heat._label_width + 3 * heat._cell_width + 1  # impact 4
        await pilot.click(HeatMap, offset=(x, 1 + 5 - 3))  # likelihood 3
        await pilot.pause()
        assert heat.chosen == (3, 4)
        assert row_ids(screen) == ["shrink-staff-surveillance"]


# -- the register ----------------------------------------------------------------------------------


async def test_sort_by_severity_then_by_expected_loss(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_risks(app, pilot)
        a = app.state.assessments
        by_severity = sorted(a, key=lambda rid: (-a[rid].severity, -a[rid].expected_loss, rid))
        assert row_ids(screen) == by_severity
        assert by_severity[:2] == ["pricing-discrimination", "promo-calendar-drift"]
        await pilot.press("S")
        await pilot.pause()
        by_loss = sorted(a, key=lambda rid: (-a[rid].expected_loss, -a[rid].severity, rid))
        assert row_ids(screen) == by_loss
        # 1,400,000 × 0.5 = 700,000 comes before 620,000 × 0.8 = 496,000
        assert by_loss[:3] == ["pricing-discrimination", "offers-consent-gap",
                               "promo-calendar-drift"]  # fmt: skip
        assert "by expected loss" in str(screen.register.border_title)
        await pilot.press("S")
        await pilot.pause()
        assert row_ids(screen) == by_severity


async def test_filters_by_band_status_category_feature_and_words(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        plan, a = app.state.plan, app.state.assessments
        await pilot.press("b")  # any band -> low
        await pilot.pause()
        assert set(row_ids(screen)) == {r.id for r in plan.risks if a[r.id].band == "low"}
        await pilot.press("b", "b")  # -> medium -> high
        await pilot.pause()
        high = {r.id for r in plan.risks if a[r.id].band == "high"}
        assert set(row_ids(screen)) == high and len(high) == 4
        # heat map counts follow the other filters
        assert sum(screen.heat_map.counts.values()) == 4
        screen.query_one("#risk-status", Select).value = "open"
        await pilot.pause()
        assert set(row_ids(screen)) == {
            r.id for r in plan.risks if a[r.id].band == "high" and r.status == "open"
        }
        await pilot.press("escape")  # from the register: clears every filter
        await pilot.pause()
        assert len(row_ids(screen)) == 10
        await pilot.press("c", "c")  # any category -> model-risk -> data-bias
        await pilot.pause()
        assert row_ids(screen) == ["markdown-store-bias"]
        await pilot.press("escape")
        screen.query_one("#risk-feature", Select).value = "store-sku-daily-forecast"
        await pilot.pause()
        assert row_ids(screen) == ["promo-calendar-drift"]
        screen.query_one("#risk-feature", Select).value = "-"  # no feature: the platform's
        await pilot.pause()
        assert set(row_ids(screen)) == {r.id for r in plan.risks if not r.feature}
        await pilot.press("escape", "slash", *"easter")
        await pilot.pause()
        assert screen.focused is screen.query_one("#risk-text", Input)
        assert row_ids(screen) == ["promo-calendar-drift"]  # found in its business impact
        await pilot.press("enter")
        assert screen.focused is screen.register
        assert "filtered by words" in str(screen.register.border_subtitle)


async def test_palette_jump_clears_filters_that_hide_the_risk(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        await pilot.press("b")  # low only
        await pilot.pause()
        assert "promo-calendar-drift" not in row_ids(screen)
        app.jump("risks", "promo-calendar-drift")
        await pilot.pause()
        assert len(row_ids(screen)) == 10
        table = screen.register
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == (
            "promo-calendar-drift"
        )


async def test_a_jump_to_a_risk_the_filter_shows_but_the_register_does_not_yet(
    sample_db: Path,
) -> None:
    """A filter edited but not drawn yet (its Changed message still queued: keys typed
    faster than the screen redraws, as the monkey types): a jump found the risk among
    the filter's risks, not in the register, and the app died with RowDoesNotExist."""
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        await pilot.press("slash", *"zzz", "enter")  # the register: empty
        await pilot.pause()
        assert row_ids(screen) == []
        with screen.prevent(Input.Changed):  # the filter cleared, the register not yet redrawn
            screen.query_one("#risk-text", Input).value = ""
        app.jump("risks", "markdown-store-bias")
        await pilot.pause()
        assert app.return_code is None, "the app died"
        table = screen.register
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == (
            "markdown-store-bias"
        )


# -- business terms ------------------------------------------------------------------------------


async def test_the_selected_risk_in_plain_words(tmp_path: Path) -> None:
    # likelihood 4 is 80 % a year; €250,000 an occurrence × 0.8 = €200,000 a year
    path = small_workspace(tmp_path, [
        Risk(id="churn-drift", title="Churn model drifts", category="drift", feature="web",
             likelihood=4, impact=3, exposure=250_000,
             affected_metrics=["conversion", "revenue"]),
    ])  # fmt: skip
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        text = detail(screen)
        assert (
            "Likely (about 80% a year): an occurrence would cost €250k; expected loss €200k a "
            "year; at stake: conversion, revenue." in text
        )
        assert "high 4×3=12" in text and "Feature: Web shop recs" in text
        assert "€200k" in screen_text(app)  # the register's expected loss


async def test_accept_fills_only_the_empty_fields(tmp_path: Path) -> None:
    path = small_workspace(tmp_path, [
        Risk(id="bias", title="Biased ranking", category="data-bias", likelihood=3, impact=4,
             exposure=80_000),
    ])  # fmt: skip
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        assert "Proposed for data-bias: customer-trust, regulatory" in detail(screen)
        await pilot.press("a")
        await pilot.pause()
        saved = stored(path).risks[0]
        assert saved.affected_metrics == ["customer-trust", "regulatory"]
        # 80,000 × 0.5 = 40,000
        assert saved.business_impact == (
            "Possible (about 50% a year): an occurrence would cost €80k; expected loss "
            "€40k a year; at stake: customer-trust, regulatory."
        )
        assert "Business impact: Possible" in detail(screen)
        await pilot.press("a")  # nothing left to fill: nothing changes
        await pilot.pause()
        assert stored(path).risks[0] == saved


# -- totals and the net-value flag ---------------------------------------------------------------


async def test_a_feature_whose_risks_cost_more_than_it_nets_is_flagged(tmp_path: Path) -> None:
    # net value 300,000 - 50,000 = 250,000; risks: 200,000 × 0.95 = 190,000 and
    # 150,000 × 0.5 = 75,000: 265,000 a year > 250,000. The closed one does not count.
    path = small_workspace(tmp_path, [
        Risk(id="outage", title="Serving outage", category="availability", feature="web",
             likelihood=5, impact=3, exposure=200_000, affected_metrics=["revenue"]),
        Risk(id="bias", title="Biased ranking", category="data-bias", feature="web",
             likelihood=3, impact=3, exposure=150_000,
             affected_metrics=["customer-trust", "revenue"]),
        Risk(id="old", title="Old risk", feature="web", likelihood=5, impact=5,
             exposure=9_000_000, status="closed"),
    ])  # fmt: skip
    app = app_for(path)
    async with app.run_test(size=(120, 40)) as pilot:
        first = str(app.screen.query_one("#ranked").render()).splitlines()[0]
        assert "⚠" in first and "Web shop recs" in first
        assert "⚠ 1 feature" in str(app.screen.query_one("#risks").border_subtitle)
        screen = await open_risks(app, pilot)
        totals = screen.query_one("#risk-totals", DataTable)
        assert [c.plain.strip() for c in totals.get_row("feature:web")] == [
            "⚠ Web shop recs", "€265k", "€250k",
        ]  # fmt: skip
        assert totals.get_row("all")[1].plain.strip() == "€265k"
        assert totals.get_row("metric:revenue")[1].plain.strip() == "€265k"
        assert totals.get_row("metric:customer-trust")[1].plain.strip() == "€75k"
        assert (
            "⚠ Web shop recs: its risks' expected loss €265k a year exceeds its net value €250k"
            in detail(screen)
        )
        assert "⚠ web" in screen_text(app)  # the register's "linked to" column
        # closing the serving risk brings the loss under the net value: no flag anywhere
        outage = next(r for r in app.state.plan.risks if r.id == "outage")
        closed = outage.model_copy(update={"status": "closed"})
        app.write(lambda ws: ws.save(closed, base=outage))
        await pilot.pause()
        assert "⚠" not in "".join(c.plain for c in totals.get_row("feature:web"))
        await pilot.press("o")
        await pilot.pause()
        assert "⚠" not in str(app.screen.query_one("#ranked").render()).splitlines()[0]
        assert not app.screen.query_one("#risks").border_subtitle


async def test_t_shows_the_totals_in_place_of_the_detail_when_narrow(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        box, totals = screen.query_one("#risk-detail-box"), screen.query_one("#risk-totals-box")
        assert box.display and not totals.display
        await pilot.press("t")
        await pilot.pause()
        assert totals.display and not box.display
        # enter on a feature's total shows that feature's risks
        table = screen.query_one("#risk-totals", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("feature:personalised-weekly-offers"))
        await pilot.press("enter")
        await pilot.pause()
        assert row_ids(screen) == ["offers-consent-gap"]
        assert screen.focused is screen.register
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert totals.display and box.display


# -- the editor ----------------------------------------------------------------------------------


def field_input(app: RoadmapApp, name: str):
    return app.screen.query_one(f"#{field_id(name)}").query_one(".field-input")


def picked(app: RoadmapApp) -> str:
    """The metrics ticked in the editor, as the field reads them (BusinessMetric's order)."""
    return app.screen.query_one(f"#{field_id('affected_metrics')}", MetricsField).raw


async def test_new_risk_takes_the_category_proposal_and_is_saved(tmp_path: Path) -> None:
    path = small_workspace(tmp_path, [])
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RiskForm)
        metrics = field_input(app, "affected_metrics")
        assert isinstance(metrics, SelectionList) and picked(app) == ""  # "other": none
        field_input(app, "category").value = "drift"
        await pilot.pause()
        assert picked(app) == "conversion, revenue"  # follows the category
        field_input(app, "category").value = "data-bias"
        await pilot.pause()
        assert picked(app) == "customer-trust, regulatory"
        field_input(app, "category").value = "drift"
        field_input(app, "id").value = "churn-drift"
        field_input(app, "title").value = "Churn model drifts"
        field_input(app, "feature").value = "web"
        field_input(app, "likelihood").value = "4"
        field_input(app, "impact").value = "3"
        field_input(app, "exposure").value = "250000"
        await pilot.pause()
        proposal = str(form.query_one("#risk-proposal", Static).content)
        sentence = (
            "Likely (about 80% a year): an occurrence would cost €250k; expected loss €200k a "
            "year; at stake: conversion, revenue."
        )
        assert "Proposed for drift: conversion, revenue" in proposal and sentence in proposal
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert field_input(app, "business_impact").text == sentence
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        saved = stored(path).risks[0]
        assert saved.model_dump() == Risk(
            id="churn-drift", title="Churn model drifts", category="drift", feature="web",
            likelihood=4, impact=3, exposure=250_000, affected_metrics=["conversion", "revenue"],
            business_impact=sentence,
        ).model_dump()  # fmt: skip
        assert row_ids(screen) == ["churn-drift"]


async def test_new_risk_starts_from_the_chosen_cell_and_filters(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        screen.heat_map.choose((2, 4))
        screen.query_one("#risk-category", Select).value = "privacy"
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert field_input(app, "likelihood").value == "2"
        assert field_input(app, "impact").value == "4"
        assert field_input(app, "category").value == "privacy"
        assert picked(app) == "customer-trust, regulatory, brand"


async def test_a_metric_picked_by_hand_stops_following_the_category(tmp_path: Path) -> None:
    path = small_workspace(tmp_path, [])
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_risks(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        metrics = field_input(app, "affected_metrics")
        metrics.select("cost")
        await pilot.pause()
        field_input(app, "category").value = "drift"
        await pilot.pause()
        assert picked(app) == "cost"


async def test_a_likelihood_of_6_is_refused_and_nothing_is_saved(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        before = stored(sample_db).risks
        first = row_ids(screen)[0]
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RiskForm) and form.initial.id == first
        field_input(app, "likelihood").value = "6"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        error = str(form.query_one(f"#{field_id('likelihood')}").query_one(".field-error").content)
        assert "must be a whole number from 1 to 5" in error
        assert "needs a likelihood of 1 to 5" in str(form.query_one("#risk-proposal").content)
        assert stored(sample_db).risks == before
        field_input(app, "likelihood").value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert next(r for r in stored(sample_db).risks if r.id == first).likelihood == 2


async def test_editing_keeps_untouched_fields_and_links_a_capability(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        app.jump("risks", "markdown-store-bias")
        await pilot.pause()
        before = next(r for r in stored(sample_db).risks if r.id == "markdown-store-bias")
        await pilot.press("e")
        await pilot.pause()
        link = field_input(app, "capability")
        assert isinstance(link, Select) and link.value == ""
        link.value = "feature-store"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        after = next(r for r in stored(sample_db).risks if r.id == "markdown-store-bias")
        assert after == before.model_copy(update={"capability": "feature-store"})
        assert after.affected_metrics == ["brand", "customer-trust"]  # order kept


async def test_ctrl_r_replaces_metrics_and_writes_the_sentence(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_risks(app, pilot)
        app.jump("risks", "promo-calendar-drift")  # drift, 4 × 4, €620k; revenue, cost, retention
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert picked(app) == "conversion, revenue"
        impact = field_input(app, "business_impact")
        assert isinstance(impact, TextArea)
        # 620,000 × 0.8 = 496,000
        assert impact.text == (
            "Likely (about 80% a year): an occurrence would cost €620k; expected loss €496k a "
            "year; at stake: conversion, revenue."
        )
        await pilot.press("escape")  # edited: asks first
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, RisksScreen)
        drift = next(r for r in stored(sample_db).risks if r.id == "promo-calendar-drift")
        assert drift.affected_metrics == ["revenue", "cost", "retention"]  # nothing saved


# -- delete ----------------------------------------------------------------------------------------


async def test_delete_asks_first(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        app.jump("risks", "weather-feed-lapse")
        await pilot.pause()
        await pilot.press("X")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete) and not app.screen.refused
        await pilot.press("n")
        await pilot.pause()
        assert "weather-feed-lapse" in {r.id for r in stored(sample_db).risks}
        await pilot.press("X", "y")
        await pilot.pause()
        assert app.screen is screen
        assert "weather-feed-lapse" not in {r.id for r in stored(sample_db).risks}
        assert "weather-feed-lapse" not in row_ids(screen) and len(row_ids(screen)) == 9


async def test_a_risk_a_decision_names_cannot_be_deleted(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_risks(app, pilot)
        named = next(rid for d in app.state.plan.decisions for rid in d.risks)
        app.jump("risks", named)
        await pilot.pause()
        await pilot.press("X")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete) and app.screen.refused
        await pilot.press("y")
        await pilot.pause()
        assert named in {r.id for r in stored(sample_db).risks}


async def test_help_lists_the_screen_keys(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_risks(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        for what in ("New: Add a risk", "Edit", "Delete", "Accept", "Filter", "Band", "Sort",
                     "Heat map", "Clear filters"):  # fmt: skip
            assert what in text, what


async def test_a_decision_recorded_here_is_about_the_selected_risk(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        app.jump("risks", "feature-store-outage")
        await pilot.pause()
        assert screen.selection() == {"risks": ["feature-store-outage"],
                                      "capabilities": ["feature-store"]}  # fmt: skip
        app.jump("risks", "promo-calendar-drift")
        await pilot.pause()
        assert screen.selection() == {"risks": ["promo-calendar-drift"],
                                      "features": ["store-sku-daily-forecast"]}  # fmt: skip
