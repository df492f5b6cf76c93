"""Work-arounds for Textual 8.2.8: bugs the monkey test found, and CSS parsed in vain.

Each replaces a Textual method for the whole process and reads Textual's private
attributes, so each holds for the pinned version only: tests/test_textual_pin.py
fails when another is installed and says what to re-check. Each patch names the
upstream thread; where none was found, the one that comes closest.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.await_complete import AwaitComplete
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import OptionList

# OptionList._move_page (pageup/pagedown) indexes its line map before the list has been
# laid out: a key that reaches a freshly opened Select dropdown, or a list with no room,
# raises KeyError. Until it is laid out there is no page to move by, so the key does
# nothing. Upstream: not reported to Textual; the same KeyError from a Select's overlay in
# another app: https://github.com/kagan-sh/kagan-legacy/issues/31
_move_page = OptionList._move_page


def _move_page_when_laid_out(self: OptionList, direction: int) -> None:
    if self.highlighted is not None and self.highlighted not in self._index_to_line:
        return
    if self.highlighted is None and 0 not in self._index_to_line:
        return
    _move_page(self, direction)  # type: ignore[arg-type]


OptionList._move_page = _move_page_when_laid_out  # type: ignore[method-assign]


# Screen.dismiss, called twice (two quick keys: enter enter in the palette, escape y in a
# dialog), runs the result callback twice (InvalidStateError) and pops whatever screen is
# on top by then, even the screen under it. A screen that is no longer the active one has
# nothing left to dismiss. Upstream: https://github.com/Textualize/textual/issues/4884
# (open); Textual 0.67 ignored such a dismiss (https://github.com/Textualize/textual/pull/
# 4621) and 8.0 lets it go ahead (https://github.com/Textualize/textual/pull/6362).
_dismiss = Screen.dismiss


def _dismiss_once(self: Screen, result: object = None) -> AwaitComplete:
    if self.is_attached and self.app.screen is self:
        return _dismiss(self, result)
    return AwaitComplete.nothing()


Screen.dismiss = _dismiss_once  # type: ignore[method-assign, assignment]


# App.refresh_css parses every stylesheet source again (Stylesheet.reparse) when a screen is
# shown for the first time and when the theme is set: three times before the first frame
# (the saved theme is set as the first mode opens), and a fourth full parse follows, as
# reparse drops the cache it filled (README, Performance). The parse cache is keyed by all
# that a source's rules depend on except the variables, and cleared when those change;
# while they have not, the cached rules stand and a reparse need only parse new sources.
# Upstream: not reported; the cache is https://github.com/Textualize/textual/pull/3575.
_set_variables = Stylesheet.set_variables


def _set_variables_if_changed(self: Stylesheet, variables: dict[str, str]) -> None:
    if variables != self._variables:
        _set_variables(self, variables)


def _reparse_with_cache(self: Stylesheet) -> None:
    if self._parse_cache:  # filled with the current variables
        self.parse()
        return
    stylesheet = self.copy()  # as Textual does: a failed parse leaves this one as it was
    try:
        stylesheet.parse()
    except Exception:
        self._invalid_css.update(stylesheet._invalid_css)
        raise
    self._rules = stylesheet._rules
    self._rules_map = None
    self._require_parse = False
    self._parse_cache = stylesheet._parse_cache


Stylesheet.set_variables = _set_variables_if_changed  # type: ignore[method-assign]
Stylesheet.reparse = _reparse_with_cache  # type: ignore[method-assign]


# The command palette fills its list in a worker, started as the query changes. A worker
# that runs on after the palette closed (enter on a command, escape) finds its list gone and
# fails with NoMatches, which ends the app (the monkey found it once keys were handled in
# order). A palette no longer shown has nothing left to fill. Upstream: not reported; the
# nearest fix, a traceback from the palette's list: https://github.com/Textualize/textual/
# pull/5544 (Textual 2.0.3).
_gather_commands = CommandPalette._gather_commands.__wrapped__  # under @work


@work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
async def _gather_while_shown(self: CommandPalette, search_value: str) -> None:
    try:
        await _gather_commands(self, search_value)
    except NoMatches:
        if self.is_attached and self.app.screen is self:
            raise


CommandPalette._gather_commands = _gather_while_shown  # type: ignore[method-assign]


# A Timer whose interval is negative never ends: the arithmetic that skips missed ticks counts
# down for ever without yielding, and the app freezes at full CPU (an interval of 0 divides
# by zero there instead). A toast sets its timer from its notification's time left, which is
# negative when a busy machine mounts it after that time ran out: a test run here hung for
# eleven minutes in it, and a loaded SSH host can do the same to a session. The same
# arithmetic drops the only tick of a one-shot timer whose process was preempted for longer
# than its interval between two lines (a toast that never goes). A one-shot timer late is
# still due: it never skips; a repeating one keeps a positive interval. Upstream: not
# reported; the skip arithmetic came with https://github.com/Textualize/textual/pull/1081.
_SOONEST = 0.001  # seconds
_timer_init = Timer.__init__


def _timer_always_due(
    self: Timer,
    event_target: Any,
    interval: float,
    *,
    repeat: int | None = None,
    skip: bool = True,
    **options: Any,
) -> None:
    one_shot = repeat == 0
    interval = max(interval, 0.0 if one_shot else _SOONEST)
    _timer_init(self, event_target, interval, repeat=repeat, skip=skip and not one_shot, **options)


Timer.__init__ = _timer_always_due  # type: ignore[method-assign]
