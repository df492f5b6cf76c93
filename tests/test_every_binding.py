"""Every key of every screen, and every form saved with valid input, on three workspaces (issue 20).

"Map, N, fill the form, ctrl+s: the app exits with a traceback" lived on a path
no test had run. Here each screen (SCREENS) of an empty workspace (what
`roadmap-tui new` creates), the grocery sample and the bank sample gets every
key its live bindings name (`screen.active_bindings`: the focused widget's,
the screen's and the app's, so a new binding is covered without touching this
file), each from the screen as it opened, at 80×24; then every form is filled
by typing, as a person does, and saved. A crash names its workspace, screen and
key with the traceback's last lines, and the sweep goes on in a new app.

Slow part: the key sweep (~45 keys on each of six screens). One app per
workspace is shared by its screens' keys, so each screen is composed once: a
key's data changes (a vote, a need) stay, but every dialog it opens is escaped
and the screen and its focus are restored before the next key.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, TextArea

from roadmap_tui.app import RoadmapApp
from roadmap_tui.exchange import export_toml, read_toml
from roadmap_tui.models import (
    Capability,
    Decision,
    Feature,
    Plan,
    Policy,
    Record,
    Risk,
    ScoringModel,
    WorkspaceInfo,
    choices,
)
from roadmap_tui.screens import SCREENS, ScreenInfo
from roadmap_tui.screens.base import WorkspaceScreen
from roadmap_tui.widgets.form import RecordForm
from roadmap_tui.widgets.form_fields import FormField
from roadmap_tui.widgets.form_values import field_id
from support import app_for, fixed_clock, make_empty, make_sample, screen_text, type_keys

SIZE = (80, 24)
SAMPLES = {"grocery": "grocery-forecasting", "bank": "bank-fraud-credit"}
WORKSPACES = ("empty", *SAMPLES)
NEVER = frozenset({"ctrl+q"})  # quits: the end of a session, not a crash
LAST = ("ctrl+z", "ctrl+y")  # undo can take back the whole sample: press them after the rest
MAX_ESCAPES = 5  # dialogs stacked on dialogs, closed one escape at a time


# -- workspaces --------------------------------------------------------------------------------


def make_workspace(name: str, folder: Path, seed: Plan | None = None) -> Path:
    if name == "empty":
        return make_empty(folder, seed)
    return make_sample(folder, SAMPLES[name])


def crashed(app: RoadmapApp) -> bool:
    return app._exception is not None or bool(app.return_code)


def last_lines(error: BaseException, lines: int = 4) -> str:
    """The end of a traceback: where it broke and why."""
    text = "".join(traceback.format_exception(error)).rstrip().splitlines()
    return "\n    ".join(text[-lines:])


async def settle(pilot: Pilot) -> None:
    """After a key (type_keys waits for idle): let a thread worker (export) finish too."""
    if len(pilot.app.workers):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


# -- 1. every key of every screen --------------------------------------------------------------


async def open_screen(pilot: Pilot, info: ScreenInfo) -> WorkspaceScreen:
    app = pilot.app
    app.action_go(info.mode)  # as its key does, whatever has the focus (each key is swept)
    await settle(pilot)
    await pilot.pause()
    assert app.current_mode == info.mode and isinstance(app.screen, WorkspaceScreen)
    return app.screen


def keys_of(screen: WorkspaceScreen) -> list[str]:
    """One key for each binding the screen answers as it opened (its focused widget's, its
    own, the app's): of the keys that name one action ("0,1,2,3,4", "f1" and "?"), the first."""
    keys: dict[tuple[int, str, str], str] = {}
    for key, active in screen.active_bindings.items():
        if key not in NEVER:
            keys.setdefault(
                (id(active.node), active.binding.action, active.binding.description), key
            )
    return sorted(keys.values(), key=lambda key: LAST.index(key) + 1 if key in LAST else 0)


async def back_to(pilot: Pilot, info: ScreenInfo, home: WorkspaceScreen, focus: object) -> None:
    """Close what a key opened, as a person would (escape), and return to the screen as it was."""
    app = pilot.app
    for _ in range(MAX_ESCAPES):
        if app.screen is app.screen_stack[0] or crashed(app):
            break
        await type_keys(pilot, "escape")
        await settle(pilot)
    if app.current_mode != info.mode and not crashed(app):
        app.action_go(info.mode)  # the key's action: the other screen keeps its focus
        await settle(pilot)
        await pilot.pause()
    if not crashed(app) and focus is not None and app.screen.focused is not focus:
        app.screen.set_focus(focus)  # e.g. "/" left the filter box focused
        await settle(pilot)


@dataclass
class Sweep:
    """The keys of every screen of one workspace, and what went wrong."""

    workspace: str
    path: Path
    pressed: dict[str, list[str]] = field(default_factory=dict)  # by screen (mode)
    done: set[str] = field(default_factory=set)  # screens swept, or that crashed as they opened
    problems: list[str] = field(default_factory=list)
    at: str = ""  # the screen and key being pressed, for a report

    @property
    def progress(self) -> int:
        return len(self.done) + sum(map(len, self.pressed.values()))

    async def run(self) -> None:
        """Press the keys not pressed yet, screen after screen, in a new app, until one of
        them crashes it (reported: the next run goes on after it)."""
        app = app_for(self.path)
        self.at = "(opening the app)"
        try:
            async with app.run_test(size=SIZE, notifications=True) as pilot:
                for info in SCREENS:
                    if info.mode not in self.done:
                        await self._sweep(pilot, info)
                        if crashed(app):
                            break
                else:  # every key went through: what breaks now breaks on the way out
                    self.at = "(closing the app)"
        except Exception as error:  # run_test raises the app's exception
            self.problems.append(f"{self.workspace}-{self.at}:\n    {last_lines(error)}")
        else:
            if crashed(app):
                self.problems.append(f"{self.workspace}-{self.at}: exit code {app.return_code}")

    async def _sweep(self, pilot: Pilot, info: ScreenInfo) -> None:
        app = pilot.app
        self.at = f"{info.mode}-(opening the screen)"
        self.done.add(info.mode)  # one that crashes as it opens is reported, not opened again
        home = await open_screen(pilot, info)
        self.done.discard(info.mode)
        focus = home.focused
        pressed = self.pressed.setdefault(info.mode, [])
        for key in [k for k in keys_of(home) if k not in pressed]:
            pressed.append(key)
            self.at = f"{info.mode}-{key}"
            await type_keys(pilot, key)
            await settle(pilot)
            if crashed(app):
                return
            await back_to(pilot, info, home, focus)
            if crashed(app):
                self.at = f"{info.mode}-{key}, then escape or {info.key}"
                return
            if app.screen is not home:
                self.problems.append(f"{self.workspace}-{self.at}: the screen did not come back")
        self.done.add(info.mode)


@pytest.mark.slow
@pytest.mark.parametrize("workspace", WORKSPACES)
async def test_every_key_of_every_screen(workspace: str, tmp_path: Path) -> None:
    """SLOW: ~45 keys on each of six screens, in one app (each screen is composed once). A
    crash is reported, and the keys after it run in a new app."""
    sweep = Sweep(workspace, make_workspace(workspace, tmp_path))
    while len(sweep.done) < len(SCREENS):
        before = sweep.progress
        await sweep.run()
        if sweep.progress == before:  # crashed before it could press anything
            break
    assert not sweep.problems, "\n".join(sweep.problems)
    for info in SCREENS:
        missing = {i.key for i in SCREENS} - set(sweep.pressed.get(info.mode, ()))
        assert not missing, f"{workspace}-{info.mode}: the app's keys {missing} were not pressed"


# -- 2. every form, saved with valid input -----------------------------------------------------

DAY = fixed_clock().date()
# What an edit needs on the empty workspace: one record of each kind, under the cursor.
SEED = Plan(
    workspace=WorkspaceInfo(name="seed"),
    capabilities=[Capability(id="seed-capability", name="Seed capability")],
    features=[Feature(id="seed-feature", title="Seed feature")],
    risks=[Risk(id="seed-risk", title="Seed risk", likelihood=2, impact=2)],
    policies=[Policy(id="seed-policy", title="Seed policy")],
    decisions=[Decision(id="seed-decision", title="Seed decision", date=DAY, outcome="deferred")],
)


async def type_into(pilot: Pilot, name: str, text: str) -> None:
    """Focus a field, select what it holds, type over it and tab out, as a person does."""
    form = pilot.app.screen
    target = form.query_one(f"#{field_id(name)}", FormField)
    target.focus_input()
    target.scroll_visible(animate=False)
    await pilot.pause()
    widget = form.focused
    if isinstance(widget, TextArea):
        await type_keys(pilot, "f7", "backspace")  # select all, delete
    elif isinstance(widget, Input):
        await type_keys(pilot, "end", "shift+home", "backspace")
    else:
        raise AssertionError(f"{name}: {type(widget).__name__} is not a field to type into")
    await type_keys(pilot, *("enter" if ch == "\n" else ch for ch in text))
    if isinstance(widget, Input):
        await type_keys(pilot, "tab")


async def fill(pilot: Pilot, values: Mapping[str, str]) -> str:
    """Type each value into its field by name, the id last and only if the form left it empty
    (a form that derives the id from the title has filled it by then); the record's id."""
    for name, text in values.items():
        if name != "id":
            await type_into(pilot, name, text)
    id_field = pilot.app.screen.query_one(f"#{field_id('id')}", FormField)
    if "id" in values and id_field.editable and not str(id_field.raw).strip():
        await type_into(pilot, "id", values["id"])
    return str(id_field.raw).strip()


def form_errors(form: RecordForm) -> str:
    """What a form that would not save says: its message and each field's."""
    lines = [str(form.query_one("#form-error").content)]
    lines += [f"{f.spec.name}: {f.error}" for f in form.query(FormField) if f.error]
    return "; ".join(line for line in lines if line)


@dataclass(frozen=True)
class FormCase:
    """On screen `mode`, `key` opens a form; `values` are typed and saved as a `kind` record."""

    mode: str
    key: str
    kind: str
    label: str  # the title or name field
    values: Mapping[str, str]
    edits: bool = False  # opens the record under the cursor: the empty workspace gets SEED
    check: Callable[[Record, Record | None], bool] = lambda saved, selected: True


def selected_decision(app: RoadmapApp) -> Record | None:
    table = app.screen.query_one("#decisions", DataTable)
    if not table.row_count:
        return None
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    return app.workspace.get("decisions", key or "")


FORM_CASES = {
    "map-n": FormCase("map", "n", "features", "title",
                      {"title": "Churn alert", "id": "churn-alert", "expected_uplift": "125000"}),
    "map-N": FormCase("map", "N", "capabilities", "name",
                      {"name": "Vector index", "id": "vector-index", "maturity": "2"}),
    "map-e": FormCase("map", "e", "features", "title", {"title": "Renamed plan"}, edits=True),
    "map-E": FormCase("map", "E", "capabilities", "name", {"name": "Renamed tool"}, edits=True),
    "score-N": FormCase("score", "N", "criteria", "name",
                        {"name": "Strategic fit", "id": "strategic_fit", "weight": "2"}),
    "score-e": FormCase("score", "e", "criteria", "name", {"name": "Renamed rule"}, edits=True),
    "risks-n": FormCase("risks", "n", "risks", "title",
                        {"title": "Label leak", "id": "label-leak", "likelihood": "3",
                         "impact": "4", "exposure": "50000"}),
    "risks-e": FormCase("risks", "e", "risks", "title", {"title": "Renamed risk"}, edits=True),
    "policies-n": FormCase("policies", "n", "policies", "title",
                           {"title": "Model cards", "id": "model-cards",
                            "body": "# Cards\nOne each."}),
    "policies-e": FormCase("policies", "e", "policies", "title", {"title": "Renamed rule"},
                           edits=True),
    "decisions-D": FormCase("decisions", "D", "decisions", "title",
                            {"title": "Fund churn", "id": "fund-churn",
                             "rationale": "Ready."}),
    "decisions-e": FormCase("decisions", "e", "decisions", "title", {"title": "Renamed call"},
                            edits=True),
    "decisions-U": FormCase("decisions", "U", "decisions", "title",
                            {"title": "Fund later", "id": "fund-later"}, edits=True,
                            check=lambda saved, old: saved.supersedes == old.id),
}  # fmt: skip


def form_params() -> list:
    return [
        pytest.param(workspace, case, id=f"{workspace}-{case}")
        for workspace in WORKSPACES
        for case in FORM_CASES
    ]


@pytest.mark.parametrize(("workspace", "case_id"), form_params())
async def test_every_form_saves_valid_input(workspace: str, case_id: str, tmp_path: Path) -> None:
    case = FORM_CASES[case_id]
    where = f"{workspace}-{case_id}"
    seed = SEED if case.edits and workspace == "empty" else None
    app = app_for(make_workspace(workspace, tmp_path, seed))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        home = await open_screen(pilot, next(i for i in SCREENS if i.mode == case.mode))
        selected = selected_decision(app) if case.kind == "decisions" else None
        await type_keys(pilot, case.key)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm), f"{where}: {case.key} opened {form}"
        record_id = await fill(pilot, case.values)
        await type_keys(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is home, f"{where}: not saved: {form_errors(form)}"
        saved = app.workspace.get(case.kind, record_id)
        title = case.values[case.label]
        assert saved is not None, f"{where}: no {case.kind} {record_id!r} stored"
        assert getattr(saved, case.label) == title, where
        assert case.check(saved, selected), f"{where}: {saved!r}"
        assert title in screen_text(app), f"{where}: {title!r} is not on the screen"
    assert not crashed(app), where


@pytest.mark.parametrize("workspace", WORKSPACES)
async def test_the_model_picker_switches_the_model(workspace: str, tmp_path: Path) -> None:
    """Score, M, the next model, a (add its criteria and use it)."""
    app = app_for(make_workspace(workspace, tmp_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        home = await open_screen(pilot, next(i for i in SCREENS if i.mode == "score"))
        models = choices(ScoringModel)
        target = models[(models.index(app.workspace.info().scoring_model) + 1) % len(models)]
        await type_keys(pilot, "M")
        await pilot.pause()
        picker = app.screen.query_one(OptionList)
        for _ in models:  # at most one press per model
            if picker.highlighted_option is None or picker.highlighted_option.id == target:
                break
            await type_keys(pilot, "down" if target != models[0] else "up")
        await type_keys(pilot, "a")
        await settle(pilot)
        assert app.screen is home, f"{workspace}-score-M: the picker stayed open"
        assert app.workspace.info().scoring_model == target, f"{workspace}-score-M"
        assert f"{target} model" in screen_text(app), f"{workspace}-score-M"
    assert not crashed(app)


@pytest.mark.parametrize("workspace", WORKSPACES)
async def test_export_then_import_the_exported_file(
    workspace: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ctrl+e, enter: the workspace is written where the dialog proposes (next to it); ctrl+o
    previews and applies a file made from it with one feature more, which shows on the Map."""
    monkeypatch.chdir(tmp_path)  # the import path is typed relative to here: short to type
    path = make_workspace(workspace, tmp_path)
    app = app_for(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        home = await open_screen(pilot, SCREENS[0])
        await type_keys(pilot, "ctrl+e")
        await pilot.pause()
        await type_keys(pilot, "enter")
        await settle(pilot)
        await pilot.pause()  # the notice the dialog's closing sends
        exported = path.with_suffix(".toml")
        assert app.screen is home, f"{workspace}-ctrl+e: the dialog stayed open"
        assert exported.name in screen_text(app), f"{workspace}-ctrl+e: no notice"
        plan = read_toml(exported)
        assert plan.features == app.workspace.plan().features, f"{workspace}-ctrl+e"
        added = Feature(id="aaa-imported", title="Aaa imported")
        with_one_more = plan.model_copy(update={"features": [*plan.features, added]})
        (tmp_path / "more.toml").write_text(export_toml(with_one_more), encoding="utf-8")

        await type_keys(pilot, "ctrl+o")
        await pilot.pause()
        await type_keys(pilot, *"more.toml", "enter")
        assert "1 added" in screen_text(app), f"{workspace}-ctrl+o: no preview"
        await type_keys(pilot, "enter")  # the Apply button has the focus after the preview
        await pilot.pause()
        assert app.screen is home, f"{workspace}-ctrl+o: the dialog stayed open"
        assert "every record is in" in screen_text(app), f"{workspace}-ctrl+o: no notice"
        assert app.workspace.get("features", added.id) == added, f"{workspace}-ctrl+o"
        await type_keys(pilot, "m")
        assert added.title in screen_text(app), f"{workspace}-ctrl+o: not on the Map"
    assert not crashed(app)
