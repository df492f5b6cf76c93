"""Who votes in this session: asked once, when the session's name is none of the participants.

The app asks only when the workspace has participants and `--as NAME` (or the
login name) matches none of them by id or name: join as one of them, add
yourself under that name, or act as the facilitator, whose votes are the
consensus value. Escape (None) is the facilitator too, and the app says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..ids import derive_id
from ..models import Participant
from ..voters import CONSENSUS
from ..widgets.text import user_text

# Option ids that no participant id can be (a slug has no "+").
_NEW = "+new"
_FACILITATOR = "+facilitator"


@dataclass(frozen=True)
class Joined:
    """The answer: vote as `participant` ("" the consensus), adding `new` first if given."""

    participant: str
    new: Participant | None = None


def newcomer(name: str, people: Sequence[Participant]) -> Participant | None:
    """`name` as a new participant with a derived id; None when it is no valid name."""
    try:
        pid = derive_id(name, "participant", {p.id for p in people})
        return Participant(id=pid, name=name.strip())
    except ValidationError:
        return None


class JoinScreen(ModalScreen[Joined | None]):
    CSS_PATH = "../styles/people.tcss"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Facilitator",
                tooltip="Act as the facilitator: your votes are the consensus value"),
    ]  # fmt: skip

    def __init__(self, actor: str, people: Sequence[Participant]) -> None:
        super().__init__()
        self.actor = actor
        self.people = list(people)
        self.new = newcomer(actor, people)

    def compose(self) -> ComposeResult:
        with Vertical(id="join-box") as box:
            box.border_title = "Who is voting here?"
            box.border_subtitle = "enter choose · esc facilitator"
            yield Static(
                Content.assemble(
                    "You opened this workspace as ",
                    user_text(self.actor, style="bold"),
                    ", who is none of its participants. Vote as:",
                ),
                id="join-lead",
            )
            yield OptionList(*self._options(), id="join-list")

    def _options(self) -> list[Option]:
        options = [
            Option(
                Content.assemble(
                    user_text(p.name, style="bold"),
                    (" · " if p.role else "", "$text-muted"),
                    user_text(p.role, style="$text-muted"),
                ),
                id=p.id,
            )
            for p in self.people
        ]
        if self.new is not None:
            options.append(
                Option(
                    Content.assemble("+ add me as ", user_text(self.new.name, style="bold")),
                    id=_NEW,
                )
            )
        options.append(Option("the facilitator: my votes are the consensus value", id=_FACILITATOR))
        return options

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option_id
        if chosen == _FACILITATOR:
            self.dismiss(Joined(CONSENSUS))
        elif chosen == _NEW and self.new is not None:
            self.dismiss(Joined(self.new.id, self.new))
        else:
            self.dismiss(Joined(str(chosen)))
