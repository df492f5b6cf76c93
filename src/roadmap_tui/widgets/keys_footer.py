"""The footer of every screen: Textual's Footer, rebuilt once per burst of binding changes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    """Textual's Footer rebuilds its keys (a recompose) after each change of the bindings,
    and a screen's first show changes them four times in two refreshes: here the changes
    of one refresh share one rebuild, made after the last of them, and only when the keys
    it shows changed: a screen switch or a focus move announces a change of the bindings
    five or six times, most of them to the keys already shown (README, Performance)."""

    _rebuild_due = False
    _shown: object = None  # what the keys were built from

    def compose(self) -> ComposeResult:
        # A FooterKey starts compact and is bound to the footer's `compact` (False) on mount:
        # its class went on and off again, restyling every key twice per rebuild (a tenth of
        # the time a test spends in the app; issue 21). Born with the footer's value, it
        # is styled once, as it mounts.
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuild_due:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_due = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_due = False
        shown = (
            [
                (key, b.binding, b.enabled, b.tooltip)
                for key, b in self.screen.active_bindings.items()
            ],
            self.compact,
            self.show_command_palette,
        )
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
