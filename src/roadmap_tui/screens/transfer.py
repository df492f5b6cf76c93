"""Export and import from the app: to a path the user chooses, with a preview before import.

Export never replaces a file without a second, explicit confirmation; the
file is rendered and written in a thread (with a progress indicator) so a big
workspace does not freeze the room. Import reads and checks the whole file
first and shows what it would add, change or leave, or every problem with its
path; apply is then one transaction, all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, LoadingIndicator, Select, Static

from ..errors import ExchangeError, ImportRefused, WorkspaceError
from ..exchange import export_toml, read_toml, write_file
from ..host import Hosted
from ..models import Plan
from ..report import markdown_report
from ..widgets.text import user_text
from ..workspace import ImportSummary

FORMATS = {
    "toml": ("Whole workspace (TOML)", ".toml"),
    "decisions": ("Decisions only (TOML)", "-decisions.toml"),
    "markdown": ("Decision report (Markdown)", "-decisions.md"),
}


NO_PATH = "Enter a file path."
UNKNOWN_HOME = "That path names a home folder this machine does not know."


def typed_path(text: str) -> Path | str:
    """A file path as typed, with ~ expanded and made absolute, or why it names no file.

    An empty path is not "." (which read as "cannot read .: Is a directory", issue 20).
    A relative one is said whole: it is relative to where the app was started, which a
    person in a browser tab or over SSH cannot see ("Wrote plan.toml in ." named no folder).
    """
    if not text.strip():
        return NO_PATH
    try:
        path = Path(text.strip()).expanduser().absolute()
    except RuntimeError:  # "Could not determine home directory"
        return UNKNOWN_HOME
    if path.is_dir():
        return f"{path} is a folder: enter a file path."
    return path


def render(plan: Plan, fmt: str) -> str:
    if fmt == "markdown":
        return markdown_report(plan)
    return export_toml(plan, decisions_only=fmt == "decisions")


class ExportScreen(ModalScreen[Path | None]):
    """Choose what and where; dismisses with the written path."""

    CSS_PATH = "../styles/forms.tcss"

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, workspace_path: Path, read_plan: Callable[[], Plan]) -> None:
        """`read_plan` gives the whole plan, scores included, when the user exports."""
        super().__init__()
        self.workspace_path = workspace_path
        self.read_plan = read_plan
        self._replace: Path | None = None  # the existing file the user agreed to replace

    def compose(self) -> ComposeResult:
        with Vertical(id="transfer-box") as box:
            box.border_title = "Export"
            box.border_subtitle = "enter export · esc cancel"
            options = [(label, key) for key, (label, _) in FORMATS.items()]
            yield Select(options, value="toml", allow_blank=False, id="export-format")
            yield Input(self._default_path("toml"), id="export-path")
            yield Static(id="transfer-message")
            yield LoadingIndicator(id="transfer-progress")
            with Horizontal(id="transfer-buttons"):
                yield Button("Export", id="export", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#transfer-progress").display = False
        self.query_one("#export-path", Input).focus()

    def _default_path(self, fmt: str) -> str:
        suffix = FORMATS[fmt][1]
        return str(self.workspace_path.with_name(self.workspace_path.stem + suffix))

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        self.query_one("#export-path", Input).value = self._default_path(str(event.value))

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._replace = None
        self.query_one("#transfer-message", Static).update("")

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        target = typed_path(self.query_one("#export-path", Input).value)
        if isinstance(target, str):
            self._say(target, error=True)
            return
        if target.exists() and self._replace != target:
            self._replace = target
            self._say(f"{target} exists. Export again to replace it.", error=True)
            return
        fmt = str(self.query_one("#export-format", Select).value)
        self.query_one("#transfer-progress").display = True
        self.query_one("#export", Button).disabled = True
        # Read here, on the app's thread (the store's connection lives there), as it is now.
        self._write(self.read_plan(), target, fmt, force=self._replace == target)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _write(self, plan: Plan, target: Path, fmt: str, *, force: bool) -> None:
        try:
            write_file(target, render(plan, fmt), force=force)
        except ExchangeError as error:
            self.app.call_from_thread(self._failed, "; ".join(error.problems))
        else:
            self.app.call_from_thread(self.dismiss, target)

    def _failed(self, message: str) -> None:
        self.query_one("#transfer-progress").display = False
        self.query_one("#export", Button).disabled = False
        self._say(message, error=True)

    def _say(self, message: str, *, error: bool = False) -> None:
        style = "$error" if error else ""
        self.query_one("#transfer-message", Static).update(user_text(message, style=style))


class ImportScreen(Hosted, ModalScreen[bool]):
    """Preview a TOML file's effect, then apply it all or nothing; dismisses True if applied."""

    CSS_PATH = "../styles/forms.tcss"

    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel")]

    def __init__(self) -> None:
        super().__init__()
        self.plan: Plan | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="transfer-box") as box:
            box.border_title = "Import"
            box.border_subtitle = "enter preview · esc cancel"
            yield Input(placeholder="path of a roadmap-tui TOML file", id="import-path")
            yield Static(id="transfer-message")
            with Horizontal(id="transfer-buttons"):
                yield Button("Preview", id="preview", compact=True)
                yield Button("Apply", id="apply", variant="primary", compact=True, disabled=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    @on(Input.Changed, "#import-path")
    def _path_changed(self) -> None:
        self.plan = None
        self.query_one("#apply", Button).disabled = True

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(False)

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#preview")
    def _preview(self) -> None:
        path = typed_path(self.query_one("#import-path", Input).value)
        message = self.query_one("#transfer-message", Static)
        if isinstance(path, str):
            message.update(user_text(path, style="$error"))
            return
        self.plan = None
        self.query_one("#apply", Button).disabled = True
        try:
            plan = read_toml(path)
            summary = self.roadmap.workspace.apply(plan, dry_run=True)
        except (ExchangeError, ImportRefused) as error:
            message.update(_problems(error.problems))
            return
        except WorkspaceError as error:
            message.update(user_text(str(error), style="$error"))
            return
        self.plan = plan
        message.update(_summary(summary))
        apply = self.query_one("#apply", Button)
        apply.disabled = False
        apply.focus()

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        if self.plan is None:
            return
        plan = self.plan
        if self.roadmap.write(lambda ws: ws.apply(plan)):
            self.dismiss(True)


def _problems(problems: list[str]) -> Content:
    head = Content.styled(
        f"Nothing imported: {len(problems)} problem{'s' if len(problems) != 1 else ''}", "$error"
    )
    shown = [user_text(f"• {line}") for line in problems[:12]]
    if len(problems) > 12:
        shown.append(Content(f"… and {len(problems) - 12} more"))
    return Content("\n").join([head, *shown])


def _summary(summary: ImportSummary) -> Content:
    lines = [Content.styled("The file is valid. Apply would:", "bold")]
    for kind in summary.added:
        added, changed = summary.added[kind], summary.changed[kind]
        same = summary.unchanged[kind]
        if added or changed or same:
            lines.append(
                Content(f"  {kind:<13} {added:>4} added {changed:>4} changed {same:>4} same")
            )
    if summary.workspace_changed:
        lines.append(Content("  and replace the workspace settings with the file's"))
    return Content("\n").join(lines)
