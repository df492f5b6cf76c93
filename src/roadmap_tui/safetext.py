"""User text is data: the one place that makes it safe to show (DESIGN.md, "Text is data").

`printable` replaces every C0/C1 control character and DEL with a visible
stand-in, so text from the workspace, an imported file or another user's
session can never send an escape sequence to a terminal. The UI wraps the
result in a Content/Text object, which is never parsed as markup.
"""

from __future__ import annotations

import re

# C0 controls map to their Unicode "control pictures" (ESC -> ␛); DEL -> ␡; C1 -> �.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_KEEPING_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with control characters replaced; `multiline` keeps newlines and tabs."""
    pattern = _CONTROL_KEEPING_LINES if multiline else _CONTROL
    return pattern.sub(_picture, text)
