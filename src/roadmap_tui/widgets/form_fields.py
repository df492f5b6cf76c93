"""The widgets of a form field: label, input and message, and inputs that never send user
text to the terminal as control sequences (DESIGN.md, "Text is data").
"""

from __future__ import annotations

from itertools import accumulate

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets._toggle_button import ToggleButton

from ..safetext import printable
from .form_values import ID_FIELD, Field, Raw, field_id, from_raw
from .text import user_text

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
