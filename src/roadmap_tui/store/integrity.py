"""Reference integrity: who refers to whom, and what a write or an import would break.

References are validated here, in Python, so a refusal can say exactly what is
wrong; the schema has no foreign keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..lazy import lazy_import
from .reads import ALL_KINDS, NOUNS, Reads, _checked, _keyer

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..models import Criterion, Plan, Record

models = lazy_import("roadmap_tui.models")
record_rows = lazy_import("roadmap_tui.record_rows")

# Who refers to whom: (referring kind, its field, the kind it names). Deleting the named
# record refuses when a decision refers to it and otherwise cleans up the referrers.
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("scores", "feature", "features"),
    ("scores", "criterion", "criteria"),
    ("scores", "participant", "participants"),
    ("features", "needs", "capabilities"),
    ("risks", "feature", "features"),
    ("risks", "capability", "capabilities"),
    ("policies", "applies_to", "capabilities"),
    ("decisions", "decided_by", "participants"),
    ("decisions", "features", "features"),
    ("decisions", "capabilities", "capabilities"),
    ("decisions", "risks", "risks"),
    ("decisions", "policies", "policies"),
    ("decisions", "supersedes", "decisions"),
)


class Integrity(Reads):
    """What refers to a record, and the references a record or an import would break."""

    def references(self, kind: str, id: str) -> dict[str, list[str]]:
        """What refers to this record, by referring kind; only kinds with referrers appear.

        A criterion the scoring model needs is referred to by {"workspace": ["scoring_model"]}.
        """
        with self._reading():
            referrers = self._referrers(_checked(kind), id)
        return {
            source: ["scoring_model"]
            if source == "workspace"
            else [record_rows.ref(source, r) for r in records]
            for source, records in referrers.items()
        }

    def _referrers(self, kind: str, id: str) -> dict[str, list[Any]]:
        found: dict[str, dict[str, Any]] = {}
        for source, name, target in REFERENCES:
            if target != kind:
                continue
            if source == "features":  # needs live in their own table
                where = "WHERE id IN (SELECT feature FROM feature_needs WHERE capability = ?)"
            elif name in record_rows.JSON_COLUMNS.get(source, ()):
                where = f"WHERE EXISTS (SELECT 1 FROM json_each({source}.{name}) WHERE value = ?)"
            else:
                where = f"WHERE {name} = ?"
            for record in self._list(source, where, [id]):
                found.setdefault(source, {})[record_rows.ref(source, record)] = record
        out = {
            source: [records[key] for key in sorted(records)] for source, records in found.items()
        }
        if kind == "criteria":
            info = self.info()
            others = [c for c in self.criteria() if c.id != id]
            if models.model_problems(info.scoring_model, others):
                out["workspace"] = [info]
        return out

    def _outgoing_problems(self, kind: str, record: BaseModel) -> list[str]:
        """Each reference this record makes to a record the store does not hold."""
        problems = []
        for source, name, target in REFERENCES:
            if source != kind:
                continue
            value = getattr(record, name)
            if name == "needs":
                named = [(f"needs[{i}].capability", n.capability) for i, n in enumerate(value)]
            elif isinstance(value, list):
                named = [(f"{name}[{i}]", v) for i, v in enumerate(value)]
            else:
                named = [(name, value)] if value else []
            for path, ref in named:
                if not self._conn.execute(f"SELECT 1 FROM {target} WHERE id = ?", [ref]).fetchone():
                    problems.append(f"{path}: unknown {NOUNS[target]} '{ref}'")
        return problems

    def _range_problems(self, criterion: Criterion) -> list[str]:
        outside = self._list(
            "scores",
            "WHERE criterion = ? AND (value < ? OR value > ?)",
            [criterion.id, criterion.min, criterion.max],
        )
        if not outside:
            return []
        first = outside[0]
        return [
            f"{len(outside)} score(s) fall outside [{criterion.min:g}, {criterion.max:g}] "
            f"(e.g. {record_rows.ref('scores', first)} = {first.value:g}); "
            "change or clear them first"
        ]


def _unlink(record: Record, name: str, id: str) -> Record:
    """`record` without its reference to `id` in field `name`."""
    value = getattr(record, name)
    if name == "needs":
        value = [need for need in value if need.capability != id]
    elif isinstance(value, list):
        value = [item for item in value if item != id]
    else:
        value = ""
    return record.model_copy(update={name: value})


def _merge_problems(current: Plan, plan: Plan) -> list[str]:
    """check_references on the workspace as it would be after importing `plan`.

    The plan's records come first, so a problem's index is its index in the file;
    a problem in a record only the workspace holds names it by id instead.
    """
    lists: dict[str, list[Any]] = {}
    for kind in ALL_KINDS:
        incoming, stored, key = getattr(plan, kind), getattr(current, kind), _keyer(kind)
        if not stored:  # an import into a new workspace: nothing to merge
            lists[kind] = incoming
            continue
        keys = {key(r) for r in incoming}
        lists[kind] = [*incoming, *(r for r in stored if key(r) not in keys)]
    # Both sides hold validated records: the merged Plan only gathers them.
    merged = models.Plan.model_construct(workspace=plan.workspace, **lists)

    def label(kind: str, index: int) -> str:
        if index < len(getattr(plan, kind)):
            return f"{kind}[{index}]"
        return f"the workspace's {kind}['{record_rows.ref(kind, lists[kind][index])}']"

    return models.check_references(merged, label)
