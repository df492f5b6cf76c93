"""When Python's cyclic garbage collector makes its full passes: while the room is idle.

A full collection scans every live object (Textual's widgets are most of them)
and takes long enough to see (README, Performance). Python starts one whenever
enough objects have outlived two younger collections, so it lands on a random
keystroke: a vote or a screen switch visibly stalls. While the app runs, full
collections are left to `collect_if_idle`, which the app calls on a timer: it
runs one when Python would have (as many younger collections have passed), but
only once nothing has changed for a while, or, in a room that never pauses,
once it has waited a minute, so memory stays bounded. The young generations are
still collected as usual, so short-lived cycles are too.

Start-up builds some 90,000 objects that live as long as the app (modules,
widgets, records) and almost no garbage (about 6,000 objects). Collecting
while it runs delays the first frame, so the CLI runs the app inside `bulk()`,
which pauses the collector, and `start` resumes it after the first frame. What
start-up built is then set aside (`gc.freeze`) until the first idle full
collection, so the young collections after it do not scan it again.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager

IDLE_SECONDS = 5.0  # no change for this long: a pause of a fifth of a second is not seen
LONGEST_WAIT = 60.0  # a due collection runs after this long, idle or not
_NEVER = 1 << 30  # a gen-2 threshold no run reaches


class IdleCollector:
    def __init__(self) -> None:
        self._thresholds = gc.get_threshold()
        self._due_after = self._thresholds[2]  # young collections between full ones
        self._due_since: float | None = None
        self.busy()

    def start(self) -> None:
        """Collections resume (after the first frame); full ones only through collect_if_idle."""
        gc.freeze()  # what start-up built waits for the first full collection
        gc.set_threshold(self._thresholds[0], self._thresholds[1], _NEVER)
        gc.enable()

    def stop(self) -> None:
        gc.unfreeze()
        gc.set_threshold(*self._thresholds)
        gc.enable()

    def busy(self) -> None:
        """Something just changed: the room is not idle."""
        self._last_busy = time.monotonic()

    def collect_if_idle(self) -> bool:
        """A full collection if one is due and nothing changed for IDLE_SECONDS (or it has
        been due for LONGEST_WAIT)."""
        if gc.get_count()[2] < self._due_after:
            self._due_since = None
            return False
        now = time.monotonic()
        if self._due_since is None:
            self._due_since = now
        if now - self._last_busy < IDLE_SECONDS and now - self._due_since < LONGEST_WAIT:
            return False
        gc.unfreeze()
        gc.collect()
        self._due_since = None
        return True


@contextmanager
def bulk() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while many records are built at once.

    Reading, importing or exporting a 10,000-feature workspace allocates a few
    hundred thousand objects that all stay alive; each full collection on the
    way scans them all again (about a third of an export's time). Records hold
    no reference cycles, so reference counting still frees everything that is
    dropped; collection resumes, if it was on, when the block ends. (Textual
    pauses it the same way during smooth scrolling.) The CLI runs the app in one:
    the app resumes collection itself after its first frame (`IdleCollector.start`).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
