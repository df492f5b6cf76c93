"""The records of SPEC.md section 1: the one place where fields and validation live.

Every other layer takes and returns these models. Validation errors name the
field and the rule; `describe_errors` turns them into the `path: message` lines
of SPEC.md section 4.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
MAX_TEXT = 20_000


def _slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(
            "must be an id: 1-64 characters of a-z, 0-9, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return value


def _text(value: str) -> str:
    if len(value) > MAX_TEXT:
        raise ValueError(f"must be at most {MAX_TEXT:,} characters (got {len(value):,})")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ValueError("must be valid Unicode (it holds a lone surrogate)")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("is required and cannot be blank")
    return value


def _not_bool(value: Any) -> Any:
    # pydantic's lax mode reads true/false as 1/0; a TOML boolean in a number field is a mistake.
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    return value


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


def _currency(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise ValueError("must be an ISO 4217 currency code such as USD, EUR or GBP")
    return value


def _quarter(value: str) -> str:
    if value and not re.fullmatch(r"\d{4}-Q[1-4]", value):
        raise ValueError('must look like "2027-Q1" (or be empty)')
    return value


Slug = Annotated[str, AfterValidator(_slug)]
OptionalRef = Annotated[str, AfterValidator(lambda v: _slug(v) if v else v)]
Text = Annotated[str, AfterValidator(_text)]
Required = Annotated[str, AfterValidator(_text), AfterValidator(_not_blank)]
Number = Annotated[float, BeforeValidator(_not_bool), AfterValidator(_finite)]
NonNegative = Annotated[float, BeforeValidator(_not_bool), Field(ge=0), AfterValidator(_finite)]
Maturity = Annotated[int, BeforeValidator(_not_bool), Field(ge=0, le=4)]
OneToFive = Annotated[int, BeforeValidator(_not_bool), Field(ge=1, le=5)]

ScoringModel = Literal["weighted", "rice", "wsjf"]
Aggregation = Literal["median", "mean"]
CapabilityCategory = Literal[
    "data-ingestion",
    "feature-store",
    "model-serving",
    "monitoring",
    "governance",
    "experimentation",
    "training",
    "other",
]
ValuePoint = Literal[
    "personalization", "forecasting", "anomaly-detection", "ranking", "automation", "other"
]
FeatureStatus = Literal["proposed", "evaluating", "approved", "deferred", "rejected"]
RiskCategory = Literal[
    "model-risk",
    "data-bias",
    "privacy",
    "drift",
    "security",
    "availability",
    "compliance",
    "other",
]
BusinessMetric = Literal[
    "customer-trust", "conversion", "retention", "revenue", "regulatory", "cost", "brand"
]
RiskStatus = Literal["open", "mitigating", "accepted", "closed"]
PolicyCategory = Literal[
    "data-provenance",
    "feature-lineage",
    "model-versioning",
    "rollback",
    "access-control",
    "privacy",
    "fairness",
    "monitoring",
    "incident-response",
    "other",
]
Outcome = Literal["approved", "deferred", "rejected", "needs-info"]

COST_FIELDS = ("data_engineering", "training", "deployment", "monitoring", "incident_response")
MODEL_CRITERIA: dict[str, tuple[str, ...]] = {
    "rice": ("reach", "impact", "confidence", "effort"),
    "wsjf": ("business_value", "time_criticality", "risk_reduction", "job_size"),
}


def choices(literal: Any) -> tuple[str, ...]:
    """The allowed values of one of the Literal types above, in their declared order."""
    return get_args(literal)


def _unique(values: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"lists {what} '{value}' more than once")
        seen.add(value)


class Record(BaseModel):
    """Base of every record: unknown keys are refused so a typo is never silently lost."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class WorkspaceInfo(Record):
    name: Required
    description: Text = ""
    currency: Annotated[str, AfterValidator(_currency)] = "USD"
    scoring_model: ScoringModel = "weighted"
    aggregation: Aggregation = "median"
    disagreement_threshold: Annotated[
        float, BeforeValidator(_not_bool), Field(ge=0, le=1), AfterValidator(_finite)
    ] = 0.5


class Participant(Record):
    id: Slug
    name: Required
    role: Text = ""


class Capability(Record):
    id: Slug
    name: Required
    category: CapabilityCategory = "other"
    maturity: Maturity = 0
    owner: Text = ""
    annual_cost: NonNegative = 0
    upgrade_cost_per_level: NonNegative = 0
    slo: Text = ""
    description: Text = ""


class Costs(Record):
    data_engineering: NonNegative = 0
    training: NonNegative = 0
    deployment: NonNegative = 0
    monitoring: NonNegative = 0
    incident_response: NonNegative = 0

    @property
    def total(self) -> float:
        return math.fsum(getattr(self, name) for name in COST_FIELDS)


class Need(Record):
    capability: Slug
    required_maturity: Maturity


class Feature(Record):
    id: Slug
    title: Required
    description: Text = ""
    value_point: ValuePoint = "other"
    objective: Text = ""
    uplift_metric: Text = ""
    expected_uplift: NonNegative = 0
    status: FeatureStatus = "proposed"
    owner: Text = ""
    quarter: Annotated[str, AfterValidator(_quarter)] = ""
    costs: Costs = Field(default_factory=Costs)
    needs: list[Need] = Field(default_factory=list)

    @model_validator(mode="after")
    def _needs_unique(self) -> Feature:
        _unique((n.capability for n in self.needs), "capability")
        return self


class Criterion(Record):
    id: Slug
    name: Required
    weight: NonNegative = 1
    min: Number = 1
    max: Number = 5
    higher_is_better: bool = True

    @model_validator(mode="after")
    def _range(self) -> Criterion:
        if not self.max > self.min:
            raise ValueError(f"max ({self.max:g}) must be greater than min ({self.min:g})")
        return self


class Score(Record):
    feature: Slug
    criterion: Slug
    participant: OptionalRef = ""  # "" is the facilitator's consensus value
    value: Number

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.feature, self.criterion, self.participant)


class Risk(Record):
    id: Slug
    title: Required
    category: RiskCategory = "other"
    feature: OptionalRef = ""
    capability: OptionalRef = ""
    likelihood: OneToFive
    impact: OneToFive
    exposure: NonNegative = 0
    affected_metrics: list[BusinessMetric] = Field(default_factory=list)
    business_impact: Text = ""
    mitigation: Text = ""
    owner: Text = ""
    status: RiskStatus = "open"

    @model_validator(mode="after")
    def _metrics_unique(self) -> Risk:
        _unique(self.affected_metrics, "metric")
        return self


class Policy(Record):
    id: Slug
    title: Required
    category: PolicyCategory = "other"
    owner: Text = ""
    version: Text = "1.0"
    review_by: dt.date | None = None
    applies_to: list[Slug] = Field(default_factory=list)
    body: Text = ""

    @model_validator(mode="after")
    def _applies_unique(self) -> Policy:
        _unique(self.applies_to, "capability")
        return self


class Basis(Record):
    """How scores were computed when a decision was recorded (SPEC section 3)."""

    scoring_model: ScoringModel
    aggregation: Aggregation
    weights: dict[Slug, NonNegative] = Field(default_factory=dict)


class SnapshotRow(Record):
    """One linked feature's numbers at the moment a decision was recorded."""

    feature: Slug
    score: Number | None = None
    rank: Annotated[int, Field(ge=1)] | None = None
    roi: Number | None = None
    readiness_gap: Annotated[int, Field(ge=0)] | None = None


class Decision(Record):
    id: Slug
    title: Required
    date: dt.date
    outcome: Outcome
    rationale: Text = ""
    decided_by: list[Slug] = Field(default_factory=list)
    features: list[Slug] = Field(default_factory=list)
    capabilities: list[Slug] = Field(default_factory=list)
    risks: list[Slug] = Field(default_factory=list)
    policies: list[Slug] = Field(default_factory=list)
    follow_ups: list[Text] = Field(default_factory=list)
    supersedes: OptionalRef = ""
    basis: Basis | None = None
    snapshot: list[SnapshotRow] = Field(default_factory=list)

    @model_validator(mode="after")
    def _lists_unique(self) -> Decision:
        for name, noun in (
            ("decided_by", "participant"),
            ("features", "feature"),
            ("capabilities", "capability"),
            ("risks", "risk"),
            ("policies", "policy"),
        ):
            _unique(getattr(self, name), noun)
        if self.supersedes and self.supersedes == self.id:
            raise ValueError("a decision cannot supersede itself")
        return self


class Plan(BaseModel):
    """A whole workspace's content: what the store holds and what a TOML file carries."""

    model_config = ConfigDict(extra="forbid")

    workspace: WorkspaceInfo
    participants: list[Participant] = Field(default_factory=list)
    capabilities: list[Capability] = Field(default_factory=list)
    features: list[Feature] = Field(default_factory=list)
    criteria: list[Criterion] = Field(default_factory=list)
    scores: list[Score] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)


# The entity kinds with an id, in the order of SPEC section 3, with their model.
KINDS: dict[str, type[Record]] = {
    "participants": Participant,
    "capabilities": Capability,
    "features": Feature,
    "criteria": Criterion,
    "risks": Risk,
    "policies": Policy,
    "decisions": Decision,
}


def format_loc(loc: Iterable[str | int]) -> str:
    """('features', 3, 'needs', 0, 'capability') -> 'features[3].needs[0].capability'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def describe_errors(error: ValidationError, prefix: Iterable[str | int] = ()) -> list[str]:
    """One `path: message` line per problem, in the style of SPEC section 4."""
    lines = []
    for item in error.errors(include_url=False):
        loc = [*prefix, *(p for p in item["loc"] if not _is_union_tag(p))]
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        elif item["type"] == "missing":
            message = "required"
        path = format_loc(loc)
        lines.append(f"{path}: {message}" if path else message)
    return lines


def _is_union_tag(part: str | int) -> bool:
    # pydantic inserts the chosen type's name ("float", "int", ...) into locs of Optional fields.
    return isinstance(part, str) and part in {"float", "int", "constrained-int", "function-after"}


def first_error(error: ValidationError) -> str:
    """A single line for a form's field label: the first problem's message."""
    return describe_errors(error)[0]


Label = Callable[[str, int], str]


def index_label(kind: str, index: int) -> str:
    """The default way `check_references` names a record: its place in the plan's list."""
    return f"{kind}[{index}]"


def check_references(plan: Plan, label: Label = index_label) -> list[str]:
    """Every cross-reference problem in `plan`, as `path: message` lines (SPEC section 1).

    Also checks that ids are unique within their kind, that scores fit their
    criterion's range and are unique per (feature, criterion, participant),
    and that the criteria fit the workspace's scoring model. `label(kind, i)`
    names the i-th record of a kind at the start of each line, so an import can
    point into the file's arrays and name records that were already stored.
    """
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    for kind in KINDS:
        seen: set[str] = set()
        for i, record in enumerate(getattr(plan, kind)):
            if record.id in seen:
                problems.append(f"{label(kind, i)}.id: duplicate id '{record.id}'")
            seen.add(record.id)
        ids[kind] = seen

    def ref(path: str, value: str, kind: str, noun: str) -> None:
        if value and value not in ids[kind]:
            problems.append(f"{path}: unknown {noun} '{value}'")

    for i, f in enumerate(plan.features):
        for j, need in enumerate(f.needs):
            ref(
                f"{label('features', i)}.needs[{j}].capability",
                need.capability,
                "capabilities",
                "capability",
            )
    criteria = {c.id: c for c in plan.criteria}
    keys: set[tuple[str, str, str]] = set()
    for i, s in enumerate(plan.scores):
        ref(f"{label('scores', i)}.feature", s.feature, "features", "feature")
        ref(f"{label('scores', i)}.criterion", s.criterion, "criteria", "criterion")
        ref(f"{label('scores', i)}.participant", s.participant, "participants", "participant")
        if s.key in keys:
            problems.append(
                f"{label('scores', i)}: a second score for the same feature, criterion "
                "and participant"
            )
        keys.add(s.key)
        crit = criteria.get(s.criterion)
        if crit and not crit.min <= s.value <= crit.max:
            problems.append(
                f"{label('scores', i)}.value: {s.value:g} is outside {crit.id}'s range "
                f"[{crit.min:g}, {crit.max:g}]"
            )
    for i, r in enumerate(plan.risks):
        ref(f"{label('risks', i)}.feature", r.feature, "features", "feature")
        ref(f"{label('risks', i)}.capability", r.capability, "capabilities", "capability")
    for i, p in enumerate(plan.policies):
        for j, cap in enumerate(p.applies_to):
            ref(f"{label('policies', i)}.applies_to[{j}]", cap, "capabilities", "capability")
    for i, d in enumerate(plan.decisions):
        for field, kind, noun in (
            ("decided_by", "participants", "participant"),
            ("features", "features", "feature"),
            ("capabilities", "capabilities", "capability"),
            ("risks", "risks", "risk"),
            ("policies", "policies", "policy"),
        ):
            for j, value in enumerate(getattr(d, field)):
                ref(f"{label('decisions', i)}.{field}[{j}]", value, kind, noun)
        ref(f"{label('decisions', i)}.supersedes", d.supersedes, "decisions", "decision")
    problems.extend(
        f"workspace.scoring_model: {line}"
        for line in model_problems(plan.workspace.scoring_model, plan.criteria)
    )
    return problems


def model_problems(scoring_model: str, criteria: Iterable[Criterion]) -> list[str]:
    """Why `criteria` do not fit `scoring_model` (SPEC section 2); empty when they do."""
    needed = MODEL_CRITERIA.get(scoring_model, ())
    have = {c.id for c in criteria}
    missing = [c for c in needed if c not in have]
    if not missing:
        return []
    return [
        f"the {scoring_model} model needs criteria {', '.join(needed)}; "
        f"missing: {', '.join(missing)}"
    ]
