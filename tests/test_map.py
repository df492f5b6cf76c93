"""The Map screen: needs and maturity edited in the grid, saved at once, gaps and leverage live."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select

from roadmap_tui import scoring
from roadmap_tui.app import RoadmapApp
from roadmap_tui.models import Capability, Feature, Need, Plan, WorkspaceInfo
from roadmap_tui.widgets.readiness_grid import ReadinessGrid
from roadmap_tui.workspace import Workspace
from support import ACTOR, app_for, fixed_clock, make_file, make_sample, screen_text, stored


def small_workspace(folder: Path, features: int = 2) -> Path:
    """fs (maturity 1, 100 per level) and serving (maturity 3); features f0.. need nothing."""
    path = folder / "small.db"
    plan = Plan(
        workspace=WorkspaceInfo(name="Small"),
        capabilities=[
            Capability(id="fs", name="Feature store", maturity=1, upgrade_cost_per_level=100),
            Capability(id="serving", name="Serving", maturity=3, upgrade_cost_per_level=50),
        ],
        features=[
            Feature(id=f"f{i:05d}", title=f"Feature {i}", expected_uplift=1000 * (i + 1))
            for i in range(features)
        ],
    )
    make_file(path, plan)
    return path


async def open_map(app: RoadmapApp, pilot) -> ReadinessGrid:
    await pilot.press("m")
    await pilot.pause()
    grid = app.screen.query_one(ReadinessGrid)
    assert app.screen.focused is grid
    return grid


async def test_a_digit_sets_the_need_and_leverage_follows(tmp_path: Path) -> None:
    path = small_workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_map(app, pilot)
        assert grid.current == ("f00000", "fs")
        await pilot.press("3")  # f0 needs the feature store at 3; it is at 1
        await pilot.pause()
        assert stored(path).features[0].needs == [Need(capability="fs", required_maturity=3)]
        lev = app.state.evaluation.capabilities["fs"]
        assert (lev.blocked_features, lev.unlocked_value, lev.levels_needed) == (1, 1000, 2)
        assert lev.cost_to_close == 200 and lev.leverage == 5.0  # 1000 / 200
        table = app.screen.query_one("#map-leverage", DataTable)
        assert [c.plain.strip() for c in table.get_row("fs")] == [
            "Feature sto…",
            "1",
            "$1k",
            "×5.0",
        ]
        assert "✗ blocked by fs (gap 2)" in str(app.screen.query_one("#map-detail").content)


async def test_space_toggles_a_need_and_x_clears_it(tmp_path: Path) -> None:
    path = small_workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_map(app, pilot)
        await pilot.press("right", "space")  # serving, at maturity 3: the new need asks for 3
        await pilot.pause()
        assert stored(path).features[0].needs == [Need(capability="serving", required_maturity=3)]
        assert not app.state.evaluation.features["f00000"].readiness.blocked
        await pilot.press("space")
        await pilot.pause()
        assert stored(path).features[0].needs == []
        await pilot.press("2", "x")
        await pilot.pause()
        assert stored(path).features[0].needs == []


async def test_a_toggle_on_a_feature_another_session_changed_merges_or_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = small_workspace(tmp_path)
    app = app_for(path)
    monkeypatch.setattr(app, "_poll", lambda: None)  # the other's change is not seen first

    def elsewhere(**update: object) -> None:
        with Workspace.open(path, actor="other") as other:
            read = other.get("features", "f00000")
            other.save(read.model_copy(update=update), base=read)

    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_map(app, pilot)
        elsewhere(title="Renamed elsewhere")
        await pilot.press("right", "space")  # needs serving, on the record as the map read it
        await pilot.pause()
        feature = stored(path).features[0]
        assert feature.title == "Renamed elsewhere", "their change stays"
        assert feature.needs == [Need(capability="serving", required_maturity=3)]
        elsewhere(needs=[Need(capability="fs", required_maturity=2)])
        await pilot.press("space")  # both changed the needs: refused, said, nothing written
        await pilot.pause()
        assert stored(path).features[0].needs == [Need(capability="fs", required_maturity=2)]
        (told,) = [n.message for n in app._notifications if n.title == "Not saved"]
        assert told.startswith("cannot save feature 'f00000': another session changed needs")


async def test_space_on_a_capability_at_maturity_0_needs_it_without_a_gap(tmp_path: Path) -> None:
    """The README's rule: a new need starts at the capability's maturity, no gap, even at 0
    (it asked for 1, so in a new workspace the first need blocked its feature)."""
    path = small_workspace(tmp_path)
    with Workspace.open(path, actor=ACTOR, clock=fixed_clock) as workspace:
        workspace.save(Capability(id="drift", name="Drift monitoring"), base=None)  # maturity 0
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_map(app, pilot)  # the columns by category, then id: drift, fs, serving
        await pilot.press("space")
        await pilot.pause()
        assert stored(path).features[0].needs == [Need(capability="drift", required_maturity=0)]
        assert not app.state.evaluation.features["f00000"].readiness.blocked


async def test_maturity_keys_update_every_gap(tmp_path: Path) -> None:
    path = small_workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_map(app, pilot)
        await pilot.press("3", "down", "2")  # f0 needs fs 3, f1 needs fs 2; fs is at 1
        await pilot.pause()
        assert app.state.evaluation.capabilities["fs"].blocked_features == 2
        await pilot.press("plus")
        await pilot.pause()
        assert stored(path).capabilities[0].maturity == 2
        assert app.state.evaluation.capabilities["fs"].blocked_features == 1
        # the same from the leverage table
        table = app.screen.query_one("#map-leverage", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("fs"))
        await pilot.press("plus")
        await pilot.pause()
        assert stored(path).capabilities[0].maturity == 3
        assert app.state.evaluation.capabilities["fs"].blocked_features == 0
        await pilot.press("minus", "minus", "minus", "minus")
        await pilot.pause()
        assert stored(path).capabilities[0].maturity == 0  # never below 0


async def test_filters_narrow_the_rows(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await open_map(app, pilot)
        everything = len(grid.rows)
        await pilot.press("slash", *"forecast")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#map-text", Input)
        titles = [row.title for row in grid.rows]
        assert titles and len(titles) < everything
        assert all("forecast" in t.lower() or "forecast" in row.feature
                   for t, row in zip(titles, grid.rows, strict=True))  # fmt: skip
        await pilot.press("enter")
        assert app.screen.focused is grid
        app.screen.query_one("#map-text", Input).value = ""
        app.screen.query_one("#map-status", Select).value = "approved"
        await pilot.pause()
        approved = {f.id for f in app.state.plan.features if f.status == "approved"}
        assert {row.feature for row in grid.rows} == approved


async def test_the_grid_draws_only_the_visible_lines(tmp_path: Path) -> None:
    path = small_workspace(tmp_path, features=3000)
    app = app_for(path)
    drawn: list[int] = []
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_map(app, pilot)
        original = grid._row
        grid._row = lambda row, width: drawn.append(row) or original(row, width)
        grid.refresh()
        await pilot.press("pagedown")
        await pilot.pause()
        assert drawn and max(drawn) < 40 and len(set(drawn)) <= 2 * grid.size.height
        assert grid.cursor[1] == 10 and grid.current[0] == grid.rows[10].feature


async def test_palette_jump_puts_the_grid_cursor_on_the_feature(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"churn-winback")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "map"
        assert app.screen.query_one(ReadinessGrid).current[0] == "churn-winback"


def test_grid_needs_match_the_rules(tmp_path: Path) -> None:
    # The cells' glyphs follow SPEC's gap: 0 met, 1 short by one, 2+ short by two or more.
    from roadmap_tui.widgets.readiness_grid import GLYPHS

    plan = stored(small_workspace(tmp_path))
    feature = plan.features[0].model_copy(
        update={"needs": [Need(capability="fs", required_maturity=4)]}
    )
    readiness = scoring.readiness(feature, {"fs": 1})
    assert readiness.gap == 3 and GLYPHS[min(readiness.gap, 2)] == "✗"


def form_input(app: RoadmapApp, name: str) -> Input:
    from roadmap_tui.widgets.form_values import field_id

    return app.screen.query_one(f"#{field_id(name)}").query_one(".field-input", Input)


async def test_new_feature_from_the_map_is_saved_and_selected(tmp_path: Path) -> None:
    path = small_workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_map(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        form_input(app, "id").value = "churn"
        form_input(app, "title").value = "Churn model"
        form_input(app, "expected_uplift").value = "-5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "must be 0 or more" in str(
            app.screen.query_one("#field-expected_uplift").query_one(".field-error").content
        )
        assert [f.id for f in stored(path).features] == ["f00000", "f00001"]  # nothing saved
        form_input(app, "expected_uplift").value = "250000"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not None and app.current_mode == "map"
        churn = next(f for f in stored(path).features if f.id == "churn")
        assert churn.title == "Churn model" and churn.expected_uplift == 250_000
        assert grid.current[0] == "churn"


async def test_edit_capability_from_the_column_and_maturity_follows(tmp_path: Path) -> None:
    path = small_workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_map(app, pilot)
        await pilot.press("3")  # f0 needs fs at 3; fs is at 1
        await pilot.press("E")
        await pilot.pause()
        form_input(app, "maturity").value = "3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert stored(path).capabilities[0].maturity == 3
        assert not app.state.evaluation.features["f00000"].readiness.blocked
        assert grid.columns[0].maturity == 3


async def test_delete_asks_names_what_refers_and_cleans_up(tmp_path: Path) -> None:
    from roadmap_tui.screens.confirm_delete import ConfirmDelete

    path = small_workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_map(app, pilot)
        await pilot.press("3")  # f0 needs fs
        table = app.screen.query_one("#map-leverage", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("fs"))
        await pilot.press("X")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete)
        assert app.screen.references == {"features": ["f00000"]}
        await pilot.press("n")
        await pilot.pause()
        assert [c.id for c in stored(path).capabilities] == ["fs", "serving"]
        await pilot.press("X", "y")
        await pilot.pause()
        plan = stored(path)
        assert [c.id for c in plan.capabilities] == ["serving"]
        assert plan.features[0].needs == []  # the need went with the capability


async def test_a_feature_a_decision_names_cannot_be_deleted(sample_db: Path) -> None:
    from roadmap_tui.screens.confirm_delete import ConfirmDelete

    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await open_map(app, pilot)
        named = app.state.plan.decisions[0].features[0]
        grid.move_to(row=named)
        await pilot.press("X")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete) and app.screen.refused
        await pilot.press("y")  # refused: every key closes, nothing is deleted
        await pilot.pause()
        assert named in {f.id for f in stored(sample_db).features}


@pytest.mark.parametrize("where", ["no feature", "two features", "the sample"])
async def test_new_capability_from_the_map_is_saved_and_selected(tmp_path: Path, where) -> None:
    if where == "the sample":
        path = make_sample(tmp_path)
    else:
        path = small_workspace(tmp_path, 0 if where == "no feature" else 2)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_map(app, pilot)
        await pilot.press("N")
        await pilot.pause()
        form_input(app, "id").value = "registry"
        form_input(app, "name").value = "Model registry"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.current_mode == "map" and app.return_code is None  # no traceback, no exit
        assert "registry" in {c.id for c in stored(path).capabilities}
        table = app.screen.query_one("#map-leverage", DataTable)
        assert app.screen.focused is table
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == "registry"


async def test_the_numbers_read_right_one_level_a_money_column_no_negative_zero(
    tmp_path: Path,
) -> None:
    path = tmp_path / "numbers.db"
    plan = Plan(
        workspace=WorkspaceInfo(name="Numbers"),
        capabilities=[
            Capability(id="fs", name="Feature store", maturity=1, upgrade_cost_per_level=100),
            Capability(id="serving", name="Serving", maturity=0, upgrade_cost_per_level=1e15),
        ],
        features=[  # net value -1 on a TCO of 1e6: ROI -0.000001
            Feature(id="a", title="Alpha", expected_uplift=999_999, costs={"training": 1e6}),
            Feature(id="b", title="Beta", expected_uplift=96_000),
            Feature(id="c", title="Gamma", expected_uplift=250_000),
        ],
    )
    make_file(path, plan)
    app = app_for(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_map(app, pilot)
        await pilot.press("2", "down", "2", "down", "right", "4")  # fs short 1 level; serving 4
        await pilot.pause()
        column = str(app.screen.query_one("#map-column").content)
        assert "Serving · now 0/4 · 4 levels to close for $4,000T" in column
        await pilot.press("left")
        column = str(app.screen.query_one("#map-column").content)
        assert "1 level to close for $100" in column
        table = app.screen.query_one("#map-leverage", DataTable)
        unlocks = [c.plain.strip() for c in table.get_column_at(2)]
        assert sorted(unlocks) == ["$1.1M", "$250k"]  # one format in the column
        await pilot.press("up", "up")
        detail = str(app.screen.query_one("#map-detail").content)
        assert "ROI 0.00 " in detail and "-0.00" not in detail
        assert "uplift $1M · TCO $1M · net -$1" in detail


async def test_every_short_header_has_its_meaning_in_reach(tmp_path: Path) -> None:
    path = small_workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_map(app, pilot)
        text = screen_text(app)
        assert "blk blocked · lev. ×value/cost" in text  # the leverage table's legend
        assert "✓ met ▲ 1 short ✗ 2+ short" in text  # the cells'
        # the column code under the cursor, spelled out, with what its digit is
        assert "FS1 = Feature store · now 1/4" in text
        assert "Feature stor " not in text, "a name cut without an ellipsis"
        assert "Feature sto…" in text


async def test_a_leverage_of_zero_reads_zero_and_none_reads_a_dash(tmp_path: Path) -> None:
    path = small_workspace(tmp_path)  # fs 1 → 3 costs 200 and unblocks nothing: leverage 0
    with Workspace.open(path, actor=ACTOR) as workspace:
        feature = workspace.get("features", "f00000")
        workspace.save(feature.model_copy(update={"expected_uplift": 0, "needs": [
            Need(capability="fs", required_maturity=3)]}), base=feature)  # fmt: skip
    app = app_for(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_map(app, pilot)
        table = app.screen.query_one("#map-leverage", DataTable)
        leverage = {row.value: str(table.get_row(row)[-1]).strip() for row in table.rows}
        assert leverage == {"fs": "×0.0", "serving": "—"}
