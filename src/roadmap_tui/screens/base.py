"""What every workspace screen shares: the nav bar, the too-small notice, the footer, refresh."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Container
from textual.screen import Screen
from textual.widget import Widget

from ..host import Hosted
from ..messages import WorkspaceChanged
from ..widgets.keys_footer import KeysFooter
from ..widgets.navbar import NavBar
from ..widgets.size_notice import SizeNotice
from . import SCREENS

MIN_SIZE = (80, 24)  # the layout reads well from here up (DESIGN.md)

if TYPE_CHECKING:
    from ..scoring import ScoreChange
    from ..state import WorkspaceState


class WorkspaceScreen(Hosted, Screen[None]):
    """A screen of the app. Subclasses compose `compose_body` and fill it in `show`."""

    MODE: ClassVar[str]
    # The kinds of record the screen shows: a change to others does not refill it.
    # None: everything (the default).
    SHOWS: ClassVar[frozenset[str] | None] = None
    _focus_when_fitting: Widget | None = None  # what had the focus before the body was hidden

    def __init__(self) -> None:
        super().__init__()
        self._shown_generation = -1

    @property
    def state(self) -> WorkspaceState:
        return self.roadmap.state

    def compose(self) -> ComposeResult:
        tabs = [(info.mode, info.key, info.title) for info in SCREENS]
        yield NavBar(tabs, self.MODE)  # the workspace's name: when the screen is filled
        with Container(classes="screen-body"):
            yield from self.compose_body()
        yield SizeNotice(*MIN_SIZE)
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.show())
        self.sync_size()
        self._refresh_if_stale()

    def sync_size(self) -> None:
        """Below the minimum size the body is hidden: disable it too, so no key reaches a
        list or grid that has no room to lay out (Textual's page keys fail on those). The
        focus it loses comes back with it, or the next screen key would be typed into the
        first box that takes the focus."""
        body = self.query_one(".screen-body")
        too_small = self.app.has_class("-too-small")
        if too_small and not body.disabled:
            self._focus_when_fitting = self.focused
        body.disabled = too_small
        was = self._focus_when_fitting
        if not too_small and was is not None:
            self._focus_when_fitting = None
            if was.is_attached and self.focused is None:
                self.set_focus(was)

    def color(self, variable: str) -> str:
        """A theme colour for Rich text (DataTable cells), e.g. color("gap-many")."""
        return self.app.theme_variables[variable]

    def on_screen_resume(self) -> None:
        self.sync_size()
        self._refresh_if_stale()

    # Textual restyles every node of a screen it resumes: half of a screen switch's CPU time
    # (36 -> 16 ms at 80x24 on the sample). A change of CSS or theme meanwhile is refreshed by
    # the switch itself (App.switch_mode, by _css_update_count), and a node whose classes,
    # focus or hover change is restyled then, shown or not. The app's own classes and
    # pseudo-classes are kept as well, in case they style a screen in the background.
    # tests/test_screen_resume.py compares the result with Textual's full restyle.
    def _style_context(self) -> tuple[object, ...]:
        app = self.app
        return app._css_update_count, frozenset(app.classes), app.pseudo_classes

    def on_screen_suspend(self) -> None:
        self._suspended_in = self._style_context()

    @on(events.ScreenResume)
    def _restyle_only_if_needed(self, event: events.ScreenResume) -> None:
        # An @on handler: Textual runs it, then on_screen_resume, then Screen's own handler
        # (which restyles); a _on_screen_resume here would hide on_screen_resume.
        if getattr(self, "_suspended_in", None) == self._style_context():
            event.refresh_styles = False

    @on(WorkspaceChanged)
    def _workspace_changed(self, event: WorkspaceChanged) -> None:
        current_before = self._shown_generation == event.generation - 1
        if event.scores is not None and current_before and self.apply_scores(event.scores):
            self._shown_generation = event.generation
        self._refresh_if_stale()

    def apply_scores(self, scores: list[ScoreChange]) -> bool:
        """Apply another session's votes in place, if this screen can; False: reload."""
        return False

    def _refresh_if_stale(self) -> None:
        if self._shown_generation != self.state.generation:
            kinds = self.state.kinds_since(self._shown_generation)
            self._shown_generation = self.state.generation
            if kinds is None or self.SHOWS is None or kinds & self.SHOWS:
                self.show()
            self.show_workspace_name()

    def show_workspace_name(self) -> None:
        self.query_one(NavBar).set_workspace_name(self.state.workspace_name)

    def show(self) -> None:
        """Fill the screen from `self.state`; called on first show and after every change."""

    def select(self, kind: str, id: str) -> None:
        """Put the cursor on a record (a jump from the palette or the overview)."""

    def selection(self) -> dict[str, list[str]]:
        """What is under the cursor, by kind: what a decision recorded here is about."""
        return {}
