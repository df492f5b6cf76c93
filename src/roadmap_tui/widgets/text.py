"""User text as widgets show it: never markup, never control sequences (DESIGN.md).

Every title, name, rationale or other text that came from a person or a file
reaches the screen through one of these two functions.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from ..safetext import printable


def user_text(text: str, *, multiline: bool = False, style: str = "") -> Content:
    """`text` as literal Content (no markup parsing), control characters made visible."""
    return Content.styled(printable(text, multiline=multiline), style)


def cell(text: str, style: str = "") -> Text:
    """`text` as a DataTable cell: literal Rich Text (DataTable measures Rich text, not Content).

    `style` is a Rich style; theme colours come from the screen's `color()`.
    """
    return Text(printable(text), style=style, no_wrap=True, overflow="ellipsis")
