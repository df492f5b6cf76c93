"""The footer of every screen: Textual's Footer, rebuilt once per burst of binding changes."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's Footer rebuilds its keys (a recompose, 4-6 ms) after each change of the
    bindings, and a screen's first show changes them four times in two refreshes: here
    the changes of one refresh share one rebuild, made after the last of them (issue 10,
    B1: the footer follows the first frame by ~25 ms instead of ~37)."""

    _rebuild_due = False

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuild_due:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_due = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_due = False
        await self.recompose()
