"""WCAG 2 contrast of colours as a terminal draws them: in truecolor, or in xterm's 256 colours.

Shared by the SSH test (which reads palette indexes back from a real terminal)
and the contrast test (which reads RGB colours from the app and reduces them to
256 colours the way Rich does when COLORTERM is not set, as over SSH).
"""

from __future__ import annotations

from rich.color import Color as RichColor
from rich.color import ColorSystem

# A colour as a terminal is told it: a palette index (0-255) or an RGB triple (truecolor).
PaletteColor = int | tuple[int, int, int]

MIN_TEXT = 4.5  # WCAG 1.4.3 (AA): body text
MIN_UI = 3.0  # WCAG 1.4.11: borders, box outlines, other non-text marks

# xterm's default 16 colours (the app, through Rich, uses 16-255 at 256 colours)
XTERM_BASIC = (
    *(0x000000, 0xCD0000, 0x00CD00, 0xCDCD00, 0x0000EE, 0xCD00CD, 0x00CDCD, 0xE5E5E5),
    *(0x7F7F7F, 0xFF0000, 0x00FF00, 0xFFFF00, 0x5C5CFF, 0xFF00FF, 0x00FFFF, 0xFFFFFF),
)
CUBE_LEVELS = (0, 95, 135, 175, 215, 255)


def rgb(color: PaletteColor | None) -> tuple[int, int, int]:
    """A palette index as xterm draws it (16-231: the 6x6x6 cube; 232-255: greys), or RGB."""
    if isinstance(color, tuple):
        return color
    assert isinstance(color, int), f"a default colour ({color}) cannot be checked"
    if color < 16:
        value = XTERM_BASIC[color]
        return value >> 16, value >> 8 & 0xFF, value & 0xFF
    if color < 232:
        index = color - 16
        return CUBE_LEVELS[index // 36], CUBE_LEVELS[index // 6 % 6], CUBE_LEVELS[index % 6]
    grey = 8 + 10 * (color - 232)
    return grey, grey, grey


def eight_bit(color: tuple[int, int, int]) -> int:
    """The palette index Rich writes for an RGB colour at 256 colours (38;5;N)."""
    number = RichColor.from_rgb(*color).downgrade(ColorSystem.EIGHT_BIT).number
    assert number is not None
    return number


def luminance(color: PaletteColor | None) -> float:
    """WCAG 2 relative luminance."""

    def linear(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = map(linear, rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: PaletteColor | None, b: PaletteColor | None) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def contrasts(fg: tuple[int, int, int], bg: tuple[int, int, int]) -> tuple[float, float]:
    """The contrast of two RGB colours in truecolor and after Rich reduces them to 256 colours."""
    return contrast(fg, bg), contrast(eight_bit(fg), eight_bit(bg))
