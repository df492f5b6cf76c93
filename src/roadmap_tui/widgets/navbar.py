"""The bar at the top: one tab per screen with its key, and the workspace's name."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from .text import user_text


class NavTab(Static):
    """A screen's tab; clicking it asks to go there (the key does the same)."""

    def __init__(self, mode: str, key: str, title: str, *, active: bool) -> None:
        label = Content.assemble((key, "bold $accent"), " ", title)
        super().__init__(label, classes="-active" if active else "")
        self.mode = mode

    def on_click(self) -> None:
        self.post_message(NavBar.Go(self.mode))


class NavBar(Horizontal):
    """`tabs`: each screen's (mode, key, title), in order; `active`: the mode shown."""

    class Go(Message):
        """A tab was clicked: the app shows the screen of `mode`."""

        def __init__(self, mode: str) -> None:
            super().__init__()
            self.mode = mode

    def __init__(self, tabs: Sequence[tuple[str, str, str]], active: str) -> None:
        super().__init__()
        self.tabs = tabs
        self.active = active

    def compose(self) -> ComposeResult:
        for mode, key, title in self.tabs:
            yield NavTab(mode, key, title, active=mode == self.active)
        yield Static(id="workspace-name")

    def set_workspace_name(self, name: str) -> None:
        self.query_one("#workspace-name", Static).update(user_text(name))
