"""The participants panel: who votes in this workspace, with their votes; add, edit, delete.

Reached from the Score screen (P) and the command palette. Deleting someone who
has voted says how many votes go with them (ConfirmDelete, from
Workspace.references) and deletes only when confirmed.
"""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ..formatting import clip
from ..host import Hosted
from ..messages import WorkspaceChanged
from ..models import Participant
from ..widgets.tables import fill_table
from ..widgets.text import cell
from .confirm_delete import delete_after_asking
from .participant_form import participant_form

NAME_WIDTH, ROLE_WIDTH = 28, 26  # the panel fits 80 columns with the vote count


class ParticipantsScreen(Hosted, ModalScreen[None]):
    CSS_PATH = "../styles/people.tcss"
    BINDINGS = [
        Binding("n", "add", "Add", tooltip="Add a participant"),
        Binding("e,enter", "edit", "Edit", tooltip="Rename or change the role"),
        Binding("X", "delete", "Delete", key_display="X",
                tooltip="Delete the participant (asks first, saying how many votes go too)"),
        Binding("escape,P", "dismiss", "Close"),
    ]  # fmt: skip

    def __init__(self, current: str = "") -> None:
        super().__init__()
        self.current = current  # the cursor starts on this participant (whom you vote as)

    def compose(self) -> ComposeResult:
        with Vertical(id="people-box") as box:
            box.border_title = "Participants"
            box.border_subtitle = "n add · e edit · X delete · esc close"
            yield DataTable[Text](id="people-table", cursor_type="row")
            yield Static(id="people-empty")

    def on_mount(self) -> None:
        self._fill()
        table = self.query_one(DataTable)
        if self.current in table.rows:
            table.move_cursor(row=table.get_row_index(self.current), animate=False)
        table.focus()

    @on(WorkspaceChanged)
    def _changed(self) -> None:
        self._fill()

    def _fill(self) -> None:
        people = self._people()
        votes = Counter(vote[2] for vote in self.roadmap.workspace.votes())
        rows = [
            (
                cell(clip(p.name, NAME_WIDTH)),
                cell(clip(p.role, ROLE_WIDTH)),
                cell(f"{votes[p.id]:>5}"),
            )
            for p in people
        ]
        table = self.query_one(DataTable)
        fill_table(table, ("name", "role", "votes"), rows, [p.id for p in people])
        empty = self.query_one("#people-empty", Static)
        empty.update("" if people else "No participants yet: n adds one.")
        empty.display = not people

    def _people(self) -> list[Participant]:
        return sorted(self.roadmap.state.plan.participants, key=lambda p: (p.name.casefold(), p.id))

    def _selected(self) -> Participant | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((p for p in self._people() if p.id == key), None)

    def action_add(self) -> None:
        self.roadmap.new_participant(self._added)

    def _added(self, participant: Participant) -> None:
        self._fill()  # now, not when the change's message arrives: the cursor goes to it
        table = self.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(participant.id), animate=False)

    def action_edit(self) -> None:
        participant = self._selected()
        if participant is None:
            return
        workspace = self.roadmap.workspace

        def saved(result: Participant | None) -> None:
            if result is not None:
                self.roadmap.changed()

        current = lambda id: workspace.get("participants", id)  # noqa: E731
        self.app.push_screen(participant_form(participant, workspace.save, current=current), saved)

    def action_delete(self) -> None:
        participant = self._selected()
        if participant is None:
            return
        delete_after_asking(
            self,
            "participants",
            participant.id,
            participant.name,
            then=lambda: self.roadmap.participant_deleted(participant.id),
        )
