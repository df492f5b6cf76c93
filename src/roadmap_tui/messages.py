"""Messages between the app and its screens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from .scoring import ScoreChange


class WorkspaceChanged(Message):
    """The workspace changed; `generation` is the state's after the change (which
    kinds changed since a screen was shown: `WorkspaceState.kinds_since`).

    `scores`, when only scores changed: each changed cell's key and value now (None:
    cleared), so a screen holding scores can apply them one by one.
    """

    def __init__(self, generation: int, scores: list[ScoreChange] | None = None) -> None:
        super().__init__()
        self.generation = generation
        self.scores = scores
