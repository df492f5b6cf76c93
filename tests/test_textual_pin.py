"""The app patches Textual and reads its private parts, which hold for the pinned version only.

When this fails, Textual was upgraded (or the pin moved): re-check each item below against
the new version's source, drop a patch whose bug is fixed upstream, then run the monkey
tests (`-m monkey`) and the snapshots before moving the pin in pyproject.toml.
"""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

PYPROJECT = Path(__file__).parent.parent / "pyproject.toml"

RECHECK = """\
textual_fixes.py, patches (each names its upstream thread):
  OptionList._move_page (reads _index_to_line), Screen.dismiss,
  Stylesheet.set_variables and .reparse (read and set _variables, _parse_cache, _rules,
  _rules_map, _require_parse, _invalid_css), CommandPalette._gather_commands (__wrapped__),
  Timer.__init__ (that Timer._run still loops on a negative interval and skips a late one-shot)
private reads elsewhere:
  widgets/kept_style.py: DOMNode._component_styles, and that notify_style_update is called
    on every change of a widget's styles
  widgets/keys_footer.py: textual.widgets._footer.FooterKey, Footer.compose
  widgets/form_fields.py: textual.widgets._toggle_button.ToggleButton.BUTTON_INNER
  keys_in_order.py: Key._sender, Key._stop_propagation, MessagePump._next_callbacks
  app.py: App._screen_stacks
  screens/base.py: Screen._on_screen_resume (its refresh_styles), App._css_update_count, and
    that App.switch_mode refreshes the CSS of a screen whose count is behind
  tests/support.py: Screen._compositor.render_strips (what the screen shows)"""


def pinned_textual() -> str:
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    (pin,) = [d for d in dependencies if d.startswith("textual==")]
    return pin.removeprefix("textual==")


def test_the_installed_textual_is_the_pinned_one() -> None:
    installed, pinned = version("textual"), pinned_textual()
    assert installed == pinned, (
        f"Textual {installed} is installed, {pinned} is pinned: re-check\n{RECHECK}"
    )
