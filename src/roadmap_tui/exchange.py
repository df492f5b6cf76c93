"""The TOML exchange format of SPEC.md section 3: export and import.

Export is deterministic (entities sorted, keys in SPEC order, numbers written
the same way every time), so the same workspace always gives the same bytes.
Import reads the whole file, validates every record and lists every problem at
once with its path into the file; nothing is written until all is valid.
"""

from __future__ import annotations

import operator
import os
import re
import stat
import tempfile
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import risk, scoring, storage, tomldepth, tomlwriter
from .collector import bulk
from .errors import ExchangeError
from .models import (
    KINDS,
    Feature,
    Plan,
    Record,
    Score,
    WorkspaceInfo,
    describe_errors,
    format_loc,
)

FORMAT = "roadmap-tui/1"
_FORMAT_RE = re.compile(r"roadmap-tui/(\d+)(?:\.\d+)?")
_LARGEST_EXACT_INT = 2**53
# An import file's bounds (SPEC section 1): a bigger or deeper one is refused unparsed.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32
# The arrays of a file, in SPEC section 3 order, with the model of their records.
_COMPUTED = ("capabilities", "features", "risks")  # the arrays whose records carry one
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


# ---------------------------------------------------------------- export


def export_toml(plan: Plan, *, decisions_only: bool = False) -> str:
    """The SPEC section 3 document for `plan`, with computed tables."""
    with bulk():
        return tomlwriter.dumps(_document(plan, decisions_only=decisions_only, written=True))


def export_document(plan: Plan, *, decisions_only: bool = False) -> dict[str, Any]:
    """What `export_toml` writes, as plain dicts and lists ("none" values are None).

    `tomlwriter.dumps` of it gives the same text as `export_toml`, which writes
    features and scores without a dict per record (tests check the two agree).
    """
    return _document(plan, decisions_only=decisions_only, written=False)


def _document(plan: Plan, *, decisions_only: bool, written: bool) -> dict[str, Any]:
    evaluation = scoring.evaluate(plan)
    if decisions_only:
        plan = decisions_subset(plan)
    document: dict[str, Any] = {"format": FORMAT, "workspace": _given(plan.workspace)}
    document["participants"] = [_given(p) for p in _by_id(plan.participants)]
    document["capabilities"] = [
        _with_computed(c, _leverage(evaluation.capabilities[c.id]))
        for c in _by_id(plan.capabilities)
    ]
    features = _by_id(plan.features)
    scores = sorted(plan.scores, key=_SCORE_ORDER)
    if written:
        document["features"] = _written(features, _feature_lines, evaluation)
    else:
        document["features"] = [
            _with_computed(f, _feature_computed(f, evaluation.features[f.id])) for f in features
        ]
    document["criteria"] = [_given(c) for c in _by_id(plan.criteria)]
    if written:
        document["scores"] = _written(scores, _score_lines, evaluation)
    else:
        document["scores"] = [_given(s) for s in scores]
    document["risks"] = [_with_computed(r, _assessment(risk.assess(r))) for r in _by_id(plan.risks)]
    document["policies"] = [_given(p) for p in _by_id(plan.policies)]
    document["decisions"] = [
        _given(d) for d in sorted(plan.decisions, key=lambda d: (d.date, d.id))
    ]
    # An empty array of tables has no TOML spelling but `key = []`; leave such kinds out.
    return {k: v for k, v in document.items() if v != []}


def _written(
    records: list[Any],
    write: Callable[[Any, scoring.Evaluation, list[str]], None],
    evaluation: scoring.Evaluation,
) -> tomlwriter.Written | list[Any]:
    if not records:
        return []
    lines: list[str] = []
    for record in records:
        write(record, evaluation, lines)
    return tomlwriter.Written(lines)


# The two kinds that run to 10,000s of records, written straight from the models: the same
# text as _given + tomlwriter.dumps (fields in model order, plain values before sub-tables,
# whole numbers as integers), which tests/test_export_writer.py checks byte for byte.


def _feature_lines(f: Feature, evaluation: scoring.Evaluation, lines: list[str]) -> None:
    q, n, c = tomlwriter.string, _number, f.costs
    lines.append(
        f"\n[[features]]\nid = {q(f.id)}\ntitle = {q(f.title)}\n"
        f"description = {q(f.description)}\nvalue_point = {q(f.value_point)}\n"
        f"objective = {q(f.objective)}\nuplift_metric = {q(f.uplift_metric)}\n"
        f"expected_uplift = {n(f.expected_uplift)}\nstatus = {q(f.status)}\n"
        f"owner = {q(f.owner)}\nquarter = {q(f.quarter)}"
    )
    if not f.needs:  # an empty array of tables is a plain value, written before the sub-tables
        lines.append("needs = []")
    lines.append(
        f"\n[features.costs]\ndata_engineering = {n(c.data_engineering)}\n"
        f"training = {n(c.training)}\ndeployment = {n(c.deployment)}\n"
        f"monitoring = {n(c.monitoring)}\nincident_response = {n(c.incident_response)}"
    )
    for need in f.needs:
        lines.append(
            f"\n[[features.needs]]\ncapability = {q(need.capability)}\n"
            f"required_maturity = {tomlwriter.value(need.required_maturity)}"
        )
    tomlwriter.table(_feature_computed(f, evaluation.features[f.id]), "features.computed", lines)


def _score_lines(s: Score, evaluation: scoring.Evaluation, lines: list[str]) -> None:
    q = tomlwriter.string
    lines.append(
        f"\n[[scores]]\nfeature = {q(s.feature)}\ncriterion = {q(s.criterion)}\n"
        f"participant = {q(s.participant)}\nvalue = {_number(s.value)}"
    )


def _number(value: float) -> str:
    if type(value) is float:
        if value.is_integer() and abs(value) < _LARGEST_EXACT_INT:
            return str(int(value))
        return repr(value)
    return tomlwriter.value(value)


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


_BY_ID = operator.attrgetter("id")
_SCORE_ORDER = operator.attrgetter("feature", "criterion", "participant")  # Score.key


def _by_id(records: Iterable[Any]) -> list[Any]:
    return sorted(records, key=_BY_ID)


def _with_computed(record: Record, computed: dict[str, Any]) -> dict[str, Any]:
    given = _given(record)
    given["computed"] = computed
    return given


def _given(record: Record | WorkspaceInfo) -> dict[str, Any]:
    return _numbers(record.model_dump(mode="python"))


def _numbers(value: Any) -> Any:
    """Whole numbers are written as integers: `250000`, not `250000.0`, as people write them.

    Changes model_dump's fresh dicts and lists in place (an export dumps 100,000 records).
    """
    kind = type(value)
    if kind is float:
        return _whole(value)
    if kind is dict:
        for key, item in value.items():
            kind = type(item)
            if kind is float:
                value[key] = _whole(item)
            elif kind is dict or kind is list:
                _numbers(item)
        return value
    if kind is list:
        for i, item in enumerate(value):
            kind = type(item)
            if kind is float:
                value[i] = _whole(item)
            elif kind is dict or kind is list:
                _numbers(item)
        return value
    return value


def _whole(value: float) -> float | int:
    if value.is_integer() and abs(value) < _LARGEST_EXACT_INT:
        return int(value)
    return value


def _round(value: float | None) -> float | None:
    """4 decimal places; -0.0 is written as 0.0."""
    if value is None:
        return None
    return round(value, 4) + 0.0


def _feature_computed(feature: Feature, result: scoring.FeatureResult) -> dict[str, Any]:
    e = scoring.economics(feature)
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
    text = text.removeprefix("\ufeff")  # a byte order mark, as some editors write, is no key
    deep = tomldepth.too_deep(text, MAX_DEPTH)
    if deep is not None:
        where = _line_column(text, deep)
        raise ExchangeError([f"{where}: nested more than {MAX_DEPTH} levels deep"])
    with bulk():
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
    message = message.removesuffix("(at end of document)").strip()
    return f"{_line_column(text, len(text))}: {message} (at the end of the file)"


def _line_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _plan(document: dict[str, Any]) -> Plan:
    problems: list[str] = []
    version = document.pop("format", None)
    match = _FORMAT_RE.fullmatch(version) if isinstance(version, str) else None
    if version is None:
        problems.append(f'format: required (write format = "{FORMAT}" at the top)')
    elif not match:
        problems.append(f"format: {version!r} is not a roadmap-tui file format")
    elif int(match[1]) > 1:
        problems.append(f"format: {version!r} is a newer format; this version reads {FORMAT}")
    elif match[1] != "1":  # 0 or 01: no such version was ever written
        problems.append(f"format: {version!r} is not one this version reads (it reads {FORMAT})")
    if problems:
        raise ExchangeError(problems)

    # Problems grouped by where they are, so they come in the order of SPEC section 3.
    found: dict[str, list[str]] = {"workspace": [], **{kind: [] for kind in _FILE_ARRAYS}}
    data: dict[str, Any] = {}
    info = document.pop("workspace", None)
    if info is None:
        found["workspace"].append("workspace: required ([workspace] with at least name)")
    else:
        data["workspace"] = info
    for kind in _FILE_ARRAYS:
        items = document.pop(kind, [])
        if not isinstance(items, list):
            found[kind].append(f"{kind}: must be an array of tables ([[{kind}]])")
            continue
        if kind in _COMPUTED:  # computed tables are derived; import ignores them (SPEC section 3)
            for item in items:
                if isinstance(item, dict):
                    item.pop("computed", None)
        data[kind] = items
    unknown = [f"{key}: unknown key" for key in document]
    plan = None
    try:  # every record of the file in one validation call, every problem with its path
        plan = Plan.model_validate(data)
    except ValidationError as error:
        for item, line in zip(error.errors(include_url=False), describe_errors(error), strict=True):
            loc = item["loc"]
            if loc == ("workspace",) and item["type"] == "missing":
                continue  # said above, with how to fix it
            if item["type"] in ("model_type", "dataclass_type") and (
                loc == ("workspace",) or (len(loc) == 2 and isinstance(loc[1], int))
            ):
                line = f"{format_loc(loc)}: must be a table"
            found.setdefault(str(loc[0]) if loc else "", []).append(line)
    problems = [line for lines in found.values() for line in lines] + unknown
    if problems or plan is None:
        raise ExchangeError(problems)
    return plan


def read_toml(path: str | os.PathLike[str]) -> Plan:
    """parse_toml of a file, with unreadable files reported as one line."""
    return parse_toml(_read_bounded(Path(path)))


def _read_bounded(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES, or one line saying why not.

    Anything else is refused before it is read: /dev/zero would fill the memory and
    a FIFO nobody writes would wait forever (issue 22).
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ExchangeError([f"{path} is not a regular file"])
        if info.st_size <= MAX_FILE_BYTES:
            # O_NONBLOCK: a file swapped for a FIFO since the check cannot hang the open
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            with os.fdopen(fd, "rb") as source:
                data = source.read(MAX_FILE_BYTES + 1)  # +1: one that grew is seen
            if len(data) <= MAX_FILE_BYTES:
                return data
    except OSError as error:
        raise ExchangeError([f"cannot read {path}: {error.strerror or error}"]) from None
    raise ExchangeError([f"{path} is larger than {MAX_FILE_BYTES // 2**20} MiB"])


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
        if error.errno in storage.FULL_ERRNOS:
            raise ExchangeError([storage.full(target)]) from None
        raise ExchangeError([f"cannot write {target}: {error.strerror or error}"]) from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
