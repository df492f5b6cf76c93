"""RoadmapApp and make_app: the one factory the CLI, the tests and the benchmarks share."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.geometry import Size
from textual.notifications import SeverityLevel

from . import textual_fixes  # noqa: F401 - applied on import
from .collector import IdleCollector
from .commands import WorkspaceCommands
from .errors import WorkspaceError
from .keys_in_order import KeysInOrder
from .messages import WorkspaceChanged
from .safetext import printable
from .screens import KIND_SCREEN, SCREENS
from .screens.base import MIN_SIZE, WorkspaceScreen
from .state import WorkspaceState
from .storage import network_warning
from .themes import DEFAULT_THEME, THEME_NAMES, THEMES, VARIABLE_DEFAULTS
from .voters import CONSENSUS, FACILITATOR
from .widgets.navbar import NavBar
from .workspace import Changes, Clock, Workspace, utc_now

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .models import Decision, Participant
    from .screens.join import Joined

# The help, activity, form and transfer screens are imported by the actions that show
# them: the first frame (the Overview) needs none of them (issue 10, B1).

# What "New …" opens, by kind: the screen's own action, so keys and palette share one path.
NEW_ACTIONS = {
    "features": "new_feature",
    "capabilities": "new_capability",
    "criteria": "new_criterion",
    "risks": "new",
    "policies": "new",
}
QUICK_PROMPTS = {"features": "Feature title:", "capabilities": "Capability name:"}

POLL_SECONDS = 0.5  # how often another session's changes are looked for
HEARTBEAT_SECONDS = 5  # how often this session says it is still here


class RoadmapApp(KeysInOrder, App[None]):
    """The workshop app on one open workspace."""

    TITLE = "roadmap-tui"
    # Each screen loads its own sheet (CSS_PATH) when it is first shown: parsing and
    # matching all eight at start delayed the first frame (README, Performance).
    CSS_PATH = "styles/app.tcss"
    MODES = {info.mode: info.factory() for info in SCREENS}
    # The Overview is the first screen, not a switch from Textual's blank default one, which
    # was built, styled and suspended before the first frame (README, Performance).
    DEFAULT_MODE = "overview"
    COMMANDS = App.COMMANDS | {WorkspaceCommands}
    BINDINGS = [
        *(
            Binding(info.key, f"go('{info.mode}')", info.title, show=False, tooltip=info.what)
            for info in SCREENS
        ),
        Binding("f1", "help", "Help", tooltip="Every key of this screen"),
        Binding("question_mark", "help", "Help", show=False),
        Binding(
            "D",
            "record_decision",
            "Decide",
            key_display="D",
            tooltip="Record a decision about what is selected, with today's numbers",
        ),
        Binding("ctrl+z", "undo", "Undo", tooltip="Undo your last change (not other people's)"),
        Binding(
            "A",
            "activity",
            "Activity",
            show=False,
            key_display="A",
            tooltip="Who changed what and when",
        ),
        Binding("ctrl+y", "redo", "Redo", show=False, tooltip="Redo what you undid"),
        Binding(
            "ctrl+e",
            "export",
            "Export",
            show=False,
            tooltip="Write the workspace or its decisions as TOML, or a Markdown report",
        ),
        Binding(
            "ctrl+o",
            "import",
            "Import",
            show=False,
            tooltip="Preview a TOML file's changes, then apply them all or nothing",
        ),
        Binding("ctrl+t", "next_theme", "Theme", show=False, tooltip="Cycle the app's themes"),
    ]

    def __init__(
        self, workspace: Workspace, *, theme: str | None = None, join: bool = False
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self._join = join  # ask whom this session votes as, when the actor is no participant
        self._voter: str | None = None  # that participant's id, CONSENSUS; None: not yet known
        self.state = WorkspaceState(workspace)
        self._data_version = workspace.data_version()
        self.session = ""  # set on load, when this session joins the workspace
        self.collector = IdleCollector()
        # The theme before the first screen: set on mount, the stylesheet was parsed for
        # Textual's default theme first and again for this one (issue 10, B1).
        for registered in THEMES:
            self.register_theme(registered)
        self.theme = theme or self._saved_theme()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return VARIABLE_DEFAULTS

    def on_load(self) -> None:
        try:
            self.session = self.workspace.join()  # before the first screen, which shows who is here
        except WorkspaceError as error:  # the disk is full: the room works on, unseen by others
            self.call_later(self.tell, str(error), title="Not shown as here", severity="warning")

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._check_size(self.size)
        warning = network_warning(self.workspace.path)
        if warning:
            self.tell(warning, title="Shared file", severity="warning", timeout=30)
        self.set_interval(POLL_SECONDS, self._poll)
        self.set_interval(HEARTBEAT_SECONDS, self._heartbeat)
        self.set_interval(1, self.collector.collect_if_idle)
        self.call_after_refresh(self.collector.start)  # after the first frame
        self.call_after_refresh(self._ask_who_votes)  # the question never delays the first frame

    def _saved_theme(self) -> str:
        saved = self.workspace.preference("theme")
        return saved if saved in self.available_themes else DEFAULT_THEME

    def _remember_theme(self, theme: object) -> None:
        try:
            self.workspace.set_preference("theme", self.theme)
        except WorkspaceError as error:  # busy or the disk full: the theme holds until you quit
            self.tell(str(error), title="Theme not remembered", severity="warning")

    def action_next_theme(self) -> None:
        names = list(THEME_NAMES)
        index = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(index + 1) % len(names)]
        self.tell(f"Theme: {self.theme}", timeout=2)

    # -- who votes -----------------------------------------------------------------------

    @property
    def voter(self) -> str:
        """The participant this session votes as (CONSENSUS: the facilitator), chosen once."""
        if self._voter is None:
            found = self._actor_participant(self.workspace.participants())
            self._voter = found.id if found else CONSENSUS
        return self._voter

    def _actor_participant(self, people: list[Participant]) -> Participant | None:
        # "ana ruiz" or "ANA-RUIZ" is Ana Ruiz: a name typed after --as is not a password
        actor = self.workspace.actor.strip().casefold()
        return next((p for p in people if actor in (p.id, p.name.casefold())), None)

    def _ask_who_votes(self) -> None:
        if self._voter is not None or not self._join:
            return  # not asking: `voter` works it out when first needed, off the first frames
        people = self.workspace.participants()
        found = self._actor_participant(people)
        if found or not people or self.workspace.actor == FACILITATOR:
            self._voter = found.id if found else CONSENSUS
            return
        from .screens.join import JoinScreen

        self.push_screen(JoinScreen(self.workspace.actor, people), self._joined)

    def _joined(self, joined: Joined | None) -> None:
        """The answer; None (escape) is the facilitator, said, since it was not chosen."""
        from .screens.join import newcomer

        if joined is None:
            self._voter = CONSENSUS
            self.tell("You vote as the facilitator (the consensus value)", title="Joined")
            return
        participant = joined.participant
        if joined.new is not None:  # its id again, now: another session may have taken it
            new = newcomer(joined.new.name, self.workspace.participants())
            saved = new is not None and self.write(lambda ws: ws.save(new, base=None))
            participant = new.id if saved and new is not None else CONSENSUS  # refusals are told
        self._voter = participant

    def participant_deleted(self, participant: str) -> None:
        if self._voter == participant:
            self._voter = CONSENSUS
            self.tell("You now vote as the facilitator (the consensus value)", title="Voter")

    def action_participants(self, current: str | None = None) -> None:
        """The participants panel, its cursor on `current` (default: whom you vote as)."""
        from .screens.participants import ParticipantsScreen

        self.push_screen(ParticipantsScreen(self.voter if current is None else current))

    def new_participant(self, then: Callable[[Participant], object] | None = None) -> None:
        """The participant form; `then(participant)` after it is saved."""
        from .screens.participant_form import participant_form

        def saved(participant: Participant | None) -> None:
            if participant is not None:
                self.changed()
                self.tell(f"Added {participant.name}", title="Participant")
                if then is not None:
                    then(participant)

        current = lambda id: self.workspace.get("participants", id)  # noqa: E731
        self.push_screen(participant_form(None, self.workspace.save, current=current), saved)

    # -- adding ---------------------------------------------------------------------------

    def action_new(self, kind: str) -> None:
        """The kind's form: on its screen (switching there), a participant's anywhere."""
        if kind == "participants":
            self.new_participant()
        else:
            self.run_on_screen(KIND_SCREEN[kind], NEW_ACTIONS[kind])

    def run_on_screen(self, mode: str, action: str) -> None:
        """Go to the screen of `mode` and run one of its actions there (the palette's way)."""
        self.action_go(mode)
        screen = self.screen
        screen.call_after_refresh(screen.run_action, action)

    def action_quick_add(self, kind: str) -> None:
        """A feature (by its title) or a capability (by its name) from one line; the cursor
        then goes to it on the screen it was added from."""
        from .ids import NOUN, derive_id
        from .models import Capability, Feature
        from .screens.quick_add import QuickAdd

        workspace, screen = self.workspace, self.screen

        class Stored:  # the store is the truth about which ids are taken, another session's too
            def __contains__(self, id: object) -> bool:
                return workspace.get(kind, str(id)) is not None

        def build(text: str) -> Feature | Capability:
            id = derive_id(text, NOUN[kind], Stored())
            if kind == "features":
                return Feature(id=id, title=text)
            return Capability(id=id, name=text)

        def added(record: Feature | Capability | None) -> None:
            if record is not None:
                self.changed()
                if isinstance(screen, WorkspaceScreen):
                    screen.call_after_refresh(screen.select, kind, record.id)
                name = record.title if isinstance(record, Feature) else record.name
                self.tell(f"Added {name}", title="Added")

        self.push_screen(QuickAdd(QUICK_PROMPTS[kind], build, workspace.save), added)

    # -- navigation -----------------------------------------------------------------------

    def action_go(self, mode: str) -> None:
        if self.current_mode != mode:
            self.switch_mode(mode)

    @on(NavBar.Go)
    def _tab_clicked(self, event: NavBar.Go) -> None:
        self.action_go(event.mode)

    async def action_quit(self) -> None:
        """ctrl+q: with an edited form open anywhere in the stack, ask first (issue 20, bug 8)."""
        from .widgets.form import ConfirmDiscard, editing

        if isinstance(self.screen, ConfirmDiscard):
            return  # already asking
        # Every mode's stack: a form stays open on its screen when another screen is shown.
        if not editing([s for stack in self._screen_stacks.values() for s in stack]):
            self.exit()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.exit()

        self.push_screen(ConfirmDiscard("Discard your changes and quit?"), answered)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def jump(self, kind: str, record_id: str) -> None:
        """Show a record on its screen with the cursor on it."""
        mode = KIND_SCREEN[kind]
        self.action_go(mode)
        screen = self.screen
        if isinstance(screen, WorkspaceScreen):
            screen.call_after_refresh(screen.select, kind, record_id)

    def action_activity(self) -> None:
        from .screens.activity import ActivityScreen

        self.push_screen(ActivityScreen(self.workspace))

    def action_undo(self) -> None:
        self._replay(self.workspace.undo, "Undone", "Nothing of yours to undo")

    def action_redo(self) -> None:
        self._replay(self.workspace.redo, "Redone", "Nothing to redo")

    def _replay(self, step: Callable[[], str | None], done: str, nothing: str) -> None:
        described: list[str | None] = []
        if self.write(lambda ws: described.append(step())):
            self.tell(f"{done}: {described[0]}" if described[0] else nothing)

    def action_record_decision(self) -> None:
        screen = self.screen
        selection = screen.selection() if isinstance(screen, WorkspaceScreen) else {}
        self.record_decision(selection)

    def record_decision(self, prefill: dict[str, object]) -> None:
        """The decision form, prefilled; on save its basis and snapshot are captured once."""
        today = self.workspace.clock().astimezone().date()
        defaults = {"date": today, "outcome": "approved", **prefill}
        self._decision_form(None, defaults)

    def edit_decision(self, decision: Decision) -> None:
        self._decision_form(decision, {})

    def _decision_form(self, decision: Decision | None, defaults: dict[str, object]) -> None:
        from .decisions import capture
        from .screens.decision_form import decision_form

        def save(record: Decision, *, base: Decision | None) -> None:
            if decision is None or record.basis is None:  # recorded now: the numbers now
                record = capture(record, self.state.plan, self.state.evaluation)
            self.workspace.save(record, base=base)

        def saved(record: Decision | None) -> None:
            if record is not None:
                self.changed()
                screen = self.screen
                if isinstance(screen, WorkspaceScreen) and self.current_mode == "decisions":
                    screen.select("decisions", record.id)  # the log shows the new one
                self.tell(f"Recorded: {record.title}", title="Decision")

        current = lambda id: self.workspace.get("decisions", id)  # noqa: E731
        form = decision_form(decision, save, self.state.plan, current=current, defaults=defaults)
        self.push_screen(form, saved)

    def action_export(self) -> None:
        from .screens.transfer import ExportScreen

        def written(path: Path | None) -> None:
            if path is not None:
                # One line: tell() shows a line break in data as ␊ (it is data, a path).
                self.tell(f"Wrote {path.name} in {path.parent}", title="Exported")

        self.push_screen(ExportScreen(self.workspace.path, self.workspace.plan), written)

    def action_import(self) -> None:
        from .screens.transfer import ImportScreen

        def applied(done: bool | None) -> None:
            if done:
                self.tell("Imported: every record is in", title="Imported")

        self.push_screen(ImportScreen(), applied)

    def tell(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> None:
        """A notification whose message is data (paths, names, errors): never markup.

        `title` is the program's own words, never user text.
        """
        self.notify(
            printable(message), title=title, severity=severity, timeout=timeout, markup=False
        )

    # -- size -----------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size)

    def _check_size(self, size: Size) -> None:
        self.set_class(size.width < MIN_SIZE[0] or size.height < MIN_SIZE[1], "-too-small")
        for screen in self.screen_stack:
            if isinstance(screen, WorkspaceScreen) and screen.is_mounted:
                screen.sync_size()

    # -- changes --------------------------------------------------------------------------

    def write(
        self, change: Callable[[Workspace], object], *, refused: str = "Not saved"
    ) -> Changes | None:
        """The one path for an edit: run it on the workspace, then refresh every screen;
        what changed (with any other session's changes since the last look).

        A refusal (a bad reference, a record a decision needs, a busy file) is told
        to the user, titled `refused`, and changes nothing; None then.
        """
        try:
            change(self.workspace)
        except WorkspaceError as error:
            self.tell(str(error), title=refused, severity="error")
            return None
        return self.changed()

    def changed(self) -> Changes:
        """The one path for every change, this session's or another's: reload what the
        audit log says changed since the last look, and tell the active screen."""
        self.collector.busy()
        self._data_version = self.workspace.data_version()
        changes = self.workspace.changes_since(self.state.version)
        self.state.invalidate(changes.kinds, changes.scores)
        self.state.version = changes.version
        self.screen.post_message(WorkspaceChanged(self.state.generation, changes.scores))
        return changes

    def _poll(self) -> None:
        # PRAGMA data_version moves when another connection (another session) commits;
        # only an audited change (not a heartbeat or a preference) reloads the data, and
        # only what it changed: another session's votes are applied one by one (issue 10).
        version = self.workspace.data_version()
        if version != self._data_version:
            self._data_version = version
            if self.workspace.content_version() != self.state.version:
                self.changed()

    def _heartbeat(self) -> None:
        try:
            self.workspace.heartbeat(self.session)
        except WorkspaceError as error:  # busy for 5 s: presence may lag, nothing is lost
            self.log.warning(f"heartbeat skipped: {error}")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.collector.busy()  # someone is typing or pointing: no full collection now
        await super().on_event(event)

    def on_unmount(self) -> None:
        self.collector.stop()
        try:
            with suppress(WorkspaceError):  # gone or damaged: the next start says so
                self.state.keep_overview()
            # the disk full: another session's join sweeps the row (PRESENCE_FORGET_SECONDS)
            with suppress(WorkspaceError):
                if self.session:
                    self.workspace.leave(self.session)
        finally:
            self.workspace.close()


def make_app(
    path: str | Path,
    *,
    actor: str,
    theme: str | None = None,
    clock: Clock = utc_now,
    checked: Future[bool] | None = None,
    join: bool = False,
) -> RoadmapApp:
    """Open the workspace at `path` (raising WorkspaceError if it cannot be) and build the app.

    `checked`: the file's preflight, already under way (Workspace.open). `join`: ask
    whom this session votes as when `actor` is none of the participants (the CLI
    does; tests and benchmarks about something else leave it off, and then vote as
    the actor's participant, else as the facilitator)."""
    workspace = Workspace.open(path, actor=actor, clock=clock, checked=checked)
    return RoadmapApp(workspace, theme=theme, join=join)
