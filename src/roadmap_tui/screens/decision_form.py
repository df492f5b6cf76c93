"""The decision editor. Basis and snapshot are not fields: they are captured on save."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..models import Decision, Outcome, Plan, choices
from ..widgets.form import RecordForm, Save
from ..widgets.form_values import Field, Heading, Item


def decision_fields(plan: Plan) -> tuple[Item, ...]:
    """The editor's fields: who decided and what it is about are checklists of the workspace."""

    def options(records, label: str) -> tuple[tuple[str, str], ...]:
        return tuple((r.id, getattr(r, label)) for r in records)

    return (
        Field("title", "Decision"),
        Field("id", "Id", help="made from the decision; a-z, 0-9, . _ -"),
        Field("date", "Date", "date"),
        Field("outcome", "Outcome", "choice", choices=choices(Outcome)),
        Field("rationale", "Rationale", "multiline", help="why: the context and the trade-off"),
        Field("decided_by", "Decided by", "list", help="space toggles",
              options=options(plan.participants, "name")),
        Heading("What it is about"),
        Field("features", "Features", "list", options=options(plan.features, "title")),
        Field("capabilities", "Capabilities", "list",
              options=options(plan.capabilities, "name")),
        Field("risks", "Risks", "list", options=options(plan.risks, "title")),
        Field("policies", "Policies", "list", options=options(plan.policies, "title")),
        Field("follow_ups", "Follow-ups", "lines", help="one per line"),
        Field("supersedes", "Supersedes", help="the id of the decision this one replaces"),
    )  # fmt: skip


def decision_form(
    initial: Decision | None,
    on_save: Save[Decision],
    plan: Plan,
    *,
    current: Callable[[str], Decision | None] | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> RecordForm[Decision]:
    title = "Record a decision" if initial is None else f"Edit decision {initial.id}"
    return RecordForm(
        title,
        Decision,
        decision_fields(plan),
        initial,
        on_save,
        current=current,
        defaults=defaults,
    )
