"""A monkey test: thousands of random keys (fixed seed) over every screen and modal.

The acceptance text: "at least 5,000 random keys (fixed seed) across every
screen and modal at 80x24 and 40x12, zero unhandled exceptions". Each size runs
on a fresh copy of the grocery sample with its own seed and presses at least
KEYS_PER_SIZE keys at that size (2 × 2,600), in phases: settle (close what is
open), go to a screen, open something on it (a form, a confirm dialog, the
model picker, help, the palette, export or import), then random keys drawn
from a weighted alphabet: the app's and every screen's, modal's and widget's
BINDINGS (read from the classes, so a new key is covered without touching this
file), the navigation keys, digits, letters, punctuation and a few editing
keys, with now and then a short excursion to the other size.

When a phase's opening keys open a form (or quick add), the monkey fills it
with valid values and saves it, the first time for each kind of record and
about half the time after: random keys alone never saved a valid form, and a
crash on saving a new capability lived there. Saving must close the form and
store the record as typed.

A crash fails the test with the last keys pressed; `replay` runs a sequence
again, which is how a crash is reduced to a regression test below.

The two runs take minutes: they are marked `monkey`, skipped unless asked for
(`--run-monkey` or `-m monkey`); CI runs them in a step of their own.

Nothing can be written outside tmp_path: the process runs in tmp_path with
HOME there too, the export dialog's writer refuses any other folder (and says
so, as a failed export), and screenshots from the palette are not delivered.
ctrl+q is never pressed; the palette's "Quit" can be chosen by chance, and then
the app is started again on the same workspace and the restart counted.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
import random
import string
import time
from collections import Counter
from collections.abc import Awaitable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea

import roadmap_tui.screens
import roadmap_tui.widgets
from roadmap_tui.app import QUICK_PROMPTS, RoadmapApp
from roadmap_tui.errors import ExchangeError
from roadmap_tui.exchange import export_toml, read_toml
from roadmap_tui.models import KINDS
from roadmap_tui.screens import SCREENS, transfer
from roadmap_tui.screens.quick_add import QuickAdd
from roadmap_tui.widgets.form import ConfirmDiscard, RecordForm
from roadmap_tui.widgets.form_fields import FormField
from roadmap_tui.widgets.form_values import ID_FIELD, Field
from roadmap_tui.workspace import Workspace
from support import ACTOR, app_for, fixed_clock, key_event, make_sample, send

SIZES = {"80x24": (80, 24), "40x12": (40, 12)}
KEYS_PER_SIZE = 2_600  # at the size under test; the excursions are counted apart
BATCH = 20  # keys pressed between pauses
PHASE_KEYS = (25, 60)  # random keys after a phase's opening keys
EXCURSION = 0.04  # the chance, per batch, of a batch at the other size
BATCH_TIMEOUT = 60.0  # seconds; a batch that takes longer is a hang
NEVER = frozenset({"ctrl+q", "ctrl+c"})  # quit, and "press ctrl+q to quit"
IMPORT_FILE = "import-me.toml"  # written in tmp_path; the import phase previews it
PAUSE = "(pause)"  # in the journal: a full pilot.pause(), as after each batch
NEWCOMER = "monkey"  # none of the participants: each start asks whom it votes as (join)
FILL = 0.5  # the chance a phase fills and saves the form it opened (a kind's first: always)

# -- the alphabet ----------------------------------------------------------------------


def _app_modules() -> list[ModuleType]:
    """Every module of roadmap_tui.screens and roadmap_tui.widgets."""
    return [
        importlib.import_module(f"{package.__name__}.{module_info.name}")
        for package in (roadmap_tui.screens, roadmap_tui.widgets)
        for module_info in pkgutil.iter_modules(package.__path__)
    ]


def _classes_with_bindings() -> list[type[DOMNode]]:
    """RoadmapApp, and every screen, modal and widget class of the app that has BINDINGS."""
    found: list[type[DOMNode]] = [RoadmapApp]
    for module in _app_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, DOMNode)
                and cls.__module__ == module.__name__
                and "BINDINGS" in cls.__dict__
            ):
                found.append(cls)
    return found


def binding_keys() -> dict[str, list[str]]:
    """Class name -> the keys its own BINDINGS name ("0,1,2" split), ctrl+q left out."""
    keys: dict[str, list[str]] = {}
    for cls in _classes_with_bindings():
        named = []
        for binding in Binding.make_bindings(cls.__dict__["BINDINGS"]):
            if binding.key not in NEVER and binding.key not in named:
                named.append(binding.key)
        keys[cls.__name__] = named
    return keys


# The app's own keys (screens, help, decide, export, import, theme, …) and the palette.
GLOBAL_KEYS = (*binding_keys()["RoadmapApp"], "ctrl+p")
MOVES = ("up", "down", "left", "right", "pageup", "pagedown", "home", "end")
EDITING = ("space", "backspace", "delete", "ctrl+a", "ctrl+w", "ctrl+u", "ctrl+k", "ctrl+z",
           "ctrl+x", "ctrl+v", "shift+left", "shift+right", "shift+home", "shift+end")  # fmt: skip
TEXT = (*string.ascii_letters, "é", "€", "ß", "→", "中")


@dataclass(frozen=True)
class Alphabet:
    groups: tuple[tuple[str, tuple[str, ...], float], ...]  # (name, keys, weight)

    @classmethod
    def build(cls) -> Alphabet:
        bound = sorted({k for keys in binding_keys().values() for k in keys})
        groups = (
            ("screens and app", GLOBAL_KEYS, 5),
            ("escape", ("escape",), 4),
            ("enter", ("enter",), 5),
            ("focus", ("tab", "shift+tab"), 5),
            ("moves", MOVES, 16),
            ("editing", EDITING, 6),
            ("bindings", tuple(bound), 16),
            ("digits", tuple(string.digits), 9),
            ("text", TEXT, 14),
            ("punctuation", tuple(string.punctuation), 5),
        )
        for name, keys, _ in groups:
            assert not NEVER & set(keys), name
        return cls(groups)

    @property
    def keys(self) -> set[str]:
        return {k for _, keys, _ in self.groups for k in keys}

    def draw(self, rng: random.Random, n: int) -> list[str]:
        weights = [w for _, _, w in self.groups]
        chosen = rng.choices(self.groups, weights, k=n)
        return [rng.choice(keys) for _, keys, _ in chosen]


def screen_classes() -> dict[str, type[Screen]]:
    """Screen key -> the class of the screen it shows (SCREENS' "module:Class")."""
    classes = {}
    for info in SCREENS:
        module, name = info.target.split(":")
        classes[info.key] = getattr(importlib.import_module(f"roadmap_tui.screens.{module}"), name)
    return classes


def openers() -> list[tuple[str | None, tuple[str, ...]]]:
    """Each phase's start: a screen key (None: stay), then keys that open something.

    Every screen, then each of its own BINDINGS keys on it, then each of the app's
    keys: read from the classes, so a new key gets its phase. Then what needs more
    than one key: the Map's leverage table (tab tab), the Overview's lists, the
    Score matrix's value editor, the heat map's cell filter, the palette's theme
    picker, an export that writes, an import of a real file, the participants
    panel's forms.
    """
    found: list[tuple[str | None, tuple[str, ...]]] = []
    for key, cls in screen_classes().items():
        found.append((key, ()))
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            if binding.key != "escape":  # backs out; every phase has escapes enough
                found.append((key, (binding.key,)))
    screen_keys = {info.key for info in SCREENS}
    for binding in Binding.make_bindings(RoadmapApp.BINDINGS):
        if binding.key not in screen_keys | NEVER:
            found.append((None, (binding.key,)))
    found += [
        ("m", ("tab", "tab", "X")), ("m", ("tab", "tab", "E")), ("m", ("tab", "tab", "plus")),
        ("o", ("tab", "enter")), ("o", ("tab", "tab", "tab", "enter")), ("s", ("enter",)),
        ("r", ("h", "enter")), (None, ("ctrl+p",)),
        (None, ("ctrl+p", *"theme", "enter")), (None, ("ctrl+e", "enter")),
        (None, ("ctrl+o", *IMPORT_FILE, "enter")), ("s", ("P", "n")), ("s", ("P", "e")),
    ]  # fmt: skip
    return list(dict.fromkeys(found))


def modal_classes() -> set[str]:
    """Every modal screen the app defines, by class name."""
    return {
        cls.__name__
        for module in _app_modules()
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, ModalScreen) and cls.__module__ == module.__name__
    }


# What a run must have shown, whatever the seed: every screen, every modal (forms by
# record: the form classes are shared), and Textual's command palette.
FORMS = {"RecordForm(Feature)", "RecordForm(Capability)", "RecordForm(Criterion)",
         "RiskForm(Risk)", "PolicyForm(Policy)", "RecordForm(Decision)",
         "RecordForm(Participant)"}  # fmt: skip
# What a run must have saved through a form with valid input: every kind, and quick add's.
SAVED = {*KINDS, *(f"quick add: {kind}" for kind in QUICK_PROMPTS)}


def must_reach() -> set[str]:
    return {
        *(f"mode:{info.mode}" for info in SCREENS),
        *modal_classes(),
        *FORMS,
        "CommandPalette",
    }


# -- the run ---------------------------------------------------------------------------


def screen_name(screen: Screen | str) -> str:
    if isinstance(screen, str):
        return f"named:{screen}"
    if isinstance(screen, RecordForm):
        return f"{type(screen).__name__}({screen.model.__name__})"
    return type(screen).__name__


class Crash(AssertionError):
    pass


@dataclass
class Record:
    """What a run did: keys by size, what it reached, and the journal for a replay."""

    journal: list[str] = field(default_factory=list)  # keys, PAUSE, and "resize:WxH"
    keys_by_size: Counter[str] = field(default_factory=Counter)
    random_keys: int = 0
    reached: Counter[str] = field(default_factory=Counter)
    restarts: int = 0
    missed_screens: int = 0  # a screen key that did not switch (a modal kept it, say)
    refused_writes: list[str] = field(default_factory=list)
    delivered: list[str] = field(default_factory=list)
    saved: Counter[str] = field(default_factory=Counter)  # forms saved with valid input


def guard_the_machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, record: Record) -> None:
    """Whatever is typed, nothing is written outside tmp_path and nothing is opened."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # "~/…" typed in a path field lands here
    monkeypatch.chdir(tmp_path)  # and a relative path here
    root = tmp_path.resolve()
    real_write = transfer.write_file

    def write_file(path: str | Path, text: str, *, force: bool = False) -> None:
        try:
            inside = Path(path).resolve().is_relative_to(root)
        except (OSError, ValueError):
            inside = False
        if not inside:
            record.refused_writes.append(str(path))
            raise ExchangeError([f"the monkey test writes only under {root}"])
        real_write(path, text, force=force)

    monkeypatch.setattr(transfer, "write_file", write_file)

    def deliver(self: RoadmapApp, *args: object, **kwargs: object) -> None:
        record.delivered.append(str(kwargs.get("save_filename", "")))  # palette: Screenshot

    monkeypatch.setattr(RoadmapApp, "deliver_text", deliver)
    monkeypatch.setattr(RoadmapApp, "deliver_binary", deliver)
    monkeypatch.setattr(RoadmapApp, "open_url", deliver)


def spy_on_screens(monkeypatch: pytest.MonkeyPatch, record: Record) -> None:
    push_screen, switch_mode = RoadmapApp.push_screen, RoadmapApp.switch_mode

    def pushed(self: RoadmapApp, screen: Screen | str, *args: object, **kwargs: object):
        record.reached[screen_name(screen)] += 1
        return push_screen(self, screen, *args, **kwargs)

    def switched(self: RoadmapApp, mode: str):
        record.reached[f"mode:{mode}"] += 1
        return switch_mode(self, mode)

    monkeypatch.setattr(RoadmapApp, "push_screen", pushed)
    monkeypatch.setattr(RoadmapApp, "switch_mode", switched)


class Monkey:
    """Presses keys on one app, in batches, and notices a crash, a hang or a quit."""

    def __init__(self, pilot: Pilot[None], record: Record, size: tuple[int, int]) -> None:
        self.pilot = pilot
        self.app: RoadmapApp = pilot.app
        self.record = record
        self.size = size

    @property
    def done(self) -> bool:
        """The app has exited: a crash (app._exception) or a quit (return code 0)."""
        return self.app.return_code is not None or self.app._exception is not None

    async def key(self, key: str, *, random_key: bool = False) -> None:
        """One key; the screen processes it (pilot.pause(0)), timers wait for the batch."""
        if self.done:
            return
        self.record.journal.append(key)
        await self._guard(send(self.pilot, key))
        self.record.keys_by_size["{}x{}".format(*self.size)] += 1
        self.record.random_keys += random_key

    async def pause(self) -> None:
        """A full pilot.pause(): timers, workers and the screen catch up."""
        if self.done:
            return
        self.record.journal.append(PAUSE)
        await self._guard(self.pilot.pause())

    async def press(self, keys: Sequence[str], *, random_keys: bool = False) -> None:
        """`keys` in batches of BATCH, each followed by a full pause."""
        for start in range(0, len(keys), BATCH):
            for key in keys[start : start + BATCH]:
                await self.key(key, random_key=random_keys)
            await self.pause()

    async def _guard(self, step: Awaitable[None]) -> None:
        try:
            async with asyncio.timeout(BATCH_TIMEOUT):
                await step
        except TimeoutError:
            raise Crash(f"hang: a step took over {BATCH_TIMEOUT}s; {self.tail()}") from None
        except Exception:
            if not self.done:  # a dead app can make the pilot fail too; that is the crash
                raise

    async def resize(self, size: tuple[int, int]) -> None:
        if self.done:
            return
        self.record.journal.append("resize:{}x{}".format(*size))
        await self._guard(self.pilot.resize_terminal(*size))
        self.size = size

    async def settle(self) -> None:
        """Close modals and leave text fields, so a screen key reaches the app."""
        for _ in range(12):
            if self.done:
                return
            screen, focused = self.app.screen, self.app.focused
            if isinstance(screen, ConfirmDiscard):
                await self.key("y")
            elif isinstance(screen, ModalScreen) or (
                isinstance(focused, Input | TextArea) or type(focused).__name__ == "SelectOverlay"
            ):
                await self.key("escape")
            else:
                return
            await self.pause()  # a dialog closes after its key: look again once it has

    def tail(self) -> str:
        return f"last 60 keys: {self.record.journal[-60:]}"


def schedule(
    rng: random.Random, every: list[tuple[str | None, tuple[str, ...]]]
) -> Iterator[tuple[str | None, tuple[str, ...]]]:
    """Every opener once in a shuffled round, then round after round."""
    while True:
        round_ = list(every)
        rng.shuffle(round_)
        yield from round_


async def run_monkey(
    path: Path, size: tuple[int, int], other: tuple[int, int], rng: random.Random, record: Record
) -> None:
    alphabet = Alphabet.build()
    label = "{}x{}".format(*size)
    every = openers()
    schedule_ = schedule(rng, every)
    phases = 0

    def enough() -> bool:  # the keys at this size, and every opener at least once
        return record.keys_by_size[label] >= KEYS_PER_SIZE and phases >= len(every)

    while not enough():
        app = app_for(path, actor=NEWCOMER, join=True)
        try:
            async with app.run_test(size=size) as pilot:
                monkey = Monkey(pilot, record, size)
                while not monkey.done and not enough():
                    screen_key, opening = next(schedule_)
                    await phase(monkey, alphabet, rng, screen_key, opening, other)
                    phases += 1
                    if not monkey.done and not app.is_running:
                        raise Crash(f"the app stopped, with no exception; {monkey.tail()}")
                exited = monkey.done  # a quit, or a crash that run_test raises on leaving
        except Crash:
            raise
        except Exception as error:  # run_test re-raises the app's unhandled exception
            tail = record.journal[-60:]
            raise Crash(f"unhandled {error!r} at {label}; last 60 keys: {tail}") from error
        if exited and app.return_code != 0:
            raise Crash(f"the app exited with {app.return_code}; {record.journal[-60:]}")
        if exited:
            record.restarts += 1  # the palette's Quit: start again, on the same workspace


async def phase(
    monkey: Monkey,
    alphabet: Alphabet,
    rng: random.Random,
    screen_key: str | None,
    opening: tuple[str, ...],
    other: tuple[int, int],
) -> None:
    # the random draws never depend on the app, so the random keys are the seed's alone
    n = rng.randint(*PHASE_KEYS)
    keys = alphabet.draw(rng, n)
    excursions = [rng.random() < EXCURSION for _ in range(0, n, BATCH)]
    fill = rng.random() < FILL
    await monkey.settle()
    if screen_key is not None:
        await monkey.key(screen_key)
        await monkey.pause()  # the mode switches once the screen is there
        info = next(i for i in SCREENS if i.key == screen_key)
        if not monkey.done and monkey.app.current_mode != info.mode:
            monkey.record.missed_screens += 1
    await monkey.press(list(opening))
    await save_what_opened(monkey, fill)
    home = monkey.size
    for index, start in enumerate(range(0, n, BATCH)):
        away = excursions[index]
        if away:
            await monkey.resize(other)
        await monkey.press(keys[start : start + BATCH], random_keys=True)
        if away:
            await monkey.resize(home)


# -- valid input for the forms ---------------------------------------------------------

KIND_OF = {model: kind for kind, model in KINDS.items()}
QUICK_KIND = {prompt: kind for kind, prompt in QUICK_PROMPTS.items()}
# What a field is given, by name, then by kind. None: left as the form shows it (the id
# follows the title; a criterion's range stays, its scores must fit in it; supersedes is
# the form's to set), as are choices, checkboxes and checklists, which hold valid values.
VALID_BY_NAME: dict[str, str | None] = {
    ID_FIELD: None, "supersedes": None, "min": None, "max": None,
    "maturity": "3", "likelihood": "3", "impact": "4", "weight": "2",
    "quarter": "2027-Q2", "version": "2.1",
}  # fmt: skip
VALID_BY_KIND = {
    "text": "Typed by the monkey", "multiline": "Typed by the monkey.\nOn two lines.",
    "lines": "Call the vendor\nReview in May", "number": "1500", "integer": "2",
    "date": "2026-12-01",
}  # fmt: skip


def valid_text(spec: Field) -> str | None:
    """What to type into a field for a valid record; None: leave it as it is."""
    if spec.kind == "needs":  # a need names one of the workspace's capabilities
        return f"{spec.options[0][0]} 2" if spec.options else None
    if spec.name in VALID_BY_NAME:
        return VALID_BY_NAME[spec.name]
    return VALID_BY_KIND.get(spec.kind)


async def type_over(monkey: Monkey, text: str) -> None:
    """Select what the focused field holds and type `text` over it, key by key."""
    widget = monkey.app.focused
    if isinstance(widget, TextArea):
        clear = ("f7", "backspace")  # select all, delete
    elif isinstance(widget, Input):
        clear = ("end", "shift+home", "backspace")
    else:
        return
    for key in (*clear, *("enter" if ch == "\n" else ch for ch in text)):
        await monkey.key(key)


async def fill(monkey: Monkey, form: RecordForm, title: str) -> None:
    """From the first field, type a valid value into each field, tab to the next, up to
    the buttons."""
    first = next((field for field in form.query(FormField) if field.editable), None)
    if first is not None:  # the monkey's own keys may have moved the focus past the title
        first.focus_input()
        await monkey.pause()
    seen: set[FormField] = set()
    while not monkey.done and monkey.app.screen is form:
        focused = monkey.app.focused
        chain = focused.ancestors_with_self if focused is not None else []
        owner = next((node for node in chain if isinstance(node, FormField)), None)
        if owner is None or owner in seen:
            return
        seen.add(owner)
        text = title if owner.spec.name == form.source else valid_text(owner.spec)
        if text is not None:
            await type_over(monkey, text)
        await monkey.key("tab")
        await monkey.pause()  # the keys typed are handled in order: the focus has moved on


def form_errors(form: RecordForm) -> str:
    lines = [str(form.query_one("#form-error").content)]
    lines += [f"{f.spec.name}: {f.error}" for f in form.query(FormField) if f.error]
    return "; ".join(line for line in lines if line)


async def save_what_opened(monkey: Monkey, chance: bool) -> None:
    """A form (or quick add) on screen: fill it with valid values and save it, the first
    time a kind of record opens and when `chance` says so. It must close, the app still
    running, with the record stored as typed."""
    if monkey.done:
        return
    app, screen = monkey.app, monkey.app.screen
    if isinstance(screen, RecordForm):
        kind, label = KIND_OF[screen.model], screen.source
    elif isinstance(screen, QuickAdd):
        kind = QUICK_KIND[screen.prompt]
        label = "title" if kind == "features" else "name"
    else:
        return
    counted = kind if isinstance(screen, RecordForm) else f"quick add: {kind}"
    if monkey.record.saved[counted] and not chance:
        return
    title = f"Monkey {counted} {monkey.record.saved.total() + 1}"
    if isinstance(screen, RecordForm):
        await fill(monkey, screen, title)
        await monkey.key("ctrl+s")
    else:
        await type_over(monkey, title)
        await monkey.key("enter")
    await monkey.pause()
    if monkey.done:
        return  # a crash: run_monkey reports it, with these keys
    if screen in app.screen_stack:
        said = form_errors(screen) if isinstance(screen, RecordForm) else "quick add"
        raise Crash(f"a valid {counted} was not saved: {said}; {monkey.tail()}")
    stored = list(getattr(app.workspace, kind)())  # by its title: the id may be made on save
    if not any(getattr(record, label, None) == title for record in stored):
        near = [getattr(r, label) for r in stored if "Monkey" in str(getattr(r, label, ""))]
        raise Crash(f"{counted} {title!r} is not stored (the monkey's: {near}); {monkey.tail()}")
    monkey.record.saved[counted] += 1


def prepare(tmp_path: Path) -> Path:
    path = make_sample(tmp_path)
    sample = Path(__file__).parent.parent / "sample_workspaces" / "grocery-forecasting.toml"
    (tmp_path / IMPORT_FILE).write_text(export_toml(read_toml(sample)), encoding="utf-8")
    return path


# -- the tests -------------------------------------------------------------------------


def test_the_alphabet_has_every_screens_keys() -> None:
    keys = binding_keys()
    alphabet = Alphabet.build().keys
    for name in ("RoadmapApp", "MapScreen", "ScoreScreen", "RisksScreen", "PoliciesScreen",
                 "DecisionsScreen", "OverviewList", "ConfirmDelete", "ModelPicker",
                 "HelpScreen", "ExportScreen", "ImportScreen", "RecordForm", "ConfirmDiscard",
                 "RiskForm", "ReadinessGrid", "ScoreMatrix", "HeatMap"):  # fmt: skip
        assert keys.get(name), name
    for name, named in keys.items():
        assert set(named) <= alphabet, (name, set(named) - alphabet)
    assert set(GLOBAL_KEYS) <= alphabet
    assert {"escape", "enter", "tab", "shift+tab", *MOVES, "space", "backspace", "delete"} <= (
        alphabet
    )
    assert not NEVER & alphabet


@pytest.mark.monkey
@pytest.mark.timeout(900)  # minutes each: see the module docstring
@pytest.mark.parametrize("name", list(SIZES))
async def test_monkey(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    size = SIZES[name]
    other = next(s for s in SIZES.values() if s != size)
    record = Record()
    path = prepare(tmp_path)
    guard_the_machine(monkeypatch, tmp_path, record)
    spy_on_screens(monkeypatch, record)
    rng = random.Random(f"roadmap-tui monkey {name}")
    began = time.perf_counter()
    await run_monkey(path, size, other, rng, record)
    seconds = time.perf_counter() - began
    total = sum(record.keys_by_size.values())
    reached = sorted(record.reached)
    print(
        f"\nmonkey {name}: {dict(record.keys_by_size)} keys ({record.random_keys} random) "
        f"in {seconds:.1f}s, {total / seconds:.0f} keys/s; restarts {record.restarts}; "
        f"screen keys held by a modal {record.missed_screens}; "
        f"writes refused {len(record.refused_writes)}; screenshots {len(record.delivered)}\n"
        f"saved with valid input: {dict(record.saved)}\n"
        f"reached {len(reached)}: {', '.join(f'{r}×{record.reached[r]}' for r in reached)}"
    )
    assert record.keys_by_size[name] >= KEYS_PER_SIZE
    shown = set(record.reached) | {name.split("(")[0] for name in record.reached}
    assert must_reach() <= shown, must_reach() - shown
    assert set(record.saved) >= SAVED, SAVED - set(record.saved)
    assert workspace_still_opens(path)


def workspace_still_opens(path: Path) -> bool:
    with Workspace.open(path, actor=ACTOR, clock=fixed_clock) as workspace:
        return workspace.info() is not None


# -- replays ---------------------------------------------------------------------------


async def replay(path: Path, size: tuple[int, int], keys: Iterable[str]) -> RoadmapApp:
    """Press `keys` (with PAUSE and "resize:WxH" steps) on a fresh app, as the monkey did.

    run_test raises what the app raised. To reduce a crash: replay the journal's tail
    (record.journal) on a fresh sample, then drop keys while the same error recurs.
    """
    app = app_for(path)
    async with app.run_test(size=size) as pilot:
        for key in keys:
            if key == PAUSE:
                await pilot.pause()
            elif key.startswith("resize:"):
                width, height = (int(n) for n in key.removeprefix("resize:").split("x"))
                await pilot.resize_terminal(width, height)
            else:
                await send(pilot, key)
            if app.return_code is not None:
                break
        await pilot.pause()
    return app


# -- crashes the monkey found: each one's shortest key sequence --------------------------
#
# These fail until src/ is fixed. Each names the keys, the exception and where it is raised.


def app_on_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RoadmapApp:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    return app_for(prepare(tmp_path))


@pytest.mark.parametrize(
    ("keys", "dialog"),
    [
        (("ctrl+o", "~", "1", "enter"), transfer.ImportScreen),
        (("ctrl+e", "home", "~", "x", "enter"), transfer.ExportScreen),
    ],
    ids=["import", "export"],
)
async def test_crash_a_path_naming_an_unknown_users_home(
    keys: tuple[str, ...], dialog: type[Screen], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ctrl+o ~ 1 enter: RuntimeError("Could not determine home directory.").

    Path("~1").expanduser() raises RuntimeError when no user is named "1";
    ImportScreen._preview and ExportScreen._export (screens/transfer.py) call
    expanduser outside their try, and catch only ExchangeError / WorkspaceError.
    The dialog should stay open and say the path cannot be read / written.
    """
    app = app_on_sample(tmp_path, monkeypatch)
    before = set(tmp_path.iterdir())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert app.return_code is None, "the app died"
        assert isinstance(app.screen, dialog)
        assert str(app.screen.query_one("#transfer-message").render()).strip()
    assert set(tmp_path.iterdir()) <= before, "a file was written"


@pytest.mark.parametrize(
    "keys", [("pagedown",), ("pageup",), ("p", "pagedown"), ("p", "pageup")], ids="-".join
)
async def test_crash_page_keys_on_a_list_hidden_by_the_size_notice(
    keys: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 40×12, pagedown on the Overview (or the Policies list): KeyError(0).

    Below 80×24 the size notice hides `.screen-body`, but the focused OptionList
    (#ranked on the Overview, #policy-list on Policies) keeps the focus and its
    bindings. Never laid out, its line map is empty (or stale, after a resize:
    the monkey first saw KeyError(17)), and OptionList._move_page indexes it:
    `self._index_to_line[self.highlighted or 0]` (textual/widgets/_option_list.py).
    """
    app = app_on_sample(tmp_path, monkeypatch)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert app.return_code is None, "the app died"
        assert app.screen.query_one("#too-small").display


async def test_crash_two_enters_at_once_in_the_command_palette(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ctrl+p, "go to map", then enter twice before the palette has closed: ScreenStackError.

    Textual's CommandPalette._select_or_command dismisses the palette on each
    enter without checking it is still the active screen; the second dismiss
    pops the Map screen itself: "Can't pop screen; there must be at least one
    screen on the stack". Pilot.press waits for idle between keys, which hides
    it; a terminal delivers keys as they come (a double tap, or keys typed while
    the app is busy), so here the two enters are queued together. The monkey's
    shortest sequence was ctrl+p down enter enter, one key per screen update.
    """
    app = app_on_sample(tmp_path, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"go to map")
        await pilot.pause(0.3)
        app.post_message(key_event("enter"))
        app.post_message(key_event("enter"))
        await pilot.pause()
        assert app.return_code is None, "the app died"
        assert app.current_mode == "map"


async def test_crash_escape_enter_escape_on_an_edited_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """n 0 on the Map, then escape enter escape, a key per screen update: NoMatches('#keep').

    escape pushes ConfirmDiscard, whose first button (Discard) has the focus
    until its on_mount moves it to Keep editing; the enter lands in between and
    discards. The form's `answered` callback (RecordForm.action_cancel, in
    widgets/form.py) runs after the next escape has pushed a second
    ConfirmDiscard, and its self.dismiss() pops that dialog (Textual pops the top
    screen) before it is composed: its on_mount's query_one("#keep") raises.
    (Even without the crash, escape-enter typed quickly discards the edits,
    though the dialog's default is to keep them.) Pilot.press waits for idle
    between keys and hides it; the monkey's sequence was m delete 1 n 0 escape
    enter escape.
    """
    app = app_on_sample(tmp_path, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "n", "0")
        await pilot.pause()
        for key in ("escape", "enter", "escape"):
            await send(pilot, key)
        await pilot.pause()
        assert app.return_code is None, "the app died"
