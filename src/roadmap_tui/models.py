"""The records of SPEC.md section 1: the one place where fields and validation live.

Every other layer takes and returns these models. Validation errors name the
field and the rule; `describe_errors` turns them into the `path: message` lines
of SPEC.md section 4.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    dataclasses,
    model_validator,
)

from .formatting import plain
from .voters import CONSENSUS

# The id rule of SPEC section 1. Checked by pydantic-core's Rust regex (where `$` is the end of
# the text, so an id with a trailing newline is refused, as the rule says).
SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"
OPTIONAL_SLUG_PATTERN = r"^(?:[a-z0-9][a-z0-9._-]{0,63})?$"  # an id or ""
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}\Z")  # the same rule, for Python code
MAX_TEXT = 20_000
MAX_BODY = 200_000  # a policy body: a whole document (SPEC section 1, Bounds)

# The messages of the rules. The rules run inside pydantic-core (in Rust) where it can check
# them, because a 10,000-feature import validates hundreds of thousands of fields; pydantic's
# error types are turned back into these messages by `describe_errors`.
SLUG_MESSAGE = (
    "must be an id: 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"
)
SURROGATE_MESSAGE = "must be valid Unicode (it holds a lone surrogate)"
FINITE_MESSAGE = "must be a finite number"


def _too_long(length: int, limit: int) -> str:
    return f"must be at most {limit:,} characters (got {length:,})"


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("is required and cannot be blank")
    return value


TITLE_MAX = 200  # a title or name: one line of 1 to 200 characters after trimming (SPEC §1)
LINE_BREAK = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # str.splitlines' breaks


def _title(value: str) -> str:
    # A title fills one line of a list, a dialog or a report: 5,000 characters pushed the
    # delete dialog's buttons off screen (issue 20, bug 11).
    text = _not_blank(value).strip()
    if LINE_BREAK.search(value):
        raise ValueError("must be one line (no line breaks)")
    if len(text) > TITLE_MAX:
        raise ValueError(f"must be at most {TITLE_MAX} characters (got {len(text):,})")
    return value


def _not_bool(value: Any) -> Any:
    # pydantic's lax mode reads true/false as 1/0; a TOML boolean in a number field is a mistake.
    if type(value) is bool:
        raise ValueError("must be a number, not true/false")
    return value


def _currency(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise ValueError("must be an ISO 4217 currency code such as USD, EUR or GBP")
    return value


def _quarter(value: str) -> str:
    if value and not re.fullmatch(r"\d{4}-Q[1-4]", value):
        raise ValueError('must look like "2027-Q1" (or be empty)')
    return value


# A pattern or a max_length makes pydantic-core read the text as UTF-8, which refuses a lone
# surrogate (error type string_unicode); tests/test_model_rules.py checks that this holds.
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
OptionalRef = Annotated[str, Field(pattern=OPTIONAL_SLUG_PATTERN)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Body = Annotated[str, Field(max_length=MAX_BODY)]
Required = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_not_blank)]
Title = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_title)]  # a title or name
# allow_inf_nan=False refuses NaN and infinities (error type finite_number). The constraints
# come before the BeforeValidator so that they stay inside the number's own (Rust) schema;
# after it, pydantic would check each with a Python function.
Number = Annotated[float, Field(allow_inf_nan=False), BeforeValidator(_not_bool)]

# The bounds of SPEC section 1 that keep every computation finite: sums of 10,000s of amounts,
# ratios of criterion ranges, products of scores. They are limits, not a field's own range,
# so a message names one only when a value crosses it (see LIMITS).
MONEY_MAX = 1e15
WEIGHT_MAX = 1e6
CRITERION_LIMIT = 1e9  # criterion min and max, and so every score, lie within +-1e9
MIN_SPAN = 1e-6  # max - min of a criterion: a smaller range makes a score's ratio blow up
INT_MAX = 2**63 - 1  # TOML 1.0 integers are 64-bit
LIMITS = frozenset({MONEY_MAX, WEIGHT_MAX, CRITERION_LIMIT, -CRITERION_LIMIT, INT_MAX})
Money = Annotated[float, Field(ge=0, le=MONEY_MAX, allow_inf_nan=False), BeforeValidator(_not_bool)]
Weight = Annotated[
    float, Field(ge=0, le=WEIGHT_MAX, allow_inf_nan=False), BeforeValidator(_not_bool)
]
Bound = Annotated[  # a criterion's min or max, and a score's value
    float,
    Field(ge=-CRITERION_LIMIT, le=CRITERION_LIMIT, allow_inf_nan=False),
    BeforeValidator(_not_bool),
]
# whole numbers that export writes: TOML 1.0 integers
Count = Annotated[int, Field(ge=0, le=INT_MAX), BeforeValidator(_not_bool)]
Rank = Annotated[int, Field(ge=1, le=INT_MAX), BeforeValidator(_not_bool)]
MATURITY_MAX = 4  # maturity and required_maturity: 0 (none) to 4 (SPEC section 1)
Maturity = Annotated[int, Field(ge=0, le=MATURITY_MAX), BeforeValidator(_not_bool)]
OneToFive = Annotated[int, Field(ge=1, le=5), BeforeValidator(_not_bool)]

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


def share_fields_sets(records: Iterable[object]) -> None:
    """Let records read whole from the store share one `model_fields_set` per model class.

    pydantic gives every model instance its own set of the field names it was given
    (728 bytes for twelve fields). Every field of a stored record is set, so the sets
    are all equal; pydantic only ever adds a field's name to one (already there) or
    copies it, so sharing is safe. `records` are of one kind.
    """
    for record in records:
        if not isinstance(record, BaseModel):
            return  # a SlottedRecord kind (features): slots, no fields sets
        cls = type(record)
        full = _FULL_FIELDS.get(cls)
        if full is None:
            full = _FULL_FIELDS[cls] = set(cls.model_fields)
        if record.__pydantic_fields_set__ == full:
            object.__setattr__(record, "__pydantic_fields_set__", full)


_FULL_FIELDS: dict[type[BaseModel], set[str]] = {}


def choices(literal: Any) -> tuple[str, ...]:
    """The allowed values of one of the Literal types above, in their declared order."""
    return get_args(literal)


def _unique(values: Iterable[str], what: str) -> None:
    if isinstance(values, list) and len(set(values)) == len(values):
        return
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"lists {what} '{value}' more than once")
        seen.add(value)


class Record(BaseModel):
    """Base of every record but the feature (a SlottedRecord, below): unknown keys are
    refused so a typo is never silently lost."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class WorkspaceInfo(Record):
    name: Required
    description: Text = ""
    currency: Annotated[str, AfterValidator(_currency)] = "USD"
    scoring_model: ScoringModel = "weighted"
    aggregation: Aggregation = "median"
    disagreement_threshold: Annotated[
        float, Field(ge=0, le=1, allow_inf_nan=False), BeforeValidator(_not_bool)
    ] = 0.5


class Participant(Record):
    id: Slug
    name: Title
    role: Text = ""


class Capability(Record):
    id: Slug
    name: Title
    category: CapabilityCategory = "other"
    maturity: Maturity = 0
    owner: Text = ""
    annual_cost: Money = 0
    upgrade_cost_per_level: Money = 0
    slo: Text = ""
    description: Text = ""


# A feature, its costs and its needs are validated like records, but are slotted
# dataclasses rather than models: a 10,000-feature workspace holds 10,000 of each of the
# first two and about 25,000 Needs, and a model's __dict__ and fields set weigh 264 bytes
# (a Feature's: 544) where slots weigh 56-128.
_PART = ConfigDict(extra="forbid", validate_assignment=True)


@dataclasses.dataclass(config=_PART, slots=True)
class Costs:
    data_engineering: Money = 0
    training: Money = 0
    deployment: Money = 0
    monitoring: Money = 0
    incident_response: Money = 0

    @property
    def total(self) -> float:
        return math.fsum(getattr(self, name) for name in COST_FIELDS)


@dataclasses.dataclass(config=_PART, slots=True)
class Need:
    capability: Slug
    required_maturity: Maturity


class _ClassFields:
    """`Model.model_fields` for a pydantic dataclass: its fields, by name."""

    def __get__(self, instance: object, owner: type) -> dict[str, Any]:
        return owner.__pydantic_fields__  # type: ignore[attr-defined, no-any-return]


class SlottedRecord:
    """The record methods other layers use (those of BaseModel), for a record that is a
    pydantic dataclass with slots. A workspace holds as many features as all its other
    records together: 10,000 Features as models weighed 8.2 MB (a __dict__ each), as
    slotted dataclasses 4.0 MB. Validation, dumps and errors are pydantic's own."""

    __slots__ = ()
    model_fields = _ClassFields()

    @classmethod
    def _adapter(cls) -> TypeAdapter[Any]:
        adapter = _ADAPTERS.get(cls)
        if adapter is None:
            adapter = _ADAPTERS[cls] = TypeAdapter(cls)
        return adapter

    @classmethod
    def model_validate(cls, data: Any) -> Any:
        return cls._adapter().validate_python(data)

    def model_dump(self, **options: Any) -> dict[str, Any]:
        """As BaseModel's: `mode`, `include`, `exclude` and the rest are pydantic's."""
        return self._adapter().dump_python(self, **options)  # type: ignore[no-any-return]

    def model_dump_json(self) -> str:
        return self._adapter().dump_json(self).decode()

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Any:
        """A copy with `update`'s fields, validated (a model's copy is not)."""
        return replace(self, **(update or {}))  # type: ignore[type-var]


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


@dataclasses.dataclass(config=_PART, slots=True)
class Feature(SlottedRecord):
    id: Slug
    title: Title
    description: Text = ""
    value_point: ValuePoint = "other"
    objective: Text = ""
    uplift_metric: Text = ""
    expected_uplift: Money = 0
    status: FeatureStatus = "proposed"
    owner: Text = ""
    quarter: Annotated[str, AfterValidator(_quarter)] = ""
    costs: Costs = Field(default_factory=Costs)
    needs: list[Need] = Field(default_factory=list)

    @model_validator(mode="after")
    def _needs_unique(self) -> Feature:
        if len(self.needs) > 1:
            _unique([n.capability for n in self.needs], "capability")
        return self


class Criterion(Record):
    id: Slug
    name: Title
    weight: Weight = 1
    min: Bound = 1
    max: Bound = 5
    higher_is_better: bool = True

    @model_validator(mode="after")
    def _range(self) -> Criterion:
        if not self.max > self.min:
            raise ValueError(f"max ({self.max:g}) must be greater than min ({self.min:g})")
        if self.max - self.min < MIN_SPAN:
            raise ValueError(
                f"max ({self.max:g}) must be at least {MIN_SPAN:f} more than min ({self.min:g})"
            )
        return self


class Score(Record):
    feature: Slug
    criterion: Slug
    participant: OptionalRef = CONSENSUS
    value: Bound

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.feature, self.criterion, self.participant)


class Risk(Record):
    id: Slug
    title: Title
    category: RiskCategory = "other"
    feature: OptionalRef = ""
    capability: OptionalRef = ""
    likelihood: OneToFive
    impact: OneToFive
    exposure: Money = 0
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
    title: Title
    category: PolicyCategory = "other"
    owner: Text = ""
    version: Text = "1.0"
    review_by: dt.date | None = None
    applies_to: list[Slug] = Field(default_factory=list)
    body: Body = ""

    @model_validator(mode="after")
    def _applies_unique(self) -> Policy:
        _unique(self.applies_to, "capability")
        return self


class Basis(Record):
    """How scores were computed when a decision was recorded (SPEC section 3)."""

    scoring_model: ScoringModel
    aggregation: Aggregation
    weights: dict[Slug, Weight] = Field(default_factory=dict)


class SnapshotRow(Record):
    """One linked feature's numbers at the moment a decision was recorded."""

    feature: Slug
    score: Number | None = None
    rank: Rank | None = None
    roi: Number | None = None
    readiness_gap: Count | None = None


class Decision(Record):
    id: Slug
    title: Title
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
KINDS: dict[str, type[Record | SlottedRecord]] = {
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
    root = _MODELS.get(error.title)  # the class validated: its fields' kinds and bounds
    lines = []
    for item in error.errors(include_url=False):
        own = [p for p in item["loc"] if not _is_union_tag(p)]
        path = format_loc([*prefix, *own])
        message = _message(item, root, own)
        lines.append(f"{path}: {message}" if path else message)
    return lines


_SLUG_PATTERNS = frozenset({SLUG_PATTERN, OPTIONAL_SLUG_PATTERN})

# Pydantic's error types in the app's own words, for forms and imports alike (issue 20, bug
# 10): by the group of the error type and the kind of the field (its type in the model, or
# the form's reading of it), with the field's own bounds, so a 1-5 field says so.
_GROUPS = {
    **dict.fromkeys(("int_parsing", "int_from_float", "int_type"), "parse"),
    **dict.fromkeys(("float_parsing", "float_type"), "parse"),
    **dict.fromkeys(
        ("greater_than_equal", "greater_than", "less_than_equal", "less_than"), "range"
    ),
    **dict.fromkeys(
        ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"),
        "date",
    ),
}
_SHAPES = {  # a value of the wrong shape, in the words of a TOML file and a form
    **dict.fromkeys(("dict_type", "model_type", "dataclass_type"), "must be a table"),
    "list_type": "must be a list",
    "string_type": "must be text",
    **dict.fromkeys(("bool_type", "bool_parsing"), "must be true or false"),
}
MESSAGES: dict[tuple[str, str], str] = {
    # (group, kind) with the bounds the field has: "both", "lo", "hi" or "none"
    ("parse", "integer both"): "must be a whole number from {lo} to {hi}",
    ("parse", "integer lo"): "must be a whole number, {lo} or more",
    ("parse", "integer hi"): "must be a whole number, at most {hi}",
    ("parse", "integer none"): "must be a whole number",
    ("parse", "number both"): "must be a number from {lo} to {hi}",
    ("parse", "number lo"): "must be a number, {lo} or more",
    ("parse", "number hi"): "must be a number, at most {hi}",
    ("parse", "number none"): "must be a number, such as 250000 or 1.5e6",
    ("range", "integer both"): "must be a whole number from {lo} to {hi}",
    ("range", "integer lo"): "must be {lo} or more",
    ("range", "integer hi"): "must be at most {hi}",
    ("range", "number both"): "must be from {lo} to {hi}",
    ("range", "number lo"): "must be {lo} or more",
    ("range", "number hi"): "must be at most {hi}",
    ("date", "date required"): "must be a date like 2027-03-31",
    ("date", "date optional"): "must be a date like 2027-03-31 (or be empty)",
    # a value beyond one of the LIMITS (SPEC section 1, Bounds), or a bound the field's
    # type does not show (inside an Optional): the bound it crossed
    ("limit", "lo"): "must be {lo} or more",
    ("limit", "hi"): "must be at most {hi}",
}
_CROSSED = {"greater_than_equal": "lo", "greater_than": "lo"}  # else "hi"


def field_message(group: str, kind: str, root: type | None, loc: Iterable[str | int]) -> str | None:
    """MESSAGES' words for an error of `group` on the field at `loc` of `root` (None: no row).

    `kind` is "integer", "number" or "date", or "" to read it from the model.
    """
    info = _field_info(root, loc)
    if info is None:
        return None
    annotation, lo, hi, required = info
    lo, hi = (None if bound in LIMITS else bound for bound in (lo, hi))  # said when crossed
    kind = kind or {int: "integer", float: "number", dt.date: "date"}.get(annotation, "")
    if kind == "date":
        shape = "required" if required else "optional"
    else:
        shape = {(True, True): "both", (True, False): "lo", (False, True): "hi"}.get(
            (lo is not None, hi is not None), "none"
        )
    template = MESSAGES.get((group, f"{kind} {shape}"))
    if template is None:
        return None
    bounds = {"lo": lo, "hi": hi}
    return template.format(**{k: plain(v) for k, v in bounds.items() if v is not None})


def _field_info(root: type | None, loc: Iterable[str | int]) -> tuple[Any, Any, Any, bool] | None:
    """The annotation (None stripped), lower and upper bound and requiredness of a field."""
    current: Any = root
    info = None
    for part in loc:
        if isinstance(part, int):  # a list's item
            args = get_args(current)
            current = args[0] if args else None
            continue
        fields = getattr(current, "__pydantic_fields__", None)
        info = fields.get(part) if isinstance(fields, dict) else None
        if info is None:
            return None
        current = info.annotation
        optional = [a for a in get_args(current) if a is not type(None)]
        if type(None) in get_args(current) and len(optional) == 1:
            current = optional[0]
    if info is None:
        return None
    lo = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
    hi = next((m.le for m in info.metadata if hasattr(m, "le")), None)
    return current, lo, hi, info.is_required()


def _message(item: Any, root: type | None = None, loc: Iterable[str | int] = ()) -> str:
    """One pydantic error as the rule's own words (the rules pydantic-core checks, above)."""
    kind = item["type"]
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):  # a model's, a dataclass's
        return "unknown key"
    if kind == "missing":
        return "required"
    if kind == "string_pattern_mismatch" and item.get("ctx", {}).get("pattern") in _SLUG_PATTERNS:
        return SLUG_MESSAGE
    if kind == "string_too_long" and isinstance(item.get("input"), str):
        return _too_long(len(item["input"]), item["ctx"]["max_length"])
    if kind == "string_unicode" and isinstance(item.get("input"), str):
        return SURROGATE_MESSAGE
    if kind == "finite_number":
        return FINITE_MESSAGE
    if kind in _SHAPES:
        return _SHAPES[kind]
    group = _GROUPS.get(kind)
    crossed = next(iter(item.get("ctx", {}).values()), None) if group == "range" else None
    words = field_message(group, "", root, loc) if group and crossed not in LIMITS else None
    if words is not None:
        return words
    if isinstance(crossed, int | float):
        side = _CROSSED.get(kind, "hi")
        return MESSAGES[("limit", side)].format(**{side: plain(crossed)})
    message = str(item["msg"]).removeprefix("Value error, ")
    return message.replace("Input should be", "must be", 1)


def _is_union_tag(part: str | int) -> bool:
    # pydantic inserts the chosen type's name ("float", "int", ...) into locs of Optional fields.
    return isinstance(part, str) and part in {"float", "int", "constrained-int", "function-after"}


_MODELS: dict[str, type] = {
    cls.__name__: cls
    for cls in (Plan, WorkspaceInfo, *KINDS.values(), Costs, Need, Score, Basis, SnapshotRow)
}


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
    # A line's path is only written when there is a problem: a 10,000-feature import checks
    # some 300,000 references, nearly always all fine.
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    for kind in KINDS:
        records = getattr(plan, kind)
        seen = {record.id for record in records}
        if len(seen) != len(records):  # name each duplicate, in order
            seen = set()
            for i, record in enumerate(records):
                if record.id in seen:
                    problems.append(f"{label(kind, i)}.id: duplicate id '{record.id}'")
                seen.add(record.id)
        ids[kind] = seen

    def ref(owner: str, i: int, field: str, value: str, kind: str, noun: str) -> None:
        if value and value not in ids[kind]:
            problems.append(f"{label(owner, i)}{field}: unknown {noun} '{value}'")

    capabilities = ids["capabilities"]
    for i, f in enumerate(plan.features):
        for j, need in enumerate(f.needs):
            if need.capability and need.capability not in capabilities:
                problems.append(
                    f"{label('features', i)}.needs[{j}].capability: "
                    f"unknown capability '{need.capability}'"
                )
    criteria = {c.id: c for c in plan.criteria}
    features, participants = ids["features"], ids["participants"]
    keys: set[tuple[str, str, str]] = set()
    score_key = operator.attrgetter("feature", "criterion", "participant")  # Score.key
    for i, s in enumerate(plan.scores):
        feature, criterion, participant = key = score_key(s)
        crit = criteria.get(criterion)
        if (
            (feature and feature not in features)
            or (criterion and crit is None)
            or (participant and participant not in participants)
            or key in keys
            or (crit is not None and not crit.min <= s.value <= crit.max)
        ):
            problems.extend(_score_problems(s, i, label, ids, keys, crit))
        keys.add(key)
    for i, r in enumerate(plan.risks):
        ref("risks", i, ".feature", r.feature, "features", "feature")
        ref("risks", i, ".capability", r.capability, "capabilities", "capability")
    for i, p in enumerate(plan.policies):
        for j, cap in enumerate(p.applies_to):
            ref("policies", i, f".applies_to[{j}]", cap, "capabilities", "capability")
    for i, d in enumerate(plan.decisions):
        for field, kind, noun in (
            ("decided_by", "participants", "participant"),
            ("features", "features", "feature"),
            ("capabilities", "capabilities", "capability"),
            ("risks", "risks", "risk"),
            ("policies", "policies", "policy"),
        ):
            for j, value in enumerate(getattr(d, field)):
                ref("decisions", i, f".{field}[{j}]", value, kind, noun)
        ref("decisions", i, ".supersedes", d.supersedes, "decisions", "decision")
    problems.extend(
        f"workspace.scoring_model: {line}"
        for line in model_problems(plan.workspace.scoring_model, plan.criteria)
    )
    return problems


def _score_problems(
    s: Score,
    i: int,
    label: Label,
    ids: dict[str, set[str]],
    keys: set[tuple[str, str, str]],
    crit: Criterion | None,
) -> list[str]:
    """The problems of the i-th score, in the order check_references lists them."""
    where = label("scores", i)
    problems = [
        f"{where}.{field}: unknown {noun} '{value}'"
        for field, value, kind, noun in (
            ("feature", s.feature, "features", "feature"),
            ("criterion", s.criterion, "criteria", "criterion"),
            ("participant", s.participant, "participants", "participant"),
        )
        if value and value not in ids[kind]
    ]
    if s.key in keys:
        problems.append(f"{where}: a second score for the same feature, criterion and participant")
    if crit is not None and not crit.min <= s.value <= crit.max:
        problems.append(
            f"{where}.value: {s.value:g} is outside {crit.id}'s range [{crit.min:g}, {crit.max:g}]"
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
