"""The bar at the top: one tab per screen with its key, and the workspace's name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from .text import user_text

if TYPE_CHECKING:
    from ..screens import ScreenInfo


class NavTab(Static):
    """A screen's tab; clicking it goes there (the key does the same)."""

    def __init__(self, mode: str, key: str, title: str, *, active: bool) -> None:
        label = Content.assemble((key, "bold $accent"), " ", title)
        super().__init__(label, classes="-active" if active else "")
        self.mode = mode

    def on_click(self) -> None:
        self.app.action_go(self.mode)  # type: ignore[attr-defined]


class NavBar(Horizontal):
    def __init__(self, screens: Sequence[ScreenInfo], active: str) -> None:
        super().__init__()
        self.screens = screens
        self.active = active

    def compose(self) -> ComposeResult:
        for info in self.screens:
            yield NavTab(info.mode, info.key, info.title, active=info.mode == self.active)
        yield Static(id="workspace-name")

    def set_workspace_name(self, name: str) -> None:
        self.query_one("#workspace-name", Static).update(user_text(name))
