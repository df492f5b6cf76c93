"""The widget's own Rich styles, looked up once per style change, for Line API widgets.

`Widget.rich_style` walks the DOM up to the screen to combine backgrounds; a
widget drawing line by line needs it for every line (every blank cell, every
padding), so a redraw after a vote would walk the DOM many times for the same
answer. Component styles ("score-matrix--cursor") are the same: Textual keeps
them, but drops what it kept at every repaint, so each redrawn line looked them
up again. Textual calls `notify_style_update` on any change that could alter
them (theme, focus, hover, CSS), so that is when the kept styles are dropped.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style


class KeptStyle:
    """Mix in before the Widget class. Not a Widget itself: Textual takes a widget's
    default CSS from its first DOMNode base, which must stay the real one."""

    _base_style: Style | None = None
    _kept_components: dict[str, tuple[Any, Style]] | None = None
    rich_style: Style  # the Widget's
    _component_styles: dict[str, Any]  # the DOMNode's: component class -> its Styles
    get_component_rich_style: Any  # the Widget's

    @property
    def base_style(self) -> Style:
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def component_style(self, name: str) -> Style:
        """`get_component_rich_style(name)`, kept until the styles change.

        Textual makes a new Styles object for each component class whenever it
        applies the stylesheet to the widget, so one that is not the object a
        kept style was made from means the styles were applied again.
        """
        kept = self._kept_components
        if kept is None:
            kept = self._kept_components = {}
        styles = self._component_styles.get(name)
        entry = kept.get(name)
        if entry is None or entry[0] is not styles:
            entry = kept[name] = (styles, self.get_component_rich_style(name))
        return entry[1]

    def notify_style_update(self) -> None:
        self._base_style = None
        self._kept_components = None
        super().notify_style_update()  # type: ignore[misc]
