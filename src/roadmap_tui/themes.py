"""The app's themes: a dark default, a light one for projectors, and a high-contrast one.

Colours are chosen to stay distinct after Textual reduces them to 256 colours
(OpenSSH does not forward COLORTERM), and status is never told by colour
alone: every coloured state also has a glyph. The semantic variables below are
what screens use in CSS, so a Textual built-in theme picked from the palette
still works (it gets the defaults).
"""

from __future__ import annotations

from textual.theme import Theme

DEFAULT_THEME = "roadmap-dark"

# Semantic colours: readiness gaps (0 / 1 / 2+), risk bands, contested cells; and the
# quiet parts that must still be seen (WCAG 1.4.11, 3:1): the border of a panel without
# the focus, and the box of a checklist item. A mid grey reaches 3:1 on black and on white.
VARIABLE_DEFAULTS = {
    "gap-none": "#3fb950",
    "gap-one": "#d29922",
    "gap-many": "#f85149",
    "band-low": "#3fb950",
    "band-medium": "#d29922",
    "band-high": "#f0883e",
    "band-critical": "#f85149",
    "contested": "#d2a8ff",
    "panel-border": "#808080",  # a panel's or box's border without the focus
    "check-box": "#808080",  # an unticked box (empty); a ticked one is $success with an X
    "check-box-cursor": "#000000",  # any box on the focused cursor row, on the cursor colour
    "nav-current": "#0c2d6b",  # the current tab: its title and its $accent key read on it
}

THEMES: tuple[Theme, ...] = (
    Theme(
        name="roadmap-dark",
        primary="#58a6ff",
        secondary="#a5d6ff",
        accent="#ffa657",
        foreground="#e6edf3",
        background="#0d1117",
        surface="#161b22",
        panel="#21262d",
        success="#3fb950",
        warning="#d29922",
        error="#f85149",
        dark=True,
        variables={
            **VARIABLE_DEFAULTS,
            # Over SSH (256 colours) background, surface and panel all become black:
            # borders and boxes need a grey of their own to be seen at all.
            "panel-border": "#6e7681",
            "check-box": "#b1bac4",
            "check-box-cursor": "#0d1117",
            "nav-current": "#0c2d6b",  # navy (#00005f at 256 colours, where the bar is black)
            "text-disabled": "#8b949e",  # placeholders: 4.5:1 on surface and panel
        },
    ),
    Theme(
        name="roadmap-projector",
        # Projectors wash out pale tints: dark text on white, saturated accents, no greys.
        primary="#0550ae",
        secondary="#0a3069",
        accent="#9c2f00",  # rust: #bc4c00 was 3.9:1 on the panel (nav keys, "Voting as")
        foreground="#000000",
        background="#ffffff",
        surface="#f2f4f7",
        panel="#dde3ea",
        success="#116329",
        warning="#7d4e00",
        error="#a40e26",
        dark=False,
        variables={
            "gap-none": "#116329",
            "gap-one": "#7d4e00",
            "gap-many": "#a40e26",
            "band-low": "#116329",
            "band-medium": "#7d4e00",
            "band-high": "#bc4c00",
            "band-critical": "#a40e26",
            "contested": "#6639ba",
            "footer-key-foreground": "#0a3069",  # primary was 4.48:1 at 256 colours
            "panel-border": "#6e7781",
            "check-box": "#57606a",
            "check-box-cursor": "#000000",
            "nav-current": "#b6d4fe",
            "text-disabled": "#57606a",  # placeholders; the default was 2.7:1
            # A pale cursor keeps coloured text (✓ ready, critical) readable under it.
            "block-cursor-background": "#b6d4fe",
            "block-cursor-foreground": "#000000",
            "block-cursor-blurred-background": "#dde3ea",
        },
    ),
    Theme(
        name="roadmap-contrast",
        primary="#ffff00",
        secondary="#00ffff",
        accent="#ff00ff",
        foreground="#ffffff",
        background="#000000",
        surface="#000000",
        panel="#1c1c1c",
        success="#00ff00",
        warning="#ffff00",
        error="#ff0000",
        dark=True,
        variables={
            "gap-none": "#00ff00",
            "gap-one": "#ffff00",
            "gap-many": "#ff0000",
            "band-low": "#00ff00",
            "band-medium": "#ffff00",
            "band-high": "#ff8700",
            "band-critical": "#ff0000",
            "contested": "#ff00ff",
            "border": "#ffffff",
            "panel-border": "#8a8a8a",
            "check-box": "#ffffff",
            "check-box-cursor": "#000000",
            "nav-current": "#00005f",
            "text-disabled": "#9e9e9e",  # placeholders; the default was 2.95:1 at 256 colours
        },
    ),
)
THEME_NAMES = tuple(theme.name for theme in THEMES)
