"""Messages between the app and its screens."""

from __future__ import annotations

from textual.message import Message

from .scoring import ScoreChange


class WorkspaceChanged(Message):
    """The workspace changed: `kinds` names what (None: not known).

    `scores`, when another session changed only scores: each changed cell's key and
    value now (None: cleared), so a screen holding scores can apply them one by one.
    `generation` is the state's after the change.
    """

    def __init__(
        self,
        kinds: frozenset[str] | None,
        generation: int,
        scores: list[ScoreChange] | None = None,
    ) -> None:
        super().__init__()
        self.kinds = kinds
        self.generation = generation
        self.scores = scores
