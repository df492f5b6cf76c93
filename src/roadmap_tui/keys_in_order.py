"""Keys are handled in the order they were typed, also when they arrive in one burst.

Textual forwards each key to the focused widget as the app reads it. A key that no widget
handles on the way bubbles up, widget by widget, and its binding runs when it reaches the
app; meanwhile the next key, read right behind it, is already handled by the focused
widget. Over SSH keys arrive in bursts: `backspace 2` in a field typed the 2 before the
backspace took it away again, and `tab O k` put "Ok" into the field tab was leaving (issue
20, bug 14; a plain Textual app with two Inputs does the same). So a key waits, posted to
the app's own queue, until the one before it was stopped by a widget or reached the app,
the messages it made on the screen were handled, and any screen it opened is there to
take them. (Enter on the Score matrix posts a message whose handler shows the value
editor and focuses it: the digits typed behind it voted on the matrix instead.)
"""

from __future__ import annotations

import asyncio
from collections import deque
from time import monotonic

from textual import events
from textual.app import App
from textual.screen import Screen

# A key whose widget went away before handling it must not hold the next ones for long;
# a screen is given longer to open: the first visit imports its module.
WAIT_LIMIT = 0.25  # seconds
SCREEN_LIMIT = 5.0


class KeysInOrder(App):
    """An App whose keys are handled one after the other (a mixin for RoadmapApp)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._keys: deque[events.Key] = deque()  # read, waiting for the one before them
        self._key_in_flight: events.Key | None = None
        self._key_done = False  # it reached the app, its bindings have run
        self._key_sent = 0.0
        self._key_screen: Screen | None = None  # the screen when it was sent
        self._settling: Screen | None = None  # a screen opened since, being laid out
        self._settled: Screen | None = None  # and then ready, its focus set
        self._looking_again = False
        self._looks_queued = 0  # _look_again callbacks in the app's queue: not work of a key

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key):
            await super().on_event(event)
        elif event.is_forwarded:  # back at the app: its bindings run now, then it is done
            await super().on_event(event)
            if event is self._key_in_flight:
                self._key_done = True
                await self._send_keys()
        else:
            self._keys.append(event)
            await self._send_keys()

    async def _send_keys(self) -> None:
        while self._keys and not self._waiting():
            key, before = self._keys.popleft(), self.screen
            # Sent by the app, a key is marked stopped as it bubbles from the screen to the
            # app (its sender): stopped must mean a widget took it. Textual is pinned.
            key._sender = None
            await super().on_event(key)
            # Forwarded to a widget; or a priority binding's, run already, that opened a screen
            if key.is_forwarded or self.screen is not before:
                self._key_in_flight, self._key_sent = key, monotonic()
                self._key_done, self._key_screen = not key.is_forwarded, before
        if self._keys and not self._looking_again:
            self._looking_again = True
            await asyncio.sleep(0)  # let the widget handle the key before them
            self._look_again_later()

    def _look_again_later(self) -> None:
        self._looks_queued += 1
        self.call_later(self._look_again)

    async def _look_again(self) -> None:
        self._looks_queued -= 1
        self._looking_again = False
        await self._send_keys()

    def _settle(self, screen: Screen) -> None:
        self._settled = screen
        self._look_again_later()

    def _waiting(self) -> bool:
        key = self._key_in_flight
        if key is None:
            return False
        waited = monotonic() - self._key_sent
        screen = self.screen
        if screen is not self._key_screen and screen is not self._settled and waited < SCREEN_LIMIT:
            # The key opened it (its module may be importing still): the keys behind are
            # for it, once it has its focus, which it sets as it mounts.
            if screen.is_mounted and self._settling is not screen:
                self._settling = screen
                screen.call_after_refresh(self._settle, screen)
            return True
        taken = key._stop_propagation or self._key_done  # by a widget, or its binding ran
        if (taken and not self._busy()) or waited > WAIT_LIMIT:  # or it was lost
            self._key_in_flight = None
            return False
        return True

    def _busy(self) -> bool:
        """Whether a message waits on the way from the focused widget up to the screen (a
        key's messages bubble there) or in the app's queue (Widget.focus goes through it),
        other than this mixin's own."""
        if self.message_queue_size > self._looks_queued or self._next_callbacks:
            return True
        screen = self.screen
        node = screen.focused or screen
        while node is not None and node is not self:  # the app is checked above
            if node.message_queue_size or node._next_callbacks:
                return True
            node = node.parent
        return False
