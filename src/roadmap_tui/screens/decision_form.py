"""The decision editor. Basis and snapshot are not fields: they are captured on save."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..models import Decision, Outcome, choices
from ..widgets.form import Field, Heading, RecordForm

DECISION_FIELDS = (
    Field("id", "Id", help="a-z, 0-9, . _ -; e.g. 2027-q1-forecasting"),
    Field("title", "Decision"),
    Field("date", "Date", "date"),
    Field("outcome", "Outcome", "choice", choices=choices(Outcome)),
    Field("rationale", "Rationale", "multiline", help="why: the context and the trade-off"),
    Field("decided_by", "Decided by", "list", help="participant ids"),
    Heading("What it is about"),
    Field("features", "Features", "list"),
    Field("capabilities", "Capabilities", "list"),
    Field("risks", "Risks", "list"),
    Field("policies", "Policies", "list"),
    Field("follow_ups", "Follow-ups", "lines", help="one per line"),
    Field("supersedes", "Supersedes", help="the id of the decision this one replaces"),
)


def decision_form(
    initial: Decision | None,
    on_save: Callable[[Decision], None],
    *,
    current: Callable[[str], Decision | None] | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> RecordForm[Decision]:
    title = "Record a decision" if initial is None else f"Edit decision {initial.id}"
    return RecordForm(
        title, Decision, DECISION_FIELDS, initial, on_save, current=current, defaults=defaults
    )
