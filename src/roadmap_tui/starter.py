"""What a new workspace starts with, so a facilitator can score at once."""

from __future__ import annotations

from .models import Criterion

# The readiness criteria ML planning teams score against, plus business value.
STARTER_CRITERIA: tuple[Criterion, ...] = (
    Criterion(id="business_value", name="Business value", weight=3),
    Criterion(id="compliance_readiness", name="Compliance readiness", weight=1),
    Criterion(id="data_availability", name="Data availability", weight=2),
    Criterion(id="model_risk", name="Model risk", weight=1, higher_is_better=False),
    Criterion(id="monitoring_readiness", name="Monitoring readiness", weight=1),
)

# What "add the model's criteria" adds. Weight 0: these models ignore weights, and a
# return to the weighted model is not disturbed by criteria nobody scored for it.
MODEL_PRESETS: dict[str, tuple[Criterion, ...]] = {
    "rice": (
        Criterion(id="reach", name="Reach (people per quarter)", weight=0, min=0, max=1_000_000),
        Criterion(id="impact", name="Impact (0.25 minimal … 3 massive)", weight=0, min=0, max=3),
        Criterion(id="confidence", name="Confidence (%)", weight=0, min=0, max=100),
        Criterion(id="effort", name="Effort (person-months)", weight=0, min=0, max=120,
                  higher_is_better=False),
    ),
    "wsjf": (
        Criterion(id="business_value", name="Business value", weight=0, min=1, max=21),
        Criterion(id="time_criticality", name="Time criticality", weight=0, min=1, max=21),
        Criterion(id="risk_reduction", name="Risk reduction / opportunity", weight=0, min=1,
                  max=21),
        Criterion(id="job_size", name="Job size", weight=0, min=1, max=21,
                  higher_is_better=False),
    ),
}  # fmt: skip
