"""The feature editor: every field of SPEC section 1, needs included."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..models import COST_FIELDS, Capability, Feature, FeatureStatus, ValuePoint, choices
from ..widgets.form import RecordForm, Save
from ..widgets.form_values import Field, Heading, Item

COST_LABELS = {
    "data_engineering": "Data engineering",
    "training": "Training",
    "deployment": "Deployment",
    "monitoring": "Monitoring",
    "incident_response": "Incident response",
}


def feature_fields(capabilities: Sequence[Capability] = ()) -> tuple[Item, ...]:
    """The editor's fields; needs name the workspace's `capabilities` (checked on save)."""
    return (
        Field("title", "Title"),
        Field("id", "Id", help="made from the title; a-z, 0-9, . _ -"),
        Field("description", "Description", "multiline"),
        Field("value_point", "Value point", "choice", choices=choices(ValuePoint)),
        Field("objective", "Objective", help="the business goal"),
        Field("uplift_metric", "Uplift metric", help="e.g. weekly waste, conversion"),
        Field("expected_uplift", "Expected uplift", "number", help="per year, in the currency"),
        Field("status", "Status", "choice", choices=choices(FeatureStatus)),
        Field("owner", "Owner"),
        Field("quarter", "Quarter", help="e.g. 2027-Q1, or empty"),
        Field("needs", "Needs", "needs", help="capability and required maturity 0-4",
              options=tuple((c.id, c.name) for c in capabilities)),
        Heading("Annual costs"),
        *(Field(f"costs.{name}", COST_LABELS[name], "number") for name in COST_FIELDS),
    )  # fmt: skip


def feature_form(
    initial: Feature | None,
    on_save: Save[Feature],
    *,
    current: Callable[[str], Feature | None] | None = None,
    capabilities: Sequence[Capability] = (),
) -> RecordForm[Feature]:
    """A form for a new feature (`initial` None) or an existing one."""
    title = "New feature" if initial is None else f"Edit feature {initial.id}"
    fields = feature_fields(capabilities)
    return RecordForm(title, Feature, fields, initial, on_save, current=current)
