"""RoadmapApp and make_app: the one factory the CLI, the tests and the benchmarks share."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Footer, Header, Static

from .safetext import printable
from .workspace import Workspace


class RoadmapApp(App[None]):
    """The workshop app on one open workspace."""

    TITLE = "roadmap-tui"

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        info = self.workspace.info()
        counts = self.workspace.counts()
        lines = [printable(info.name), ""]
        lines += [f"{kind:>13}: {count}" for kind, count in counts.items()]
        yield Header()
        yield Static(Content("\n".join(lines)), id="summary")
        yield Footer()

    def on_unmount(self) -> None:
        self.workspace.close()


def make_app(path: str | Path, *, actor: str) -> RoadmapApp:
    """Open the workspace at `path` (raising WorkspaceError if it cannot be) and build the app."""
    return RoadmapApp(Workspace.open(path, actor=actor))
