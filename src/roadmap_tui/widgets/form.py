"""A small form framework for every record editor: field specs in, a validated record out.

An editor is a list of `Field` specs (and optional `Heading`s) over a pydantic
model. `RecordForm` lays them out (label above input, one column, scrolling),
turns what was typed into the model's data, and validates it with the model
itself, so the rules live in one place (models.py). Nothing reaches the
caller's `on_save` until the record validates; a `WorkspaceError` from
`on_save` is shown in the form, which stays open with everything typed.

Keys: ctrl+s (or the Save button) saves; escape (or Cancel) closes without
saving, first asking "Discard changes?" when a field was edited, so typing is
never lost silently (ctrl+q asks too: `editing`); enter in a one-line field
moves to the next field.

A new record's id is made from its title or name (SPEC section 1, `ids.derive_id`):
the id field follows the title as it is typed until the person edits the id, and
an id left empty is derived on save. Nobody has to type one.

Messages are the app's own words: models.MESSAGES, with the field's kind and bounds.

User text is data (DESIGN.md): labels and read-only values go through
`user_text`; inputs hold the plain string, and `SafeInput` / `SafeTextArea`
draw control characters as visible stand-ins so they never reach the terminal.
A field the user did not touch keeps the record's value exactly as it was.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticUndefined
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets._toggle_button import ToggleButton

from .. import formatting
from ..errors import WorkspaceError
from ..ids import derive_id
from ..models import MATURITY_MAX, Record, SlottedRecord, describe_errors, field_message
from ..safetext import printable
from .text import user_text

FieldKind = Literal[
    "text", "multiline", "number", "integer", "choice", "bool", "date", "list", "lines", "needs"
]
Raw = str | bool  # what a field's widget holds
T = TypeVar("T", bound=Record | SlottedRecord)
T_contra = TypeVar("T_contra", bound=Record | SlottedRecord, contravariant=True)


class Save(Protocol[T_contra]):
    """Hands a record to the store (Workspace.save): `base` is the record as the form
    read it, None for a new one, so that a stale save is merged or refused there."""

    def __call__(self, record: T_contra, *, base: T_contra | None) -> object: ...


ID_FIELD = "id"  # the identity: editable for a new record, read-only afterwards
SOURCE_FIELDS = ("title", "name")  # what a new record's id is made from: the form's first field


@dataclass(frozen=True)
class Field:
    """One model field in a form.

    `name` is the model's field name, dotted for a nested model ("costs.training").
    Kinds: "text" and "multiline" (str), "number" (float; empty = the model's
    default), "integer" (int; empty = default), "choice" (one of `choices`, e.g.
    `models.choices(FeatureStatus)`), "bool", "date" (YYYY-MM-DD; empty = None),
    "list" (comma-separated ids, e.g. a policy's applies_to; with `options` a
    checklist of (id, label) pairs instead), "lines" (one item per line, e.g. a
    decision's follow-ups), "needs" (a feature's needs: "feature-store 3, serving 2",
    checked against `options`, the workspace's capabilities, when there are any).
    """

    name: str
    label: str
    kind: FieldKind = "text"
    help: str = ""
    choices: tuple[str, ...] = ()
    options: tuple[tuple[str, str], ...] = ()  # a "list" field's checklist: (id, label)

    def __post_init__(self) -> None:
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"choice field {self.name!r} needs choices")


@dataclass(frozen=True)
class Heading:
    """A section title between fields ("Annual costs")."""

    text: str


Item = Field | Heading


def field_id(name: str) -> str:
    """The widget id of a field's row: "costs.training" -> "field-costs-training"."""
    return "field-" + name.replace(".", "-")


# -- values: model <-> widget ------------------------------------------------------------------


class _Default:
    """Leave the key out of the data, so the model's default applies."""


DEFAULT = _Default()
_MISSING = object()


class ParseError(ValueError):
    """What was typed cannot be read as the field's kind.

    `group` names the models.MESSAGES row that says so for the field (with its bounds);
    without one, the message itself is shown.
    """

    def __init__(self, message: str = "", *, group: str = "") -> None:
        super().__init__(message)
        self.group = group


def to_raw(kind: FieldKind, value: Any) -> Raw:
    """A model value as its widget shows it."""
    if kind == "bool":
        return bool(value)
    if value is None or value is _MISSING:
        return ""
    if kind == "number":
        return format_number(float(value))
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    if kind == "list":
        return ", ".join(str(v) for v in value)
    if kind == "lines":
        return "\n".join(str(v) for v in value)
    if kind == "needs":
        return ", ".join(f"{n['capability']} {n['required_maturity']}" for n in value)
    return str(value)


def format_number(value: float) -> str:
    """250000.0 -> "250000", 1.5 -> "1.5": what a person would type."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def from_raw(kind: FieldKind, raw: Raw) -> Any:
    """What was typed as the model's data, DEFAULT for "use the default"; raises ParseError."""
    if kind == "bool":
        return bool(raw)
    assert isinstance(raw, str)
    if kind in ("text", "multiline", "choice"):
        return raw
    text = raw.strip()
    if kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    if kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if kind == "needs":
        return parse_needs(text)
    if kind == "date":
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ParseError(group="date") from None
    if not text:
        return DEFAULT
    try:
        number = formatting.typed_number(text)
    except ValueError:
        raise ParseError(group="parse") from None
    if kind == "integer":
        if not number.is_integer():
            raise ParseError(group="parse")
        return int(number)
    return number


NEEDS_FORMAT = "each need is a capability id and a level 0 to 4, e.g. feature-store 3"


def parse_needs(text: str) -> list[dict[str, Any]]:
    """ "feature-store 3, serving 2" as needs; the model checks the ids and levels."""
    needs: list[dict[str, Any]] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        words = part.split()
        if len(words) != 2 or not words[1].isdigit():
            raise ParseError(f"{part!r}: {NEEDS_FORMAT}")
        if any(n["capability"] == words[0] for n in needs):
            raise ParseError(f"names {words[0]!r} twice")
        if int(words[1]) > MATURITY_MAX:
            raise ParseError(f"{part!r}: the level must be 0 to {MATURITY_MAX}")
        needs.append({"capability": words[0], "required_maturity": int(words[1])})
    return needs


def parse(spec: Field, raw: Raw) -> Any:
    """from_raw, and a need's capability checked against the field's options."""
    value = from_raw(spec.kind, raw)
    if spec.kind == "needs" and spec.options:
        known = [option for option, _ in spec.options]
        for need in value:
            if need["capability"] not in known:
                raise ParseError(
                    f"no capability {need['capability']!r}; there are: {', '.join(known)}"
                )
    return value


def parse_message(error: ParseError, model: type, spec: Field) -> str:
    """What to show under a field whose text could not be read."""
    if error.group:
        words = field_message(error.group, spec.kind, model, spec.name.split("."))
        if words is not None:
            return words
    return str(error) or "cannot be read"


def model_default(model: type[Record | SlottedRecord], name: str) -> Any:
    """The model's default for a (dotted) field, or _MISSING for a required one."""
    value: Any = model
    for part in name.split("."):
        if isinstance(value, type) and hasattr(value, "model_fields"):  # a record's class
            info = value.model_fields.get(part)
            if info is None:
                return _MISSING
            value = info.get_default(call_default_factory=True)
            if value is PydanticUndefined:
                return _MISSING
        elif isinstance(value, BaseModel) or dataclasses.is_dataclass(value):  # e.g. Costs
            value = getattr(value, part, _MISSING)
        else:
            return _MISSING
    return value


def get_path(data: dict[str, Any], name: str) -> Any:
    value: Any = data
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def set_path(data: dict[str, Any], name: str, value: Any) -> None:
    """Set a dotted key, creating nested dicts; DEFAULT removes the key."""
    *parents, last = name.split(".")
    for part in parents:
        child = data.get(part)
        if not isinstance(child, dict):
            child = data[part] = {}
        data = child
    if value is DEFAULT:
        data.pop(last, None)
    else:
        data[last] = value


def route_errors(error: ValidationError, names: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Split pydantic's errors into {field name: message} and form-level lines.

    An error whose loc is a field of the form (or lies inside one, like a list
    item or a union member) goes to that field, first message wins; a
    model-level error (loc == ()) or one on a field not in the form goes to the
    form-level lines, with its path.
    """
    by_field: dict[str, str] = {}
    form: list[str] = []
    by_length = sorted(names, key=len, reverse=True)
    for item, line in zip(error.errors(include_url=False), describe_errors(error), strict=True):
        if not item["loc"]:
            form.append(line)
            continue
        path, _, message = line.partition(": ")
        target = next(
            (n for n in by_length if path == n or path.startswith((f"{n}.", f"{n}["))), None
        )
        if target is None:
            form.append(line)
        else:
            by_field.setdefault(target, message)
    return by_field, form


# -- widgets that never send user text to the terminal as control sequences ---------------------


class _Drawn(Text):
    """An Input's value as drawn, styled (cursor, selection) at the value's own positions:
    a character that changes how text displays is drawn as its name, ⟨U+202E⟩, several
    characters wide, so the cursor after it was drawn inside the name (issue 22)."""

    def __init__(self, value: str) -> None:
        drawn = printable(value)
        super().__init__(drawn, no_wrap=True, overflow="ignore", end="")
        # where each character of the value starts in the drawing (None: one for one)
        self._starts = None
        if len(drawn) != len(value):
            self._starts = list(accumulate((len(printable(c)) for c in value), initial=0))

    def _at(self, position: int) -> int:
        starts = self._starts
        if starts is None or position < 0:
            return position
        last = len(starts) - 1  # past the value's end: the cursor's cell, when it is there
        return starts[position] if position <= last else starts[last] + position - last

    def stylize(self, style: str | Style, start: int = 0, end: int | None = None) -> None:
        super().stylize(style, self._at(start), None if end is None else self._at(end))

    def stylize_before(self, style: str | Style, start: int = 0, end: int | None = None) -> None:
        super().stylize_before(style, self._at(start), None if end is None else self._at(end))


class SafeInput(Input):
    """An Input that draws control characters as visible stand-ins (␛ for ESC), and names
    the characters that change how text displays (⟨U+202E⟩).

    The value stays exactly what it was; only the drawing changes, and the cursor,
    the selection and the scrolling follow the drawing. Overrides Input's private
    `_value` and `_position_to_cell` (textual is pinned; tests/test_forms.py checks
    the screen).
    """

    @property
    def _value(self) -> Text:
        return _Drawn(self.value)

    def _position_to_cell(self, position: int) -> int:
        return cell_len(printable(self.value[:position]))

    def _on_paste(self, event: events.Paste) -> None:
        # Input keeps only the first line of a paste, silently: a title pasted from a
        # document lost its second half. Its lines are joined with spaces instead.
        lines = [line.strip() for line in event.text.splitlines()]
        super()._on_paste(events.Paste(" ".join(line for line in lines if line)))
        event.prevent_default()  # not Input's own handler too, with the first line
        event.stop()


class SafeTextArea(TextArea):
    """A TextArea whose lines draw control characters (except tabs) as visible stand-ins."""

    def get_line(self, line_index: int) -> Text:
        line = self.document.get_line(line_index)
        return Text(printable(line, multiline=True), end="", no_wrap=True)


# Textual draws a ticked box and an empty one with the same X, told apart by colour alone;
# without colour (NO_COLOR, a projector) every box read as ticked. Ticked: ✓; empty: blank.
TICKED, EMPTY = "✓", " "


class MarkedCheckbox(Checkbox):
    """A checkbox whose tick shows without colour."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return TICKED if self.value else EMPTY


class MarkedChecklist(SelectionList[str]):
    """A checklist whose ticks show without colour."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        # [left side, box, right side, space, prompt…]; the box's style names its option
        box = segments[1] if len(segments) > 3 else None
        if box is None or box.text != ToggleButton.BUTTON_INNER or box.style is None:
            return strip
        index = box.style.meta.get("option")
        if index is None:
            return strip
        ticked = self.get_option_at_index(index).value in self.selected
        segments[1] = Segment(TICKED if ticked else EMPTY, box.style)
        return Strip(segments, strip.cell_length)


class FormField(Vertical):
    """One field: its label (and help), its input, and its error line (hidden when none)."""

    def __init__(self, spec: Field, raw: Raw, *, read_only: bool = False) -> None:
        super().__init__(id=field_id(spec.name), classes=f"form-field -{spec.kind}")
        self.spec = spec
        self.initial_raw = raw
        self.read_only = read_only
        self._raw_in_error: Raw | None = None

    def compose(self) -> ComposeResult:
        spec, raw = self.spec, self.initial_raw
        if spec.kind != "bool":
            hint = "cannot be changed" if self.read_only else spec.help
            with Horizontal(classes="field-head"):
                yield Label(Content(spec.label), classes="field-label")
                yield Label(Content(hint), classes="field-help")
        yield self._input(spec, raw)
        yield Label("", classes="field-error")

    def _input(self, spec: Field, raw: Raw) -> Widget:
        if self.read_only:
            return Static(user_text(str(raw)), classes="field-input -read-only")
        if spec.kind == "bool":
            return MarkedCheckbox(Content(spec.label), bool(raw), classes="field-input")
        assert isinstance(raw, str)
        if spec.kind in ("multiline", "lines"):
            return SafeTextArea(raw, classes="field-input", compact=True, soft_wrap=True)
        if spec.kind == "choice":
            options = [(user_text(choice), choice) for choice in spec.choices]
            value = raw if raw in spec.choices else spec.choices[0]
            return Select(
                options, value=value, allow_blank=False, compact=True, classes="field-input"
            )
        placeholder = {
            "date": "YYYY-MM-DD",
            "list": "ids, separated by commas",
            "needs": "capability level, …  e.g. feature-store 3",
        }.get(spec.kind, "")
        if spec.name == ID_FIELD:
            placeholder = "made for you, or type one"
        return SafeInput(raw, placeholder=placeholder, compact=True, classes="field-input")

    @property
    def editable(self) -> bool:
        return not self.read_only

    @property
    def raw(self) -> Raw:
        """What the field's widget holds now."""
        widget = self.query_one(".field-input")
        if isinstance(widget, Input):
            return widget.value
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return str(widget.value)
        if isinstance(widget, Checkbox):
            return widget.value
        return self.initial_raw

    @property
    def error(self) -> str:
        """The message shown under the field ("" when none)."""
        return str(self.query_one(".field-error", Label).content)

    def show_error(self, message: str | None) -> None:
        error = self.query_one(".field-error", Label)
        error.update(user_text(message or ""))
        self.set_class(bool(message), "-invalid")
        self._raw_in_error = self.raw if message else None

    def focus_input(self) -> None:
        self.query_one(".field-input").focus()

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _edited(self) -> None:
        # The message stays until the value it is about is changed.
        if self._raw_in_error is not None and self.raw != self._raw_in_error:
            self.show_error(None)


# -- the form ----------------------------------------------------------------------------------


class ConfirmDiscard(ModalScreen[bool]):
    """Escape (or ctrl+q) on an edited form: discard (y) or keep editing (n / escape / enter)."""

    CSS_PATH = "../styles/forms.tcss"

    BINDINGS = [
        Binding("y", "answer(True)", "Discard", tooltip="Close the form, losing the edits"),
        Binding("n,escape", "answer(False)", "Keep editing"),
    ]

    # Keep is focused from the start: an enter typed right after escape keeps the edits.
    AUTO_FOCUS = "#keep"

    def __init__(self, question: str = "Discard your changes?") -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="discard-box") as box:
            box.border_subtitle = "y discard · n keep"
            yield Label(self.question)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Discard", id="discard", variant="error", compact=True)
                yield Button("Keep editing", id="keep", compact=True)

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "discard")


def editing(screens: Sequence[object]) -> bool:
    """Whether an edited form is among `screens` (a screen stack): quitting would lose it."""
    return any(isinstance(screen, RecordForm) and screen.edited for screen in screens)


class ChecklistField(FormField):
    """A "list" field with options, as a checklist; its raw value is the chosen ids.

    An id the record names but the options lack (another session deleted the
    record) stays in the list, chosen and marked, so saving says what is wrong
    instead of dropping it silently.
    """

    def _input(self, spec: Field, raw: Raw) -> Widget:
        chosen = from_raw("list", str(raw))
        known = {value for value, _ in spec.options}
        options = [
            (user_text(f"{label} ({value})"), value, value in chosen)
            for value, label in spec.options
        ]
        options += [
            (user_text(f"{value} (not found)"), value, True)
            for value in chosen
            if value not in known
        ]
        return MarkedChecklist(*options, classes="field-input", compact=True)

    @property
    def raw(self) -> Raw:
        picker: SelectionList[str] = self.query_one(".field-input", SelectionList)
        chosen = set(picker.selected)
        ordered = [picker.get_option_at_index(i).value for i in range(picker.option_count)]
        return ", ".join(value for value in ordered if value in chosen)

    @on(SelectionList.SelectedChanged)
    def _picked(self) -> None:
        self._edited()


class RecordForm(ModalScreen[T | None], Generic[T]):
    """Edit one record of `model`; dismisses with the saved record, or None when cancelled.

    `initial` is the record being edited (None for a new one). Model fields not
    in `items` are kept from `initial`. `on_save(record, base=...)` is called with the
    validated record and does the writing; a WorkspaceError it raises is shown
    at the top and the form stays open. `current(id)`, when given, reads the
    stored record now: a new record's id is derived past the ids it finds taken,
    a taken id typed by hand is refused, and a record another session changed
    (or deleted) since the form opened is only overwritten on a second save,
    after a warning: that save's base is the record the warning was about, so
    the store writes the form's record whole over it (and merges or refuses
    again if it changed once more). Without `current`, the base is `initial`.
    """

    CSS_PATH = "../styles/forms.tcss"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Check the fields and save the record"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving (asks if edited)"),
        # Input answers enter with a Submitted message, handled after the keys typed right
        # behind it; a priority binding moves on at once (issue 20, bug 14; keys_in_order).
        Binding("enter", "next_field", "Next field", show=False, priority=True),
    ]

    def __init__(
        self,
        title: str,
        model: type[T],
        items: Sequence[Item],
        initial: T | None,
        on_save: Save[T],
        *,
        current: Callable[[str], T | None] | None = None,
        defaults: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.defaults = dict(defaults or {})  # a new record's prefilled values, by field name
        self.form_title = title
        self.model = model
        self.items = tuple(items)
        self.initial = initial
        self.on_save = on_save
        self.current = current
        self.noun = model.__name__.lower()
        self._initial_data: dict[str, Any] = initial.model_dump() if initial is not None else {}
        self._pristine: dict[str, Raw] = {}
        self._base = initial  # what the store is told this form's record was made from
        self._asking = False  # the discard question is open
        names = [f.name for f in self.fields]
        sources = [name for name in SOURCE_FIELDS if name in names] if ID_FIELD in names else []
        self.source = sources[0] if sources else None
        self._derived = ""  # the id last made from the title, while the id follows it

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(item for item in self.items if isinstance(item, Field))

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box") as box:
            box.border_title = user_text(self.form_title)
            box.border_subtitle = "ctrl+s save · esc cancel"
            yield Label("", id="form-error")
            with VerticalScroll(id="form-fields", can_focus=False):
                for item in self.items:
                    if isinstance(item, Heading):
                        yield Label(Content(item.text), classes="form-heading")
                    else:
                        yield self._field(item)
            with Horizontal(id="form-buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def _field(self, spec: Field) -> FormField:
        if self.initial is None and spec.name == ID_FIELD and ID_FIELD not in self.defaults:
            value = self._derived = self._derive(str(self.defaults.get(self.source or "", "")))
        elif self.initial is None:
            value = self.defaults.get(spec.name, model_default(self.model, spec.name))
        else:
            value = get_path(self._initial_data, spec.name)
        read_only = spec.name == ID_FIELD and self.initial is not None
        if spec.kind == "list" and spec.options:
            return ChecklistField(spec, to_raw(spec.kind, value))
        return FormField(spec, to_raw(spec.kind, value), read_only=read_only)

    def on_mount(self) -> None:
        self._pristine = self._raws()
        first = next((f for f in self._form_fields() if f.editable), None)
        if first is not None:
            first.focus_input()

    def _form_fields(self) -> Iterator[FormField]:
        yield from self.query(FormField)

    # -- the id, made from the title ---------------------------------------------------------

    def _derive(self, text: str) -> str:
        """The id for `text` past the taken ones; "" for no text (the field shows how)."""
        if not text.strip():
            return ""
        return derive_id(text, self.noun, _Taken(self.current))

    @on(Input.Changed)
    def _follow_title(self, event: Input.Changed) -> None:
        if self.initial is not None or self.source is None or not self.is_mounted:
            return
        owner = event.input.parent
        if not isinstance(owner, FormField) or owner.spec.name != self.source:
            return
        id_input = self.query_one(f"#{field_id(ID_FIELD)} .field-input", Input)
        if id_input.value in ("", self._derived):  # not edited by hand: it follows
            self._derived = self._derive(event.value)
            id_input.value = self._derived

    def _raws(self) -> dict[str, Raw]:
        return {f.spec.name: f.raw for f in self._form_fields()}

    @property
    def edited(self) -> bool:
        """Whether any field differs from what the form opened with."""
        return self._raws() != self._pristine

    # -- saving --------------------------------------------------------------------------------

    def action_save(self) -> None:
        data, errors = self._data()
        record: T | None = None
        form_lines: list[str] = []
        try:
            record = self.model.model_validate(data)
        except ValidationError as error:
            by_field, form_lines = route_errors(error, [f.name for f in self.fields])
            errors = {**by_field, **errors}  # a parse message beats pydantic's for the same field
        id_field = f"#{field_id(ID_FIELD)}"
        if self.source in errors and not str(self.query_one(id_field, FormField).raw).strip():
            errors.pop(ID_FIELD, None)  # made from the title once it has one: one message
        if record is not None and not errors:
            errors, form_lines = self._conflicts(record)
        self._show(errors, form_lines)
        if errors or form_lines or record is None:
            return
        try:
            self.on_save(record, base=self._base)
        except WorkspaceError as error:
            self._show({}, [str(error)])
            return
        self.dismiss(record)

    def _data(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The model data from the widgets, and the fields whose text cannot be read."""
        data = copy.deepcopy(self._initial_data)
        errors: dict[str, str] = {}
        for field in self._form_fields():
            name, raw = field.spec.name, field.raw
            kept = get_path(self._initial_data, name)
            if field.read_only or (raw == self._pristine.get(name) and kept is not _MISSING):
                continue  # untouched: keep the record's value exactly as it was
            if name == ID_FIELD and not str(raw).strip() and self.source:
                raw = self._derive(str(self.query_one(f"#{field_id(self.source)}", FormField).raw))
            try:
                set_path(data, name, parse(field.spec, raw))
            except ParseError as error:
                errors[name] = parse_message(error, self.model, field.spec)
        return data, errors

    def _conflicts(self, record: T) -> tuple[dict[str, str], list[str]]:
        """Another session's record in the way: an id already taken, or a changed record."""
        if self.current is None:
            return {}, []
        record_id = str(getattr(record, ID_FIELD, ""))
        stored = self.current(record_id)
        if self.initial is None:
            if stored is None:
                return {}, []
            return {ID_FIELD: f"there is already a {self.noun} '{record_id}'"}, []
        if stored == self._base:
            return {}, []
        self._base = stored  # warned about: a second save keeps this form's version over it
        what = "deleted" if stored is None else "changed"
        return {}, [
            f"another session {what} this {self.noun} since you opened it: "
            "save again to keep your version, or escape to leave it"
        ]

    def _show(self, errors: dict[str, str], form_lines: list[str]) -> None:
        message = "\n".join(form_lines)
        top = self.query_one("#form-error", Label)
        top.update(user_text(message, multiline=True))
        top.display = bool(message)
        first: FormField | None = None
        for field in self._form_fields():
            field.show_error(errors.get(field.spec.name))
            if first is None and field.spec.name in errors and field.editable:
                first = field
        if first is not None:
            first.focus_input()
        elif form_lines:
            self.query_one("#form-fields").scroll_home(animate=False)

    # -- leaving -------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if self._asking:  # an escape typed before the question showed: it is already asked
            return
        if not self.edited:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            self._asking = False
            if discard:
                self.dismiss(None)

        self._asking = True
        self.app.push_screen(ConfirmDiscard(), answered)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_next_field(self) -> None:
        """enter: in a one-line field, the next field; anywhere else, what enter does there."""
        if not isinstance(self.focused, Input):
            raise SkipAction()
        self.focus_next()


class _Taken:
    """The ids of a kind the store holds, as a container `derive_id` can ask."""

    def __init__(self, current: Callable[[str], object | None] | None) -> None:
        self.current = current

    def __contains__(self, record_id: object) -> bool:
        return self.current is not None and self.current(str(record_id)) is not None
