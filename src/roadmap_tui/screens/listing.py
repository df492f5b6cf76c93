"""A plain, searchable-by-eye list of one or two kinds of record.

The Map, Score, Risks, Policies and Decisions screens start as such lists (so
every record can be reached and selected) until their full screens replace them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Static

from ..state import WorkspaceState
from ..widgets.tables import fill_table
from ..widgets.text import cell
from .base import WorkspaceScreen

TEXT_WIDTH = 40  # long titles are cut so every column stays on screen


def text(field: str) -> Callable[[Any, WorkspaceState], Text]:
    """A column showing one text field of the record, safely."""
    return lambda record, state: cell(str(getattr(record, field))[:TEXT_WIDTH])


@dataclass(frozen=True)
class Column:
    title: str
    cell: Callable[[Any, WorkspaceState], Text]


class ListingScreen(WorkspaceScreen):
    KINDS: ClassVar[Sequence[str]]  # the kinds listed, one table each
    COLUMNS: ClassVar[dict[str, Sequence[Column]]]
    PURPOSE: ClassVar[str]  # what the full screen will do

    def compose_body(self) -> ComposeResult:
        yield Static(Content.styled(self.PURPOSE, "italic $text-muted"), classes="purpose")
        for kind in self.KINDS:
            table: DataTable[Text] = DataTable(id=kind, cursor_type="row", classes="listing")
            table.border_title = kind.capitalize()
            yield table

    def show(self) -> None:
        for kind in self.KINDS:
            records = self.records(kind)
            columns = self.COLUMNS[kind]
            rows = [[column.cell(record, self.state) for column in columns] for record in records]
            fill_table(
                self.query_one(f"#{kind}", DataTable),
                [column.title for column in columns],
                rows,
                [record.id for record in records],
            )

    def records(self, kind: str) -> list[Any]:
        """The records of `kind` in the order the table lists them."""
        return list(getattr(self.state.plan, kind))

    def select(self, kind: str, id: str) -> None:
        table = self.query_one(f"#{kind}", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(id))
