"""A form's fields and values: the specs an editor lists, and the text a field holds
turned into model data and back (parse, format, the id made from a title).

No widget here: RecordForm (widgets/form.py) lays the fields out, form_fields.py draws them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticUndefined

from .. import formatting
from ..models import MATURITY_MAX, Record, SlottedRecord, describe_errors, field_message

FieldKind = Literal[
    "text", "multiline", "number", "integer", "choice", "bool", "date", "list", "lines", "needs"
]
Raw = str | bool  # what a field's widget holds
T = TypeVar("T", bound=Record | SlottedRecord)
T_contra = TypeVar("T_contra", bound=Record | SlottedRecord, contravariant=True)


ID_FIELD = "id"  # the identity: editable for a new record, read-only afterwards
SOURCE_FIELDS = ("title", "name")  # what a new record's id is made from: the form's first field


@dataclass(frozen=True)
class Field:
    """One model field in a form.

    `name` is the model's field name, dotted for a nested model ("costs.training").
    Kinds: "text" and "multiline" (str), "number" (float; empty = the model's
    default), "integer" (int; empty = default), "choice" (one of `choices`, e.g.
    `models.choices(FeatureStatus)`), "bool", "date" (YYYY-MM-DD; empty = None),
    "list" (comma-separated ids, e.g. a policy's applies_to; with `options` a
    checklist of (id, label) pairs instead), "lines" (one item per line, e.g. a
    decision's follow-ups), "needs" (a feature's needs: "feature-store 3, serving 2",
    checked against `options`, the workspace's capabilities, when there are any).
    """

    name: str
    label: str
    kind: FieldKind = "text"
    help: str = ""
    choices: tuple[str, ...] = ()
    options: tuple[tuple[str, str], ...] = ()  # a "list" field's checklist: (id, label)

    def __post_init__(self) -> None:
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"choice field {self.name!r} needs choices")


@dataclass(frozen=True)
class Heading:
    """A section title between fields ("Annual costs")."""

    text: str


Item = Field | Heading


def field_id(name: str) -> str:
    """The widget id of a field's row: "costs.training" -> "field-costs-training"."""
    return "field-" + name.replace(".", "-")


# -- values: model <-> widget ------------------------------------------------------------------


class _Default:
    """Leave the key out of the data, so the model's default applies."""


DEFAULT = _Default()
MISSING = object()  # a required field: the model has no default for it


class ParseError(ValueError):
    """What was typed cannot be read as the field's kind.

    `group` names the models.MESSAGES row that says so for the field (with its bounds);
    without one, the message itself is shown.
    """

    def __init__(self, message: str = "", *, group: str = "") -> None:
        super().__init__(message)
        self.group = group


def to_raw(kind: FieldKind, value: Any) -> Raw:
    """A model value as its widget shows it."""
    if kind == "bool":
        return bool(value)
    if value is None or value is MISSING:
        return ""
    if kind == "number":
        return format_number(float(value))
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    if kind == "list":
        return ", ".join(str(v) for v in value)
    if kind == "lines":
        return "\n".join(str(v) for v in value)
    if kind == "needs":
        return ", ".join(f"{n['capability']} {n['required_maturity']}" for n in value)
    return str(value)


def format_number(value: float) -> str:
    """250000.0 -> "250000", 1.5 -> "1.5": what a person would type."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def from_raw(kind: FieldKind, raw: Raw) -> Any:
    """What was typed as the model's data, DEFAULT for "use the default"; raises ParseError."""
    if kind == "bool":
        return bool(raw)
    assert isinstance(raw, str)
    if kind in ("text", "multiline", "choice"):
        return raw
    text = raw.strip()
    if kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    if kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if kind == "needs":
        return parse_needs(text)
    if kind == "date":
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ParseError(group="date") from None
    if not text:
        return DEFAULT
    try:
        number = formatting.typed_number(text)
    except ValueError:
        raise ParseError(group="parse") from None
    if kind == "integer":
        if not number.is_integer():
            raise ParseError(group="parse")
        return int(number)
    return number


NEEDS_FORMAT = "each need is a capability id and a level 0 to 4, e.g. feature-store 3"


def parse_needs(text: str) -> list[dict[str, Any]]:
    """ "feature-store 3, serving 2" as needs; the model checks the ids and levels."""
    needs: list[dict[str, Any]] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        words = part.split()
        if len(words) != 2 or not words[1].isdigit():
            raise ParseError(f"{part!r}: {NEEDS_FORMAT}")
        if any(n["capability"] == words[0] for n in needs):
            raise ParseError(f"names {words[0]!r} twice")
        if int(words[1]) > MATURITY_MAX:
            raise ParseError(f"{part!r}: the level must be 0 to {MATURITY_MAX}")
        needs.append({"capability": words[0], "required_maturity": int(words[1])})
    return needs


def parse(spec: Field, raw: Raw) -> Any:
    """from_raw, and a need's capability checked against the field's options."""
    value = from_raw(spec.kind, raw)
    if spec.kind == "needs" and spec.options:
        known = [option for option, _ in spec.options]
        for need in value:
            if need["capability"] not in known:
                raise ParseError(
                    f"no capability {need['capability']!r}; there are: {', '.join(known)}"
                )
    return value


def parse_message(error: ParseError, model: type, spec: Field) -> str:
    """What to show under a field whose text could not be read."""
    if error.group:
        words = field_message(error.group, spec.kind, model, spec.name.split("."))
        if words is not None:
            return words
    return str(error) or "cannot be read"


def model_default(model: type[Record | SlottedRecord], name: str) -> Any:
    """The model's default for a (dotted) field, or MISSING for a required one."""
    value: Any = model
    for part in name.split("."):
        if isinstance(value, type) and hasattr(value, "model_fields"):  # a record's class
            info = value.model_fields.get(part)
            if info is None:
                return MISSING
            value = info.get_default(call_default_factory=True)
            if value is PydanticUndefined:
                return MISSING
        elif isinstance(value, BaseModel) or dataclasses.is_dataclass(value):  # e.g. Costs
            value = getattr(value, part, MISSING)
        else:
            return MISSING
    return value


def get_path(data: dict[str, Any], name: str) -> Any:
    value: Any = data
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return MISSING
        value = value[part]
    return value


def set_path(data: dict[str, Any], name: str, value: Any) -> None:
    """Set a dotted key, creating nested dicts; DEFAULT removes the key."""
    *parents, last = name.split(".")
    for part in parents:
        child = data.get(part)
        if not isinstance(child, dict):
            child = data[part] = {}
        data = child
    if value is DEFAULT:
        data.pop(last, None)
    else:
        data[last] = value


def route_errors(error: ValidationError, names: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Split pydantic's errors into {field name: message} and form-level lines.

    An error whose loc is a field of the form (or lies inside one, like a list
    item or a union member) goes to that field, first message wins; a
    model-level error (loc == ()) or one on a field not in the form goes to the
    form-level lines, with its path.
    """
    by_field: dict[str, str] = {}
    form: list[str] = []
    by_length = sorted(names, key=len, reverse=True)
    for item, line in zip(error.errors(include_url=False), describe_errors(error), strict=True):
        if not item["loc"]:
            form.append(line)
            continue
        path, _, message = line.partition(": ")
        target = next(
            (n for n in by_length if path == n or path.startswith((f"{n}.", f"{n}["))), None
        )
        if target is None:
            form.append(line)
        else:
            by_field.setdefault(target, message)
    return by_field, form
