"""User text is data: the one place that makes it safe to show (DESIGN.md, "Text is data").

`printable` replaces every C0/C1 control character and DEL with a visible
stand-in, so text from the workspace, an imported file or another user's
session can never send an escape sequence to a terminal. It also names each
character that changes how the text around it is displayed (SPEC section 1,
Bounds: bidi embeddings, overrides and isolates, zero-width spaces and joiners,
the word joiner, the byte order mark), as ⟨U+202E⟩: a title cannot display as
something else (issue 22). The text itself keeps them: they are data. The UI
wraps the result in a Content/Text object, which is never parsed as markup.
"""

from __future__ import annotations

import re

# C0 controls map to their Unicode "control pictures" (ESC -> ␛); DEL -> ␡; C1 -> �.
_CONTROLS = r"\x00-\x1f\x7f-\x9f"
_CONTROLS_BUT_LINES = r"\x00-\x08\x0b-\x1f\x7f-\x9f"
_DISPLAY_CHANGING = r"\u200b-\u200d\u202a-\u202e\u2060\u2066-\u2069\ufeff"
_SHOWN = re.compile(f"[{_CONTROLS}{_DISPLAY_CHANGING}]")
_SHOWN_KEEPING_LINES = re.compile(f"[{_CONTROLS_BUT_LINES}{_DISPLAY_CHANGING}]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code > 0x9F:
        return f"⟨U+{code:04X}⟩"
    return "\u2421" if code == 0x7F else "\ufffd"


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with control characters replaced and display-changing ones named;
    `multiline` keeps newlines and tabs."""
    pattern = _SHOWN_KEEPING_LINES if multiline else _SHOWN
    return pattern.sub(_picture, text)
