"""What a screen or the command palette may ask of the app: the host interface.

Screens and the palette reach the app as `self.roadmap`, typed as `Host`, so
they never import the app (which imports them) and the app's other methods
stay its own. What the app offers as keys (go, help, export, ...) is run as an
action, by name, as a binding runs it; a widget posts a message instead.
`tests/test_host.py` checks that the app has every member, with its signature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel

    from .models import Decision, Participant
    from .state import WorkspaceState
    from .workspace import Changes, Workspace


class Host(Protocol):
    """The app, as its screens and the palette see it (RoadmapApp implements it)."""

    @property
    def workspace(self) -> Workspace: ...

    @property
    def state(self) -> WorkspaceState: ...

    @property
    def session(self) -> str:
        """This session's id in the presence table (Workspace.join)."""
        ...

    @property
    def voter(self) -> str:
        """The participant this session votes as (CONSENSUS: the facilitator)."""
        ...

    def write(
        self, change: Callable[[Workspace], object], *, refused: str = "Not saved"
    ) -> Changes | None:
        """Run one change on the workspace and refresh every screen; what changed, or
        None: refused, and the user told why (in a notice titled `refused`)."""
        ...

    def changed(self) -> Changes:
        """Reload what changed since the last look (after a write made outside `write`)."""
        ...

    def tell(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> None:
        """A notification whose message is data, never markup."""
        ...

    def jump(self, kind: str, record_id: str) -> None:
        """Show a record on its screen with the cursor on it."""
        ...

    def run_on_screen(self, mode: str, action: str) -> None:
        """Go to the screen of `mode` and run one of its actions there."""
        ...

    def record_decision(self, prefill: dict[str, object]) -> None: ...

    def edit_decision(self, decision: Decision) -> None: ...

    def action_participants(self, current: str | None = None) -> None: ...

    def new_participant(self, then: Callable[[Participant], object] | None = None) -> None: ...

    def participant_deleted(self, participant: str) -> None: ...


class _InApp(Protocol):
    @property
    def app(self) -> App[Any]: ...


class Hosted:
    """Mix in before a screen or a palette provider class: `self.roadmap` is its Host."""

    @property
    def roadmap(self: _InApp) -> Host:
        # The one place the app is taken to be a Host: tests/test_host.py checks it is.
        return cast("Host", self.app)
