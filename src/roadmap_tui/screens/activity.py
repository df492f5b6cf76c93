"""Activity: who changed what and when, newest first, from the audit log."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable

from .. import formatting
from ..widgets.tables import fill_table
from ..widgets.text import cell
from ..workspace import Workspace

ACTIVITY_LIMIT = 200


class ActivityScreen(ModalScreen[None]):
    """The last actions on the workspace, by anyone: when, who, what."""

    CSS_PATH = "../styles/forms.tcss"

    BINDINGS = [Binding("escape,A,q", "dismiss", "Close")]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        with Vertical(id="activity-box") as box:
            box.border_title = "Activity"
            box.border_subtitle = f"the last {ACTIVITY_LIMIT} actions · esc closes"
            yield DataTable(id="activity-log", cursor_type="row")

    def on_mount(self) -> None:
        entries = self.workspace.activity(ACTIVITY_LIMIT)
        rows: list[tuple[Text, ...]] = [
            (
                cell(formatting.when(e.at)),
                cell(e.actor[:24]),
                cell(formatting.describe_changes(e.changes)),
            )
            for e in entries
        ]
        table = self.query_one(DataTable)
        fill_table(table, ("when", "who", "what"), rows, [str(e.action) for e in entries])
        table.focus()
