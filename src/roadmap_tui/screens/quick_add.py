"""Quick add: a record from one line (a feature's title, a capability's name).

The caller builds the record from the text (its id derived, SPEC section 1) and
saves it; a bad title or a refused save is said under the line, which stays
open with what was typed. Enter saves, escape cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ..errors import WorkspaceError
from ..models import Record, describe_errors
from ..widgets.form import Save
from ..widgets.form_fields import SafeInput
from ..widgets.text import user_text

R = TypeVar("R", bound=Record)


class QuickAdd(ModalScreen[R | None], Generic[R]):
    """Dismisses with the saved record, or None when cancelled."""

    CSS_PATH = "../styles/people.tcss"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without adding"),
        # Not Input's Submitted message, handled after the keys typed behind enter: those
        # go to the screen under it once this one is gone (keys_in_order).
        Binding("enter", "add", "Add", priority=True),
    ]

    def __init__(self, prompt: str, build: Callable[[str], R], save: Save[R]) -> None:
        super().__init__()
        self.prompt = prompt
        self.build = build
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(id="quick-box") as box:
            box.border_subtitle = "enter add · esc cancel"
            yield Label(self.prompt, id="quick-prompt")
            yield SafeInput(id="quick-input", compact=True)
            yield Label("", id="quick-error")

    def action_add(self) -> None:
        try:
            record = self.build(self.query_one("#quick-input", Input).value.strip())
            self.save(record, base=None)  # always new: a taken id is refused
        except ValidationError as error:
            self._say("\n".join(describe_errors(error)))
        except WorkspaceError as error:
            self._say(str(error))
        else:
            self.dismiss(record)

    def _say(self, message: str) -> None:
        error = self.query_one("#quick-error", Label)
        error.update(user_text(message, multiline=True))
        error.display = True
