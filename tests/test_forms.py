"""Record forms and the delete dialog, driven by Pilot (widgets/form.py, screens/*_form.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.app import App
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

import roadmap_tui
from roadmap_tui.errors import WorkspaceError
from roadmap_tui.keys_in_order import KeysInOrder
from roadmap_tui.models import (
    Capability,
    Costs,
    Criterion,
    Feature,
    Need,
    Policy,
    PolicyCategory,
    choices,
)
from roadmap_tui.screens.capability_form import capability_form
from roadmap_tui.screens.confirm_delete import ConfirmDelete
from roadmap_tui.screens.feature_form import feature_form
from roadmap_tui.themes import DEFAULT_THEME, THEMES, VARIABLE_DEFAULTS
from roadmap_tui.widgets.form import ConfirmDiscard, RecordForm
from roadmap_tui.widgets.form_fields import FormField
from roadmap_tui.widgets.form_values import (
    DEFAULT,
    Field,
    ParseError,
    field_id,
    from_raw,
    model_default,
    to_raw,
)
from roadmap_tui.workspace import Workspace
from support import ACTOR, fixed_clock, screen_text, type_keys

STYLES = Path(roadmap_tui.__file__).parent / "styles"
HOSTILE = "Hq [@click=app.quit]quit[/] [b]x\x1b[2J\x1b]0;pwned\x07 end"


class FormApp(KeysInOrder, App[None]):
    """The app's stylesheets, themes and key handling around one modal; `results` collects
    what it returns."""

    CSS_PATH = [STYLES / "app.tcss", STYLES / "forms.tcss"]

    def __init__(self, modal: Screen) -> None:
        super().__init__()
        self.modal = modal
        self.results: list[object] = []

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return VARIABLE_DEFAULTS

    def on_mount(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = DEFAULT_THEME
        self.push_screen(self.modal, self.results.append)


class Saves:
    """An on_save that records what it got, and can fail like the workspace does."""

    def __init__(self, error: str | None = None) -> None:
        self.records: list[object] = []
        self.bases: list[object] = []  # what each save said its record was made from
        self.error = error

    def __call__(self, record: object, *, base: object) -> None:
        if self.error:
            raise WorkspaceError(self.error)
        self.records.append(record)
        self.bases.append(base)


def field(app: App, name: str) -> FormField:
    return app.screen.query_one(f"#{field_id(name)}", FormField)


async def type_into(pilot, name: str, text: str) -> None:
    """Focus a field (its text is selected on focus) and type over it, as a person would."""
    target = field(pilot.app, name)
    target.focus_input()
    await pilot.pause()
    widget = pilot.app.screen.focused
    if isinstance(widget, Input):
        widget.value = ""
    if text:
        await type_keys(pilot, *("enter" if ch == "\n" else ch for ch in text))
    await pilot.pause()


async def put(pilot, name: str, text: str) -> None:
    """Set a one-line field's text directly: quicker than typing, for the fields not under test."""
    field(pilot.app, name).query_one(".field-input", Input).value = text
    await pilot.pause()


async def fill_new_feature(pilot) -> None:
    await put(pilot, "id", "demand-sensing")
    await put(pilot, "title", "Demand sensing")


SAMPLE_FEATURE = Feature(
    id="demand-forecast",
    title="Demand forecast",
    expected_uplift=1_250_000,
    quarter="2027-Q1",
    costs=Costs(training=50_000, monitoring=2.5),
    needs=[Need(capability="feature-store", required_maturity=3)],
)


# -- saving ------------------------------------------------------------------------------------


async def test_a_new_feature_is_saved_with_typed_values() -> None:
    saves = Saves()
    app = FormApp(feature_form(None, saves))
    async with app.run_test(size=(80, 24)) as pilot:
        await fill_new_feature(pilot)
        await type_into(pilot, "description", "Line one\nline two")
        await type_into(pilot, "expected_uplift", "1,250,000")
        await type_into(pilot, "quarter", "2027-Q3")
        await type_into(pilot, "costs.training", "45000.5")
        await type_into(pilot, "costs.incident_response", "1e4")
        field(app, "value_point").focus_input()
        await pilot.press("enter", "up", "up", "enter")  # other -> automation -> ranking
        await pilot.press("ctrl+s")
        await pilot.pause()
    [record] = saves.records
    assert app.results == [record]
    assert isinstance(record, Feature)
    assert record.id == "demand-sensing" and record.title == "Demand sensing"
    assert record.description == "Line one\nline two"
    assert record.value_point == "ranking"
    assert record.expected_uplift == 1_250_000.0
    assert record.quarter == "2027-Q3"
    assert record.costs == Costs(training=45000.5, incident_response=10_000)
    assert record.status == "proposed" and record.needs == []


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("expected_uplift", "-5", "must be 0 or more"),
        ("expected_uplift", "lots", "must be a number, 0 or more"),
        ("quarter", "Q1-2027", 'must look like "2027-Q1"'),
        ("id", "Bad Id", "must be an id"),
        ("title", "   ", "is required and cannot be blank"),
        ("costs.deployment", "-1", "must be 0 or more"),
        # SPEC section 1, Bounds: amounts stop at 1e15, so no sum of them can overflow (issue 22)
        ("expected_uplift", "1e16", "must be at most 1,000,000,000,000,000"),
        ("costs.training", "1e308", "must be at most 1,000,000,000,000,000"),
        ("expected_uplift", "1e400", "must be a finite number"),
        ("title", "x" * 201, "must be at most 200 characters (got 201)"),
        ("needs", "feature-store", "each need is a capability id and a level 0 to 4"),
        ("needs", "feature-store 7", "'feature-store 7': the level must be 0 to 4"),
    ],
)
async def test_an_invalid_value_is_shown_next_to_its_field_and_nothing_is_saved(
    name: str, typed: str, message: str
) -> None:
    saves = Saves()
    form = feature_form(None, saves)
    app = FormApp(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill_new_feature(pilot)
        await type_into(pilot, name, typed)
        field(app, "owner").focus_input()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form, "the form stays open"
        bad = field(app, name)
        assert message in bad.error
        assert bad.has_class("-invalid")
        assert bad.query_one(".field-error", Label).display
        others = [f for f in form.query(FormField) if f is not bad]
        assert all(not f.error and not f.has_class("-invalid") for f in others)
        assert app.screen.focused is bad.query_one(".field-input"), "focus goes to the error"
        assert message in screen_text(app)
    assert saves.records == [] and app.results == []


async def test_integer_fields_and_the_capability_form() -> None:
    saves = Saves()
    app = FormApp(capability_form(None, saves))
    async with app.run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "id", "feature-store")
        await type_into(pilot, "name", "Feature store")
        await type_into(pilot, "maturity", "2.5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert field(app, "maturity").error == "must be a whole number from 0 to 4"
        await type_into(pilot, "maturity", "5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert field(app, "maturity").error == "must be a whole number from 0 to 4"
        await type_into(pilot, "maturity", "3")
        await type_into(pilot, "upgrade_cost_per_level", "80000")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert saves.records == [
        Capability(id="feature-store", name="Feature store", maturity=3, upgrade_cost_per_level=8e4)
    ]


async def test_a_model_level_error_goes_to_the_form_line() -> None:
    items = [Field("id", "Id"), Field("name", "Name"), Field("min", "Min", "number"),
             Field("max", "Max", "number")]  # fmt: skip
    saves = Saves()
    initial = Criterion(id="effort", name="Effort")
    app = FormApp(RecordForm("Edit criterion", Criterion, items, initial, saves))
    async with app.run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "min", "9")
        await pilot.press("ctrl+s")
        await pilot.pause()
        top = app.screen.query_one("#form-error", Label)
        assert top.display and "max (5) must be greater than min (9)" in str(top.content)
        assert all(not f.error for f in app.screen.query(FormField))
    assert saves.records == []


async def test_a_workspace_error_is_shown_and_the_form_stays_open_with_the_typing() -> None:
    saves = Saves(error="cannot save feature 'demand-sensing': unknown capability 'zz'")
    form = feature_form(None, saves)
    app = FormApp(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill_new_feature(pilot)
        await type_into(pilot, "owner", "Ana")
        await pilot.click("#save")
        await pilot.pause()
        assert app.screen is form
        top = form.query_one("#form-error", Label)
        assert top.display and "unknown capability 'zz'" in str(top.content)
        assert field(app, "owner").raw == "Ana" and field(app, "title").raw == "Demand sensing"
        saves.error = None  # the problem is fixed elsewhere: saving again works
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [r.owner for r in saves.records] == ["Ana"]  # type: ignore[attr-defined]
    assert app.results == saves.records


async def test_editing_a_stored_feature_keeps_its_needs(sample_db: Path) -> None:
    workspace = Workspace.open(sample_db, actor=ACTOR, clock=fixed_clock)
    before = workspace.get("features", "churn-winback")
    assert isinstance(before, Feature) and before.needs
    app = FormApp(feature_form(before, workspace.save))
    async with app.run_test(size=(80, 24)) as pilot:
        id_row = field(app, "id")
        assert not id_row.editable and "churn-winback" in screen_text(app)
        assert app.screen.focused is field(app, "title").query_one(".field-input")
        await type_into(pilot, "title", "Churn win-back")
        await type_into(pilot, "costs.training", "")  # empty: the model's default
        await pilot.press("ctrl+s")
        await pilot.pause()
    after = workspace.get("features", "churn-winback")
    workspace.close()
    assert app.results == [after]
    assert isinstance(after, Feature)
    assert after.title == "Churn win-back" and after.costs.training == 0
    assert after.needs == before.needs
    assert after.model_dump(exclude={"title", "costs"}) == before.model_dump(
        exclude={"title", "costs"}
    )


async def test_a_real_workspace_refusal_is_shown(sample_db: Path) -> None:
    workspace = Workspace.open(sample_db, actor=ACTOR, clock=fixed_clock)
    broken = Feature(id="x", title="X", needs=[Need(capability="nope", required_maturity=1)])
    # x is not stored: saved as new, it reaches the reference check
    form = feature_form(broken, lambda record, base: workspace.save(record, base=None))
    app = FormApp(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "unknown capability 'nope'" in screen_text(app)
    assert workspace.get("features", "x") is None
    workspace.close()


async def test_a_taken_id_is_said_under_the_id_field_and_nothing_is_saved() -> None:
    stored = {"demand-forecast": SAMPLE_FEATURE}
    saves = Saves()
    app = FormApp(feature_form(None, saves, current=stored.get))
    async with app.run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "id", "demand-forecast")
        await type_into(pilot, "title", "Another")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "there is already a feature 'demand-forecast'" in field(app, "id").error
    assert saves.records == []


def edited_elsewhere(workspace: Workspace, **changes: object) -> Feature:
    """Another session's edit of the churn feature, saved while the form is open."""
    read = workspace.get("features", "churn-winback")
    assert isinstance(read, Feature)
    return workspace.save(read.model_copy(update=changes), base=read)  # type: ignore[return-value]


def churn_form(workspace: Workspace) -> FormApp:
    """The churn feature's form, saving to `workspace` as the app's forms do."""
    before = workspace.get("features", "churn-winback")
    current = lambda id: workspace.get("features", id)  # noqa: E731
    return FormApp(feature_form(before, workspace.save, current=current))  # type: ignore[arg-type]


async def test_another_sessions_edit_of_another_field_is_kept_with_mine(sample_db: Path) -> None:
    workspace = Workspace.open(sample_db, actor=ACTOR, clock=fixed_clock)
    app = churn_form(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        edited_elsewhere(workspace, owner="Someone else")
        await type_into(pilot, "title", "Mine")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm)  # closed: merged, nothing to ask
    after = workspace.get("features", "churn-winback")
    workspace.close()
    assert isinstance(after, Feature) and (after.title, after.owner) == ("Mine", "Someone else")
    assert app.results == [after]


async def test_another_sessions_edit_of_the_same_field_is_not_overwritten_silently(
    sample_db: Path,
) -> None:
    workspace = Workspace.open(sample_db, actor=ACTOR, clock=fixed_clock)
    app = churn_form(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        edited_elsewhere(workspace, title="Theirs")
        await type_into(pilot, "title", "Mine")
        await pilot.press("ctrl+s")
        await pilot.pause()
        said = " ".join(screen_text(app).replace("│", " ").split())  # lines wrapped: as read
        assert "another session changed title since you read it" in said
        assert "or save again to keep your version over theirs" in said
        assert workspace.get("features", "churn-winback").title == "Theirs"  # type: ignore[union-attr]
        edited_elsewhere(workspace, title="Theirs again")  # once more since it was said
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == []  # said again, not overwritten
        await pilot.press("ctrl+s")  # a second save, once said: mine, whole
        await pilot.pause()
    after = workspace.get("features", "churn-winback")
    workspace.close()
    assert isinstance(after, Feature) and after.title == "Mine"
    assert app.results == [after]


async def test_a_form_tells_the_store_what_its_record_was_made_from() -> None:
    saves = Saves()
    for initial in (SAMPLE_FEATURE, None):  # a new record: made from nothing
        app = FormApp(feature_form(initial, saves))
        async with app.run_test(size=(80, 24)) as pilot:
            await type_into(pilot, "title", "Mine")
            await pilot.press("ctrl+s")
            await pilot.pause()
    assert [r.title for r in saves.records] == ["Mine", "Mine"]  # type: ignore[attr-defined]
    assert saves.bases == [SAMPLE_FEATURE, None]


# -- leaving -----------------------------------------------------------------------------------


async def test_escape_on_an_untouched_form_returns_none() -> None:
    saves = Saves()
    app = FormApp(feature_form(SAMPLE_FEATURE, saves))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None] and saves.records == []


async def test_escape_after_typing_asks_before_discarding() -> None:
    saves = Saves()
    form = feature_form(None, saves)
    app = FormApp(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "title", "Half typed")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("n")  # keep editing: nothing lost
        await pilot.pause()
        assert app.screen is form and field(app, "title").raw == "Half typed"
        assert app.results == []
        await pilot.click("#cancel")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("y")
        await pilot.pause()
    assert app.results == [None] and saves.records == []


# -- hostile text ------------------------------------------------------------------------------


async def test_hostile_text_shows_literally_and_survives_a_save_unchanged() -> None:
    initial = SAMPLE_FEATURE.model_copy(
        update={"title": HOSTILE, "description": f"a\x0bb\r\nc {HOSTILE}", "owner": "[red]o"}
    )
    saves = Saves()
    app = FormApp(feature_form(initial, saves))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]quit[/] [b]x␛[2J␛]0;pwned" in text
        assert "c Hq [@click=app.quit]" in text and "[red]o" in text
        assert not any(ch in text for ch in "\x1b\x07\x0b\r")
        await type_into(pilot, "objective", "Cut waste")
        await pilot.press("ctrl+s")
        await pilot.pause()
    [record] = saves.records
    assert record == initial.model_copy(update={"objective": "Cut waste"})


def cursor_on(widget: Input) -> str:
    """The text the field draws under its cursor."""
    cursor = widget.get_component_rich_style("input--cursor")
    return "".join(
        s.text for s in widget.render_line(0) if s.style and s.style.bgcolor == cursor.bgcolor
    )


async def test_named_characters_keep_the_cursor_on_the_character_and_save_as_themselves() -> None:
    # ⟨U+202E⟩ is drawn for one character: the cursor after it was drawn inside the name
    # ("U", "+"), and the field scrolled as if it were not there (issue 22)
    title = "a\u202eb\u200bc"
    saves = Saves()
    app = FormApp(feature_form(SAMPLE_FEATURE.model_copy(update={"title": title}), saves))
    async with app.run_test(size=(120, 40)) as pilot:
        field(app, "title").focus_input()
        await type_keys(pilot, "home")
        widget = app.screen.focused
        assert isinstance(widget, Input) and "a⟨U+202E⟩b⟨U+200B⟩c" in screen_text(app)
        seen = []
        for _ in range(4):
            await type_keys(pilot, "right")
            seen.append((cursor_on(widget), widget.cursor_screen_offset.x))
        start = seen[0][1] - 1  # where "a" is drawn
        assert seen == [
            ("⟨U+202E⟩", start + 1), ("b", start + 9), ("⟨U+200B⟩", start + 10), ("c", start + 18)
        ]  # fmt: skip
        await type_keys(pilot, "end")
        assert cursor_on(widget) == " "
        await type_keys(pilot, "left", "shift+left", "X", "ctrl+s")
    [record] = saves.records
    assert record.title == "a\u202ebXc"  # the zero-width space selected and typed over


async def test_the_delete_dialog_shows_hostile_titles_literally() -> None:
    app = FormApp(ConfirmDelete("feature", "x", HOSTILE, {}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]quit[/] [b]x␛[2J" in text and "\x1b" not in text
        assert "Nothing refers to this feature." in text


async def test_bool_date_and_list_fields_for_the_editors_to_come() -> None:
    items = [
        Field("id", "Id"),
        Field("title", "Title"),
        Field("category", "Category", "choice", choices=choices(PolicyCategory)),
        Field("review_by", "Review by", "date"),
        Field("applies_to", "Applies to", "list"),
    ]
    saves = Saves()
    initial = Policy(id="rollback", title="Rollback", review_by=dt.date(2027, 1, 31))
    app = FormApp(RecordForm("Edit policy", Policy, items, initial, saves))
    async with app.run_test(size=(80, 24)) as pilot:
        assert field(app, "review_by").raw == "2027-01-31"
        await type_into(pilot, "review_by", "31/03/2027")
        await type_into(pilot, "applies_to", "online-serving, Feature Store")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "must be a date like 2027-03-31" in field(app, "review_by").error
        assert "must be an id" in field(app, "applies_to").error  # loc applies_to[1]
        await type_into(pilot, "review_by", "")
        await type_into(pilot, "applies_to", "online-serving, feature-store")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert saves.records == [
        initial.model_copy(
            update={"review_by": None, "applies_to": ["online-serving", "feature-store"]}
        )
    ]

    criterion = Criterion(id="effort", name="Effort")
    flags = [Field("name", "Name"), Field("higher_is_better", "Higher is better", "bool")]
    app = FormApp(RecordForm("Edit criterion", Criterion, flags, criterion, saves))
    async with app.run_test(size=(80, 24)) as pilot:
        field(app, "higher_is_better").focus_input()
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
    assert saves.records[-1] == criterion.model_copy(update={"higher_is_better": False})


# -- the delete dialog -------------------------------------------------------------------------


@pytest.mark.parametrize(("keys", "result"), [("y", True), ("enter", True), ("n", False),
                                              ("escape", False)])  # fmt: skip
async def test_confirm_delete_answers_by_key(keys: str, result: bool) -> None:
    references = {"scores": ["a/b/", "a/c/"], "risks": ["r1"]}
    app = FormApp(ConfirmDelete("feature", "demand-forecast", "Demand", references))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "• 2 scores → deleted with it" in text and "a/b/, a/c/" in text
        assert "• 1 risk → kept, unlinked from it" in text and "r1" in text
        await pilot.press(keys)
        await pilot.pause()
    assert app.results == [result]


async def test_confirm_delete_lists_real_references_and_their_consequences(
    sample_db: Path,
) -> None:
    workspace = Workspace.open(sample_db, actor=ACTOR, clock=fixed_clock)
    references = workspace.references("capabilities", "online-serving")
    workspace.close()
    assert "features" in references and "decisions" not in references
    app = FormApp(ConfirmDelete("capability", "online-serving", "Online serving", references))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        features = references["features"]
        assert f"• {len(features)} features → kept, minus the need for it" in text
        listed = [str(s.content) for s in app.screen.query(".delete-ids").results(Static)]
        assert f"{', '.join(features[:3])} and {len(features) - 3} more" in listed
        await pilot.click("#keep")
        await pilot.pause()
    assert app.results == [False]


@pytest.mark.parametrize("key", ["y", "enter", "escape"])
async def test_confirm_delete_refuses_when_decisions_refer(key: str) -> None:
    references = {"scores": ["a/b/"], "decisions": ["q1-commitments", "q2-review"]}
    app = FormApp(ConfirmDelete("feature", "demand-forecast", "Demand", references))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "This feature cannot be deleted" in text
        assert "• 2 decisions → the delete is refused: decisions are history" in text
        assert "q1-commitments, q2-review" in text and "scores" not in text
        buttons = [b.id for b in app.screen.query(Button)]
        assert buttons == ["close"]
        await pilot.press(key)
        await pilot.pause()
    assert app.results == [False]


# -- 80x24 -------------------------------------------------------------------------------------


async def test_the_feature_form_fits_80x24_and_tab_reaches_save() -> None:
    app = FormApp(feature_form(SAMPLE_FEATURE, Saves()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert Region(0, 0, 80, 24).contains_region(form.query_one("#form-box").region)
        save = form.query_one("#save", Button)
        assert Region(0, 0, 80, 24).contains_region(save.region)
        scroller = form.query_one("#form-fields")
        assert scroller.max_scroll_y > 0, "more fields than lines: the form scrolls"
        seen: list[str] = []
        for _ in range(20):
            await pilot.press("tab")
            await pilot.pause()
            focused = app.screen.focused
            assert focused is not None
            if focused is save:
                break
            seen.append(focused.parent.spec.name)  # type: ignore[union-attr]
            # what has the focus is on screen
            assert scroller.region.contains_region(focused.region), focused
        assert app.screen.focused is save
        assert seen[-1] == "costs.incident_response" and scroller.scroll_y > 0
        assert "id" not in seen  # read-only when editing
        assert isinstance(form.query_one(f"#{field_id('description')} .field-input"), TextArea)
        assert isinstance(form.query_one(f"#{field_id('status')} .field-input"), Select)


# -- values ------------------------------------------------------------------------------------


def test_values_convert_both_ways() -> None:
    assert from_raw("number", " 1,250,000 ") == 1_250_000.0
    assert from_raw("number", "") is DEFAULT
    assert from_raw("integer", "3.0") == 3
    assert from_raw("date", "2027-03-31") == dt.date(2027, 3, 31)
    assert from_raw("date", " ") is None
    assert from_raw("list", "a, b,,c ") == ["a", "b", "c"]
    assert from_raw("text", "  kept as typed ") == "  kept as typed "
    for kind, raw in [("number", "1.2.3"), ("integer", "two"), ("date", "31/03/2027")]:
        with pytest.raises(ParseError):
            from_raw(kind, raw)  # type: ignore[arg-type]
    assert to_raw("number", 250000.0) == "250000" and to_raw("number", 2.5) == "2.5"
    assert to_raw("date", None) == "" and to_raw("list", ["a", "b"]) == "a, b"


def test_a_choice_field_needs_choices() -> None:
    with pytest.raises(ValueError, match="needs choices"):
        Field("status", "Status", "choice")


async def test_a_fields_error_clears_once_its_value_is_changed() -> None:
    app = FormApp(feature_form(None, Saves()))
    async with app.run_test(size=(80, 24)) as pilot:
        await fill_new_feature(pilot)
        await type_into(pilot, "quarter", "soon")
        await pilot.press("ctrl+s")
        await pilot.pause()
        quarter = field(app, "quarter")
        assert quarter.error
        await pilot.press("backspace")
        await pilot.pause()
        assert not quarter.error and not quarter.has_class("-invalid")


def test_a_new_records_fields_start_at_the_models_defaults_nested_ones_too() -> None:
    # Costs is a slotted dataclass inside the Feature model: its defaults count as well
    assert model_default(Feature, "costs.training") == 0
    assert model_default(Feature, "status") == "proposed"
    assert model_default(Feature, "needs") == []
