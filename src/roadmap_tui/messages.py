"""Messages between the app and its screens."""

from __future__ import annotations

from textual.message import Message


class WorkspaceChanged(Message):
    """The workspace changed: by this session (`kinds` names what) or another one (None)."""

    def __init__(self, kinds: frozenset[str] | None = None) -> None:
        super().__init__()
        self.kinds = kinds
