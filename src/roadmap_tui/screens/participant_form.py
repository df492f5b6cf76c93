"""The participant editor: name, id and role (SPEC section 1)."""

from __future__ import annotations

from collections.abc import Callable

from ..models import Participant
from ..widgets.form import RecordForm, Save
from ..widgets.form_values import Field

# The name comes first: the id is derived from it (SPEC section 1, "Ids are derived").
PARTICIPANT_FIELDS = (
    Field("name", "Name", help="as the room knows them"),
    Field("id", "Id", help="made from the name; a-z, 0-9, . _ -"),
    Field("role", "Role", help="e.g. ML platform lead"),
)


def participant_form(
    initial: Participant | None,
    on_save: Save[Participant],
    *,
    current: Callable[[str], Participant | None] | None = None,
) -> RecordForm[Participant]:
    """A form for a new participant (`initial` None) or an existing one (rename, new role)."""
    title = "New participant" if initial is None else f"Edit participant {initial.id}"
    return RecordForm(title, Participant, PARTICIPANT_FIELDS, initial, on_save, current=current)
