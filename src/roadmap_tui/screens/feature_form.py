"""The feature editor: every field of SPEC section 1 except needs (edited on the Map grid)."""

from __future__ import annotations

from collections.abc import Callable

from ..models import COST_FIELDS, Feature, FeatureStatus, ValuePoint, choices
from ..widgets.form import Field, Heading, Item, RecordForm

COST_LABELS = {
    "data_engineering": "Data engineering",
    "training": "Training",
    "deployment": "Deployment",
    "monitoring": "Monitoring",
    "incident_response": "Incident response",
}

FEATURE_FIELDS: tuple[Item, ...] = (
    Field("id", "Id", help="a-z, 0-9, . _ -; e.g. demand-forecast"),
    Field("title", "Title"),
    Field("description", "Description", "multiline"),
    Field("value_point", "Value point", "choice", choices=choices(ValuePoint)),
    Field("objective", "Objective", help="the business goal"),
    Field("uplift_metric", "Uplift metric", help="e.g. weekly waste, conversion"),
    Field("expected_uplift", "Expected uplift", "number", help="per year, in the currency"),
    Field("status", "Status", "choice", choices=choices(FeatureStatus)),
    Field("owner", "Owner"),
    Field("quarter", "Quarter", help="e.g. 2027-Q1, or empty"),
    Heading("Annual costs"),
    *(Field(f"costs.{name}", COST_LABELS[name], "number") for name in COST_FIELDS),
)


def feature_form(
    initial: Feature | None,
    on_save: Callable[[Feature], None],
    *,
    current: Callable[[str], Feature | None] | None = None,
) -> RecordForm[Feature]:
    """A form for a new feature (`initial` None) or an existing one; its needs are kept."""
    title = "New feature" if initial is None else f"Edit feature {initial.id}"
    return RecordForm(title, Feature, FEATURE_FIELDS, initial, on_save, current=current)
