"""The widget's own Rich style, looked up once per style change, for Line API widgets.

`Widget.rich_style` walks the DOM up to the screen to combine backgrounds; a
widget drawing line by line needs it for every line (every blank cell, every
padding), so a redraw after a vote would walk the DOM many times for the same
answer. Textual calls `notify_style_update` on any change that could alter it
(theme, focus, hover, CSS), so that is when the kept style is dropped.
"""

from __future__ import annotations

from rich.style import Style


class KeptStyle:
    """Mix in before the Widget class. Not a Widget itself: Textual takes a widget's
    default CSS from its first DOMNode base, which must stay the real one."""

    _base_style: Style | None = None
    rich_style: Style  # the Widget's

    @property
    def base_style(self) -> Style:
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def notify_style_update(self) -> None:
        self._base_style = None
        super().notify_style_update()  # type: ignore[misc]
