"""Records <-> rows: which columns a record of each kind is stored in, and how.

Lists and nested objects are JSON text; feature costs are five columns; feature
needs live in feature_needs. "scores" and "workspace" are stored like a kind.
Private to the store (store/), which loads it with the models when it first reads
or writes a record (the file's migrations are in schema.py, its opening in workspace.py).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, TypeAdapter

from .models import COST_FIELDS, KINDS, Feature, Need, Score, WorkspaceInfo, share_fields_sets
from .schema import from_json, to_json

JSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "risks": ("affected_metrics",),
    "policies": ("applies_to",),
    "decisions": (
        "decided_by",
        "features",
        "capabilities",
        "risks",
        "policies",
        "follow_ups",
        "basis",
        "snapshot",
    ),
}
MODELS: dict[str, type[BaseModel]] = {**KINDS, "scores": Score, "workspace": WorkspaceInfo}
PRIMARY_KEYS: dict[str, str | tuple[str, ...]] = {
    "scores": ("feature", "criterion", "participant"),
    **{kind: "id" for kind in (*KINDS, "workspace")},
}


def _columns(kind: str) -> tuple[str, ...]:
    names: list[str] = []
    for name in MODELS[kind].model_fields:
        if kind == "features" and name == "costs":
            names.extend(f"cost_{cost}" for cost in COST_FIELDS)
        elif not (kind == "features" and name == "needs"):
            names.append(name)
    return tuple(names)


# The columns a reader selects: named, so a column added ahead of its model field is harmless.
COLUMNS: dict[str, tuple[str, ...]] = {kind: _columns(kind) for kind in MODELS}


def ref(kind: str, record: BaseModel) -> str:
    """The audit log's entity_id: the id, "feature/criterion/participant" for a score."""
    if isinstance(record, Score):
        return "/".join(record.key)
    return "workspace" if kind == "workspace" else str(record.id)  # type: ignore[attr-defined]


def to_row(kind: str, record: BaseModel) -> dict[str, Any]:
    row = record.model_dump(mode="json")
    if kind == "workspace":
        row["id"] = 1
    elif kind == "features":
        del row["needs"]
        costs = row.pop("costs")
        row.update({f"cost_{name}": costs[name] for name in COST_FIELDS})
    for column in JSON_COLUMNS.get(kind, ()):
        row[column] = to_json(row[column])
    return row


def from_row(kind: str, row: dict[str, Any], needs: list[Need] | None = None) -> Any:
    return MODELS[kind].model_validate(_record_data(kind, row, needs))


def from_rows(
    kind: str, rows: Iterable[dict[str, Any]], needs: dict[str, list[Any]] | None = None
) -> list[Any]:
    """`from_row` of many rows in one validation call; `needs` maps a feature id to its needs.

    The records are validated exactly as `from_row` validates them (a file edited by
    hand or by another program is still checked); only pydantic's per-call overhead goes.
    """
    if kind == "features" or kind in JSON_COLUMNS:
        found = needs or {}
        rows = [_record_data(kind, row, found.get(row["id"])) for row in rows]
    elif not isinstance(rows, list):
        rows = list(rows)
    records = _list_adapter(kind).validate_python(rows)
    share_fields_sets(records)
    return records


def _record_data(kind: str, row: dict[str, Any], needs: list[Any] | None) -> dict[str, Any]:
    data = dict(row)
    for column in JSON_COLUMNS.get(kind, ()):
        data[column] = from_json(data[column])
    if kind == "features":
        data["costs"] = {name: data.pop(f"cost_{name}") for name in COST_FIELDS}
        data["needs"] = needs or []
    return data


@functools.cache
def _list_adapter(kind: str) -> TypeAdapter[list[Any]]:
    # Built on first use, not at import: start-up does not pay for the kinds it does not read.
    return TypeAdapter(list[MODELS[kind]])  # type: ignore[valid-type]


# -- writing rows: one prepared statement per table, run with executemany --------------------

# The columns a row is written with, in order: the table's own (the workspace row adds id 1).
STORE_COLUMNS: dict[str, tuple[str, ...]] = {
    kind: ("id", *COLUMNS[kind]) if kind == "workspace" else COLUMNS[kind] for kind in MODELS
}
# Kinds whose columns are exactly their model's fields, each a str, number or bool: their row
# is the fields' values as they are (what to_row gives, without building a dict).
_FLAT_KINDS = ("participants", "capabilities", "criteria", "scores")
_FLAT_VALUES: dict[str, Callable[[Any], tuple[Any, ...]]] = {
    kind: operator.attrgetter(*COLUMNS[kind]) for kind in _FLAT_KINDS
}
NEED_COLUMNS = ("feature", "capability", "required_maturity", "position")


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


@functools.cache
def upsert_sql(kind: str) -> str:
    """INSERT of one row of `kind` that updates the row with the same primary key instead.

    An upsert, not INSERT OR REPLACE: a replace deletes the old row, which would give a
    policy a new rowid behind the search index's back (its delete trigger does not fire).
    """
    columns = STORE_COLUMNS[kind]
    pk = PRIMARY_KEYS[kind]
    keys = (pk,) if isinstance(pk, str) else pk
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in keys)
    return (
        f"INSERT INTO {kind} ({_quoted(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT ({_quoted(keys)}) DO UPDATE SET {updates}"
    )


NEEDS_INSERT_SQL = (
    f"INSERT INTO feature_needs ({_quoted(NEED_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(NEED_COLUMNS))})"
)


def row_values(kind: str, record: BaseModel) -> tuple[Any, ...]:
    """The values of `to_row(kind, record)`, in STORE_COLUMNS order."""
    flat = _FLAT_VALUES.get(kind)
    if flat is not None:
        return flat(record)
    row = to_row(kind, record)
    return tuple(row[column] for column in STORE_COLUMNS[kind])


def need_values(feature: Feature) -> list[tuple[Any, ...]]:
    """The feature_needs rows of `feature`, in NEED_COLUMNS order."""
    return [
        (feature.id, need.capability, need.required_maturity, position)
        for position, need in enumerate(feature.needs)
    ]
