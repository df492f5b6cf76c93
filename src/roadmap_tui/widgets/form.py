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
`user_text`; inputs hold the plain string, and `SafeInput` / `SafeTextArea` (form_fields.py)
draw control characters as visible stand-ins so they never reach the terminal.
A field the user did not touch keeps the record's value exactly as it was.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Generic, Protocol

from pydantic import ValidationError
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from ..errors import WorkspaceError
from ..ids import derive_id
from .form_fields import ChecklistField, FormField
from .form_values import (
    ID_FIELD,
    MISSING,
    SOURCE_FIELDS,
    Field,
    Heading,
    Item,
    ParseError,
    Raw,
    T,
    T_contra,
    field_id,
    get_path,
    model_default,
    parse,
    parse_message,
    route_errors,
    set_path,
    to_raw,
)
from .text import user_text


class Save(Protocol[T_contra]):
    """Hands a record to the store (Workspace.save): `base` is the record as the form
    read it, None for a new one, so that a stale save is merged or refused there."""

    def __call__(self, record: T_contra, *, base: T_contra | None) -> object: ...


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
            errors = self._id_taken(record)
        self._show(errors, form_lines)
        if errors or form_lines or record is None:
            return
        try:  # changed by another session since: the store merges what this form changed
            saved = self.on_save(record, base=self._base)
        except WorkspaceError as error:
            self._show({}, [str(error), *self._offer_to_keep_mine(record)])
            return
        self.dismiss(saved if isinstance(saved, self.model) else record)

    def _data(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The model data from the widgets, and the fields whose text cannot be read."""
        data = copy.deepcopy(self._initial_data)
        errors: dict[str, str] = {}
        for field in self._form_fields():
            name, raw = field.spec.name, field.raw
            kept = get_path(self._initial_data, name)
            if field.read_only or (raw == self._pristine.get(name) and kept is not MISSING):
                continue  # untouched: keep the record's value exactly as it was
            if name == ID_FIELD and not str(raw).strip() and self.source:
                raw = self._derive(str(self.query_one(f"#{field_id(self.source)}", FormField).raw))
            try:
                set_path(data, name, parse(field.spec, raw))
            except ParseError as error:
                errors[name] = parse_message(error, self.model, field.spec)
        return data, errors

    def _id_taken(self, record: T) -> dict[str, str]:
        """A new record whose id another record has: said under the id field."""
        if self.current is None or self.initial is not None:
            return {}
        record_id = str(getattr(record, ID_FIELD, ""))
        if self.current(record_id) is None:
            return {}
        return {ID_FIELD: f"there is already a {self.noun} '{record_id}'"}

    def _offer_to_keep_mine(self, record: T) -> list[str]:
        """After the store refused a save as another session changed the same field (or
        deleted the record) since this form read it: a second save writes this form's
        record whole over theirs, once it is said."""
        if self.current is None or self.initial is None:
            return []
        stored = self.current(str(getattr(record, ID_FIELD, "")))
        if stored == self._base:
            return []
        self._base = stored
        return ["or save again to keep your version over theirs (escape leaves the form)"]

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
