"""Ask before deleting a record: what refers to it, and what the delete does to each.

The dialog only asks; `delete_after_asking` deletes (Workspace.delete, through the app's one
change path) when it returns True.
When a decision (or the scoring model) refers to the record, the workspace refuses
the delete, so the dialog says why and offers only Close.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..host import Host
from ..widgets.text import user_text
from ..workspace import NOUNS

# What deleting the record does to each kind of record that refers to it (Workspace.delete).
CONSEQUENCES: dict[str, str] = {
    "scores": "deleted with it",
    "features": "kept, minus the need for it",
    "risks": "kept, unlinked from it",
    "policies": "kept, no longer applying to it",
    "decisions": "the delete is refused: decisions are history; "
    "edit or delete those decisions first",
    "workspace": "the delete is refused: the scoring model needs it; choose another model first",
}
REFUSING = frozenset({"decisions", "workspace"})  # these refer and the workspace says no
SHOWN_IDS = 3  # ids listed per kind; the rest are counted


def count(kind: str, ids: Sequence[str]) -> str:
    """'3 scores', '1 policy', 'the workspace settings'."""
    if kind == "workspace":
        return "the workspace settings"
    return f"{len(ids)} {NOUNS.get(kind, kind) if len(ids) == 1 else kind}"


def first_ids(ids: Sequence[str]) -> str:
    """'a, b, c and 2 more'."""
    more = f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else ""
    return ", ".join(ids[:SHOWN_IDS]) + more


class ConfirmDelete(ModalScreen[bool]):
    """Delete `noun` `record_id`? True to delete, False to keep (always False when refused).

    `references` is Workspace.references(kind, id): referring kind -> ids.
    """

    CSS_PATH = "../styles/forms.tcss"

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Delete", tooltip="Delete the record"),
        Binding("n,escape", "answer(False)", "Keep", tooltip="Close without deleting"),
    ]

    def __init__(
        self, noun: str, record_id: str, title: str, references: Mapping[str, Sequence[str]]
    ) -> None:
        super().__init__()
        self.noun = noun
        self.record_id = record_id
        self.record_title = title
        self.references = {kind: list(ids) for kind, ids in references.items() if ids}
        self.refused = any(kind in REFUSING for kind in self.references)

    def compose(self) -> ComposeResult:
        with Vertical(id="delete-box") as box:
            box.border_title = user_text(f"Delete {self.noun} {self.record_id}?")
            box.border_subtitle = "esc close" if self.refused else "y delete · n keep"
            yield Static(user_text(self.record_title), id="delete-title")
            yield Static(self._lead(), classes="delete-lead")
            for kind, ids in self.references.items():
                if self.refused and kind not in REFUSING:
                    continue  # nothing happens to them: the delete is refused
                what = f"• {count(kind, ids)} → {CONSEQUENCES.get(kind, 'changed')}"
                yield Static(user_text(what), classes=f"delete-kind -{kind}")
                yield Static(user_text(first_ids(ids)), classes="delete-ids")
            with Horizontal(classes="dialog-buttons"):
                if self.refused:
                    yield Button("Close", id="close", compact=True)
                else:
                    yield Button("Delete", id="delete", variant="error", compact=True)
                    yield Button("Keep", id="keep", compact=True)

    def _lead(self) -> Content:
        if self.refused:
            return user_text(f"This {self.noun} cannot be deleted:")
        if self.references:
            return user_text(f"Deleting this {self.noun} changes what refers to it:")
        return user_text(f"Nothing refers to this {self.noun}.")

    def on_mount(self) -> None:
        self.query_one("#close" if self.refused else "#delete", Button).focus()

    def action_answer(self, delete: bool) -> None:
        self.dismiss(delete and not self.refused)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "delete")


class _HostedScreen(Protocol):
    @property
    def app(self) -> App[Any]: ...

    @property
    def roadmap(self) -> Host: ...


def delete_after_asking(
    screen: _HostedScreen,
    kind: str,
    record_id: str,
    title: str,
    then: Callable[[], object] | None = None,
) -> None:
    """Ask before deleting a record of `kind`, naming what refers to it; delete it if the
    answer is yes, then run `then` once the delete went through."""
    host = screen.roadmap
    references = host.workspace.references(kind, record_id)

    def answered(delete: bool | None) -> None:
        if delete and host.write(lambda ws: ws.delete(kind, record_id)) and then is not None:
            then()

    screen.app.push_screen(ConfirmDelete(NOUNS[kind], record_id, title, references), answered)
