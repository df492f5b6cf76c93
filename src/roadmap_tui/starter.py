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
