"""Work-arounds for Textual 8.2.8 bugs that the monkey test found (Textual is pinned).

OptionList._move_page (pageup/pagedown) indexes its line map before the list
has been laid out: a key that reaches a freshly opened Select dropdown, or a
list with no room, raises KeyError. Until it is laid out there is no page to
move by, so the key does nothing.
"""

from __future__ import annotations

import asyncio

from textual.await_complete import AwaitComplete
from textual.screen import Screen
from textual.widgets import OptionList

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
# nothing left to dismiss.
_dismiss = Screen.dismiss


def _dismiss_once(self: Screen, result: object = None) -> AwaitComplete:
    if self.is_attached and self.app.screen is self:
        return _dismiss(self, result)
    return AwaitComplete(asyncio.sleep(0))


Screen.dismiss = _dismiss_once  # type: ignore[method-assign, assignment]
