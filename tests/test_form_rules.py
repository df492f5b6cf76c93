"""Issue 20: forms derive ids, edit needs, say what is wrong in the app's words, never lose
typing to ctrl+q or to keys typed in a burst, and the delete dialog fits a long title."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual import events
from textual.app import App
from textual.geometry import Region
from textual.widgets import Button, Input

import roadmap_tui.textual_fixes  # noqa: F401 - the app's patches, as the app applies them
from roadmap_tui.app import RoadmapApp
from roadmap_tui.ids import slug
from roadmap_tui.models import Capability, Decision, Plan, WorkspaceInfo
from roadmap_tui.screens.capability_form import capability_form
from roadmap_tui.screens.confirm_delete import ConfirmDelete
from roadmap_tui.screens.criterion_form import criterion_form
from roadmap_tui.screens.decision_form import decision_form
from roadmap_tui.screens.feature_form import feature_form
from roadmap_tui.screens.policy_form import policy_form
from roadmap_tui.screens.risk_form import RiskForm
from roadmap_tui.screens.transfer import ImportScreen
from roadmap_tui.widgets.form import ConfirmDiscard, RecordForm
from roadmap_tui.widgets.form_fields import FormField
from roadmap_tui.workspace import Workspace
from support import ACTOR, app_for, make_file
from test_forms import FormApp, Saves, field, put, screen_text, type_into

CAPABILITIES = [Capability(id="feature-store", name="Feature store"),
                Capability(id="serving", name="Online serving")]  # fmt: skip
EMPTY_PLAN = Plan(workspace=WorkspaceInfo(name="W"), capabilities=CAPABILITIES)


def new_forms(saves: Saves, taken: dict[str, object]) -> dict[str, RecordForm]:
    """A "new" form of every kind, each told that the ids in `taken` are stored."""
    current = taken.get
    return {
        "feature": feature_form(None, saves, current=current, capabilities=CAPABILITIES),
        "capability": capability_form(None, saves, current=current),
        "criterion": criterion_form(None, saves, current=current),
        "risk": RiskForm(None, saves, currency="EUR", features={}, capabilities={},
                         prefill={"likelihood": 3, "impact": 2}, current=current),
        "policy": policy_form(None, saves, capabilities=CAPABILITIES, current=current),
        "decision": decision_form(None, saves, EMPTY_PLAN, current=current,
                                  defaults={"date": dt.date(2027, 1, 5), "outcome": "approved"}),
    }  # fmt: skip


def source_of(form: RecordForm) -> str:
    return "title" if any(f.name == "title" for f in form.fields) else "name"


# -- ids are derived, never demanded -----------------------------------------------------------


@pytest.mark.parametrize("kind", ["feature", "capability", "criterion", "risk", "policy",
                                  "decision"])  # fmt: skip
async def test_every_new_form_starts_at_the_title_and_derives_the_id_past_taken_ones(
    kind: str,
) -> None:
    saves = Saves()
    form = new_forms(saves, {"demand-forecast": object()})[kind]
    source = source_of(form)
    app = FormApp(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        names = [f.spec.name for f in form.query(FormField)]
        assert names[:2] == [source, "id"], "the title first, the id after it"
        assert app.screen.focused is field(app, source).query_one(".field-input")
        await pilot.press(*"Démand Forecast!")
        assert field(app, "id").raw == "demand-forecast-2"  # followed as typed, past the taken
        await pilot.press("ctrl+s")
        await pilot.pause()
    [record] = saves.records
    assert record.id == "demand-forecast-2"  # type: ignore[attr-defined]


async def test_an_id_edited_by_hand_stops_following_and_an_empty_one_is_derived_on_save() -> None:
    saves = Saves()
    app = FormApp(feature_form(None, saves))
    async with app.run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "title", "Demand")
        await type_into(pilot, "id", "mine")
        await type_into(pilot, "title", "Other title")
        assert field(app, "id").raw == "mine"
        await put(pilot, "id", "")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [r.id for r in saves.records] == ["other-title"]  # type: ignore[attr-defined]


async def test_superseding_a_decision_derives_the_new_decisions_id(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        chosen = app.screen._selected()  # type: ignore[attr-defined]
        await pilot.press("U")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        new_id = field(app, "id").raw
        assert new_id == slug(chosen.title, "decision") != chosen.id  # made from its title
        assert app.workspace.get("decisions", str(new_id)) is None
        await pilot.press("ctrl+s")
        await pilot.pause()
        stored = app.workspace.get("decisions", str(new_id))
    assert isinstance(stored, Decision) and stored.supersedes == chosen.id


# -- needs -------------------------------------------------------------------------------------


async def test_needs_are_edited_in_the_feature_form_and_checked_against_capabilities() -> None:
    saves = Saves()
    app = FormApp(feature_form(None, saves, capabilities=CAPABILITIES))
    async with app.run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "title", "Demand")
        await type_into(pilot, "needs", "feature-store 3, fs 2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert field(app, "needs").error == (
            "no capability 'fs'; there are: feature-store, serving"
        )
        assert saves.records == []
        await type_into(pilot, "needs", "feature-store 3, serving 2")
        await pilot.press("ctrl+s")
        await pilot.pause()
    [record] = saves.records
    assert [(n.capability, n.required_maturity) for n in record.needs] == [  # type: ignore[attr-defined]
        ("feature-store", 3),
        ("serving", 2),
    ]


# -- messages in the app's words (bug 10) ------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "typed", "message"),
    [
        ("risk", "likelihood", "lots", "must be a whole number from 1 to 5"),
        ("risk", "impact", "9", "must be a whole number from 1 to 5"),
        ("risk", "exposure", "-1", "must be 0 or more"),
        ("decision", "date", "", "must be a date like 2027-03-31"),
        ("decision", "date", "soon", "must be a date like 2027-03-31"),
        ("policy", "review_by", "soon", "must be a date like 2027-03-31 (or be empty)"),
        ("criterion", "weight", "-2", "must be 0 or more"),
        ("criterion", "weight", "2e6", "must be at most 1,000,000"),  # SPEC section 1, Bounds
        ("criterion", "min", "-1e308", "must be -1,000,000,000 or more"),
        ("criterion", "max", "1e10", "must be at most 1,000,000,000"),
        ("risk", "exposure", "1.7e308", "must be at most 1,000,000,000,000,000"),
        ("capability", "maturity", "x", "must be a whole number from 0 to 4"),
    ],
)
async def test_messages_fit_the_field(kind: str, name: str, typed: str, message: str) -> None:
    saves = Saves()
    form = new_forms(saves, {})[kind]
    app = FormApp(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await put(pilot, source_of(form), "Something")
        await type_into(pilot, name, typed)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert field(app, name).error == message
        assert "Input should" not in screen_text(app)
    assert saves.records == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "Enter a file path."), ("/tmp", "/tmp is a folder: enter a file path.")],
)
async def test_an_import_path_that_names_no_file_says_so(typed: str, message: str) -> None:
    app = FormApp(ImportScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#import-path", Input).value = typed
        await pilot.click("#preview")
        await pilot.pause()
        assert message in screen_text(app)
        assert "cannot read" not in screen_text(app)


# -- ctrl+q never loses a form (bug 8) ---------------------------------------------------------


def empty_app(tmp_path: Path) -> RoadmapApp:
    path = tmp_path / "empty.db"
    make_file(path, Plan(workspace=WorkspaceInfo(name="W")))
    return app_for(path)


async def test_ctrl_q_asks_before_losing_an_edited_form(tmp_path: Path) -> None:
    app = empty_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        await pilot.press(*"Half typed", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        assert "Discard your changes and quit?" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and app.screen is form
        assert field(app, "title").raw == "Half typed"
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_q_asks_for_a_form_left_open_on_another_screen(tmp_path: Path) -> None:
    app = empty_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "n")
        await pilot.pause()
        await pilot.press(*"Half typed")
        app.action_go("overview")  # as the palette can, with the form open on the Map
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ConfirmDiscard)


async def test_ctrl_q_on_an_untouched_form_quits_at_once(tmp_path: Path) -> None:
    app = empty_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "n")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


# -- a long title in the delete dialog (bug 11) ------------------------------------------------


@pytest.mark.parametrize("length", [200, 5_000])  # 5,000: a file stored before the bound
async def test_the_delete_dialog_shortens_a_long_title_and_keeps_its_buttons(length: int) -> None:
    title = ("A long title " * 500)[:length]
    app = FormApp(ConfirmDelete("feature", "x", title, {"scores": ["x/a/"]}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = Region(0, 0, 80, 24)
        for button in app.screen.query(Button):
            assert screen.contains_region(button.region), button.id
        assert "A long title A long" in screen_text(app) and "…" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
    assert app.results == [True]


# -- keys typed in one burst (bug 14) ----------------------------------------------------------


def burst(app: App, keys: str) -> None:
    """Keys arriving together, as over SSH: all queued before the app reads the first."""
    for key in keys.split(" "):
        character = {"tab": "\t", "enter": "\r", "space": " "}.get(key, key)
        app.post_message(events.Key(key, character if len(character) == 1 else None))


async def test_a_form_typed_in_one_burst_puts_each_key_in_its_field() -> None:
    saves = Saves()
    app = FormApp(feature_form(None, saves))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "D e m o tab tab O k enter")
        await pilot.pause()
        await pilot.pause()
        assert field(app, "title").raw == "Demo" and field(app, "id").raw == "demo"
        assert "Ok" in str(field(app, "description").raw)


async def test_a_pasted_title_keeps_every_line_joined_by_spaces() -> None:
    # Input keeps a paste's first line alone: "PII leak in" was saved, silently.
    saves = Saves()
    app = FormApp(feature_form(None, saves))
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.focused.post_message(events.Paste("PII leak in\r\n  feature store logs\n"))
        await pilot.pause()
        assert field(app, "title").raw == "PII leak in feature store logs"
        assert field(app, "id").raw == "pii-leak-in-feature-store-logs"


async def test_ticked_boxes_show_without_colour(sample_db: Path) -> None:
    # Textual's X is drawn in both states, told apart by colour alone (NO_COLOR, projectors).
    with Workspace.open(sample_db, actor=ACTOR) as workspace:
        plan = workspace.plan()
    saves = Saves()
    defaults = {"features": [plan.features[0].id]}
    app = FormApp(decision_form(None, saves, plan, defaults=defaults))
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        features = {f.title[:20]: f.id for f in plan.features}
        boxes = {
            title: next(line for line in lines if title in line).split("▌")[0][-1]
            for title in features
            if any(title in line for line in lines)
        }
        assert boxes[plan.features[0].title[:20]] == "✓"
        assert set(boxes.values()) == {"✓", " "} and "X" not in boxes.values()
