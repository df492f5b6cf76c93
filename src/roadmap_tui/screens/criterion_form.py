"""The criterion editor: name, range, direction and weight."""

from __future__ import annotations

from collections.abc import Callable

from ..models import Criterion
from ..widgets.form import RecordForm, Save
from ..widgets.form_values import Field

CRITERION_FIELDS = (
    Field("name", "Name"),
    Field("id", "Id", help="made from the name; RICE and WSJF need their own ids"),
    Field("weight", "Weight", "number", help="0 leaves it out of the weighted score"),
    Field("min", "Lowest value", "number"),
    Field("max", "Highest value", "number", help="greater than the lowest"),
    Field("higher_is_better", "Higher is better", "bool", help="off for risk, cost, effort"),
)


def criterion_form(
    initial: Criterion | None,
    on_save: Save[Criterion],
    *,
    current: Callable[[str], Criterion | None] | None = None,
) -> RecordForm[Criterion]:
    title = "New criterion" if initial is None else f"Edit criterion {initial.id}"
    return RecordForm(title, Criterion, CRITERION_FIELDS, initial, on_save, current=current)
