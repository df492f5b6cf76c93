"""What a screen shows instead of a broken layout when the terminal is too small."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class SizeNotice(Static):
    """Shown (by the app's `-too-small` class) below the minimum size; says what to do."""

    def __init__(self, min_width: int, min_height: int) -> None:
        super().__init__(id="too-small")
        self.min_size = (min_width, min_height)

    def render(self) -> Content:
        width, height = self.screen.size
        min_width, min_height = self.min_size
        return Content(
            f"roadmap-tui needs a terminal of at least {min_width}×{min_height}; "
            f"this one is {width}×{height}.\n\nEnlarge the window or use a smaller font. "
            "ctrl+q quits."
        )
