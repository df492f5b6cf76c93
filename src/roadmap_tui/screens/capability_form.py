"""The capability editor: every field of SPEC section 1."""

from __future__ import annotations

from collections.abc import Callable

from ..models import Capability, CapabilityCategory, choices
from ..widgets.form import RecordForm, Save
from ..widgets.form_values import Field, Item

CAPABILITY_FIELDS: tuple[Item, ...] = (
    Field("name", "Name"),
    Field("id", "Id", help="made from the name; a-z, 0-9, . _ -"),
    Field("category", "Category", "choice", choices=choices(CapabilityCategory)),
    Field("maturity", "Maturity", "integer", help="0 (none) to 4 (fully mature)"),
    Field("owner", "Owner"),
    Field("annual_cost", "Annual cost", "number", help="to run it, per year"),
    Field("upgrade_cost_per_level", "Upgrade cost per level", "number"),
    Field("slo", "SLO", help="e.g. 99.9% of predictions within 200 ms"),
    Field("description", "Description", "multiline"),
)


def capability_form(
    initial: Capability | None,
    on_save: Save[Capability],
    *,
    current: Callable[[str], Capability | None] | None = None,
) -> RecordForm[Capability]:
    """A form for a new capability (`initial` None) or an existing one."""
    title = "New capability" if initial is None else f"Edit capability {initial.id}"
    return RecordForm(title, Capability, CAPABILITY_FIELDS, initial, on_save, current=current)
