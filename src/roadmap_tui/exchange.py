"""The TOML exchange format of SPEC.md section 3: export and import.

Export is deterministic (entities sorted, keys in SPEC order, numbers written
the same way every time), so the same workspace always gives the same bytes.
Import reads the whole file, validates every record and lists every problem at
once with its path into the file; nothing is written until all is valid.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import risk, scoring, tomlwriter
from .models import KINDS, Plan, Record, Score, WorkspaceInfo, describe_errors, format_loc

FORMAT = "roadmap-tui/1"
_FORMAT_RE = re.compile(r"roadmap-tui/(\d+)(?:\.\d+)?")
_LARGEST_EXACT_INT = 2**53
# The arrays of a file, in SPEC section 3 order, with the model of their records.
_FILE_ARRAYS: dict[str, type[Record]] = {
    "participants": KINDS["participants"],
    "capabilities": KINDS["capabilities"],
    "features": KINDS["features"],
    "criteria": KINDS["criteria"],
    "scores": Score,
    "risks": KINDS["risks"],
    "policies": KINDS["policies"],
    "decisions": KINDS["decisions"],
}


class ExchangeError(Exception):
    """A file that cannot be read or written; `problems` holds one line per problem."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# ---------------------------------------------------------------- export


def export_toml(plan: Plan, *, decisions_only: bool = False) -> str:
    """The SPEC section 3 document for `plan`, with computed tables."""
    evaluation = scoring.evaluate(plan)
    if decisions_only:
        plan = decisions_subset(plan)
    document: dict[str, Any] = {"format": FORMAT, "workspace": _given(plan.workspace)}
    document["participants"] = [_given(p) for p in _by_id(plan.participants)]
    document["capabilities"] = [
        {**_given(c), "computed": _leverage(evaluation.capabilities[c.id])}
        for c in _by_id(plan.capabilities)
    ]
    document["features"] = [
        {**_given(f), "computed": _feature_computed(evaluation.features[f.id])}
        for f in _by_id(plan.features)
    ]
    document["criteria"] = [_given(c) for c in _by_id(plan.criteria)]
    document["scores"] = [_given(s) for s in sorted(plan.scores, key=lambda s: s.key)]
    document["risks"] = [
        {**_given(r), "computed": _assessment(risk.assess(r))} for r in _by_id(plan.risks)
    ]
    document["policies"] = [_given(p) for p in _by_id(plan.policies)]
    document["decisions"] = [
        _given(d) for d in sorted(plan.decisions, key=lambda d: (d.date, d.id))
    ]
    # An empty array of tables has no TOML spelling but `key = []`; leave such kinds out.
    return tomlwriter.dumps({k: v for k, v in document.items() if v != []})


def decisions_subset(plan: Plan) -> Plan:
    """The decisions and what they reference, closed over references (SPEC section 3).

    Beyond SPEC's list, the records those entities refer to in turn (a linked
    risk's feature, a feature's needed capabilities, a policy's capabilities)
    and the criteria are included, so the file imports into an empty workspace.
    """
    wanted: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for d in plan.decisions:
        wanted["participants"].update(d.decided_by)
        for kind in ("features", "capabilities", "risks", "policies"):
            wanted[kind].update(getattr(d, kind))
    for r in plan.risks:
        if r.id in wanted["risks"]:
            wanted["features"].update([r.feature] if r.feature else [])
            wanted["capabilities"].update([r.capability] if r.capability else [])
    for f in plan.features:
        if f.id in wanted["features"]:
            wanted["capabilities"].update(n.capability for n in f.needs)
    for p in plan.policies:
        if p.id in wanted["policies"]:
            wanted["capabilities"].update(p.applies_to)

    def keep(kind: str) -> list[Any]:
        return [r for r in getattr(plan, kind) if r.id in wanted[kind]]

    return Plan(
        workspace=plan.workspace,
        participants=keep("participants"),
        capabilities=keep("capabilities"),
        features=keep("features"),
        criteria=plan.criteria,
        risks=keep("risks"),
        policies=keep("policies"),
        decisions=plan.decisions,
    )


def _by_id(records: Iterable[Any]) -> list[Any]:
    return sorted(records, key=lambda r: r.id)


def _given(record: Record | WorkspaceInfo) -> dict[str, Any]:
    return _numbers(record.model_dump(mode="python"))


def _numbers(value: Any) -> Any:
    """Whole numbers are written as integers: `250000`, not `250000.0`, as people write them."""
    if isinstance(value, float) and value.is_integer() and abs(value) < _LARGEST_EXACT_INT:
        return int(value)
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    return value


def _round(value: float | None) -> float | None:
    """4 decimal places; -0.0 is written as 0.0, and an infinite ratio (a cost that rounds
    to nothing) counts as none, like a ratio with a zero divisor."""
    if value is None or not math.isfinite(value):
        return None
    return round(value, 4) + 0.0


def _feature_computed(result: scoring.FeatureResult) -> dict[str, Any]:
    e = result.economics
    return {
        "tco": _round(e.tco),
        "net_value": _round(e.net_value),
        "roi": _round(e.roi),
        "payback_months": _round(e.payback_months),
        "score": _round(result.score),
        "rank": result.rank,
        "complete": result.complete,
        "readiness_gap": result.readiness.gap,
        "blocked_by": list(result.readiness.blocked_by),
        "contested_criteria": list(result.contested_criteria),
    }


def _leverage(lev: scoring.Leverage) -> dict[str, Any]:
    return {
        "blocked_features": lev.blocked_features,
        "unlocked_value": _round(lev.unlocked_value),
        "levels_needed": lev.levels_needed,
        "cost_to_close": _round(lev.cost_to_close),
        "leverage": _round(lev.leverage),
    }


def _assessment(a: risk.Assessment) -> dict[str, Any]:
    return {
        "severity": a.severity,
        "band": a.band,
        "probability": _round(a.probability),
        "expected_loss": _round(a.expected_loss),
    }


# ---------------------------------------------------------------- import


def parse_toml(data: bytes) -> Plan:
    """The Plan in a TOML document; ExchangeError lists every problem, with its path."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ExchangeError([f"byte {error.start}: the file is not UTF-8 text"]) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ExchangeError([_syntax_problem(error, text)]) from None
    return _plan(document)


def _syntax_problem(error: tomllib.TOMLDecodeError, text: str) -> str:
    message = str(error)
    where = re.search(r"\(at line (\d+), column (\d+)\)$", message)
    if where:
        return f"line {where[1]}, column {where[2]}: {message[: where.start()].strip()}"
    # "(at end of document)": point at the end, so every syntax problem has a place.
    line = text.count("\n") + 1
    column = len(text) - (text.rfind("\n") + 1) + 1
    message = message.removesuffix("(at end of document)").strip()
    return f"line {line}, column {column}: {message} (at the end of the file)"


def _plan(document: dict[str, Any]) -> Plan:
    problems: list[str] = []
    version = document.pop("format", None)
    match = _FORMAT_RE.fullmatch(version) if isinstance(version, str) else None
    if version is None:
        problems.append(f'format: required (write format = "{FORMAT}" at the top)')
    elif not match:
        problems.append(f"format: {version!r} is not a roadmap-tui file format")
    elif match[1] != "1":
        problems.append(f"format: {version!r} is a newer format; this version reads {FORMAT}")
    if problems:
        raise ExchangeError(problems)

    fields: dict[str, Any] = {}
    info = document.pop("workspace", None)
    if info is None:
        problems.append("workspace: required ([workspace] with at least name)")
    else:
        fields["workspace"] = _validate(WorkspaceInfo, info, ["workspace"], problems)
    for kind, model in _FILE_ARRAYS.items():
        items = document.pop(kind, [])
        if not isinstance(items, list):
            problems.append(f"{kind}: must be an array of tables ([[{kind}]])")
            continue
        fields[kind] = [
            _validate(model, _without_computed(kind, item), [kind, i], problems)
            for i, item in enumerate(items)
        ]
    problems.extend(f"{key}: unknown key" for key in document)
    if problems:
        raise ExchangeError(problems)
    return Plan.model_validate(fields)


def _without_computed(kind: str, item: Any) -> Any:
    # Computed tables are derived; import ignores them (SPEC section 3).
    if isinstance(item, dict) and kind in ("features", "capabilities", "risks"):
        return {k: v for k, v in item.items() if k != "computed"}
    return item


def _validate(model: type[Any], item: Any, path: list[str | int], problems: list[str]) -> Any:
    if not isinstance(item, dict):
        problems.append(f"{format_loc(path)}: must be a table")
        return None
    try:
        return model.model_validate(item)
    except ValidationError as error:
        problems.extend(describe_errors(error, path))
        return None


def read_toml(path: str | os.PathLike[str]) -> Plan:
    """parse_toml of a file, with unreadable files reported as one line."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ExchangeError([f"cannot read {path}: {error.strerror or error}"]) from None
    return parse_toml(data)


# ---------------------------------------------------------------- files


def write_file(path: str | os.PathLike[str], text: str, *, force: bool = False) -> None:
    """Write `text` to `path` atomically: a temporary file in the same folder, then a rename.

    Without `force` an existing file is never replaced (the check and the
    rename are one step: a hard link fails when the name is taken).
    """
    target = Path(path)
    if not force and target.exists():
        raise ExchangeError([f"{target} exists; pass --force to replace it"])
    folder = target.parent
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise ExchangeError([f"cannot write in {folder}: {error.strerror or error}"]) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if force:
            os.replace(temp, target)
        else:
            os.link(temp, target)
    except FileExistsError:
        raise ExchangeError([f"{target} exists; pass --force to replace it"]) from None
    except OSError as error:
        raise ExchangeError([f"cannot write {target}: {error.strerror or error}"]) from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
