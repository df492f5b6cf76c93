"""Writing records: save (with its check against what the caller read), delete, import.

Each write is one action (base.Store._action): the checks, the rows and their
audit rows in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..collector import bulk
from ..errors import ImportRefused, WorkspaceError
from ..lazy import lazy_import
from ..merge import merge
from .base import _Action
from .integrity import REFERENCES, Integrity, _merge_problems, _unlink
from .reads import ALL_KINDS, NOUNS, _checked, _keyer

if TYPE_CHECKING:
    from ..models import Plan, Record, Score, WorkspaceInfo

models = lazy_import("roadmap_tui.models")
record_rows = lazy_import("roadmap_tui.record_rows")


@dataclass
class ImportSummary:
    """What an import did: counts per kind, every kind of ALL_KINDS present (scores too)."""

    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ALL_KINDS, 0))
    changed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ALL_KINDS, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ALL_KINDS, 0))
    workspace_changed: bool = False

    def __str__(self) -> str:
        parts = []
        for kind in ALL_KINDS:
            counts = ((self.added[kind], "added"), (self.changed[kind], "changed"))
            bits = [f"{n} {what}" for n, what in counts if n]
            if bits:
                parts.append(f"{kind} {', '.join(bits)}")
        if self.workspace_changed:
            parts.append("workspace settings changed")
        same = sum(self.unchanged.values())
        parts.append(f"{same} unchanged" if parts else f"nothing changed ({same} records)")
        return "; ".join(parts)


class Writes(Integrity):
    """Saving, deleting and importing records."""

    def set_info(self, info: WorkspaceInfo, *, base: WorkspaceInfo) -> WorkspaceInfo:
        """Change the workspace settings read as `base` (see save); the settings now."""
        with self._action() as action:
            stored = self.info()
            info = _rebased("the workspace settings", info, base, stored)
            problems = models.model_problems(info.scoring_model, self.criteria())
            if problems:
                raise WorkspaceError(f"cannot use the {info.scoring_model} model: {problems[0]}")
            self._store(action, "workspace", [(stored, info)])
        return info

    def save(self, record: Record, *, base: Record | None) -> Record:
        """Add a new record (`base` None), or change the one the caller read as `base`.

        One transaction reads the stored record and writes: a new record whose id is
        taken is refused; a record changed since `base` was read gets only the fields
        the caller changed, and is refused if another session changed one of those too
        (README, "Sharing a workspace"). Returns the record as stored. Workspace
        settings are routed to set_info; votes use set_score.
        """
        if isinstance(record, models.WorkspaceInfo):
            assert isinstance(base, models.WorkspaceInfo), "the settings always exist"
            return self.set_info(record, base=base)
        kind = _kind_of(type(record))
        if kind is None:
            raise TypeError(f"cannot save a {type(record).__name__}; a vote is set_score's")
        with self._action() as action:
            stored = self.get(kind, record.id)
            record = _rebased(f"{NOUNS[kind]} '{record.id}'", record, base, stored)
            problems = self._outgoing_problems(kind, record)
            if isinstance(record, models.Criterion):
                problems += self._range_problems(record)
            if problems:
                raise WorkspaceError(
                    f"cannot save {NOUNS[kind]} '{record.id}': {'; '.join(problems)}"
                )
            self._store(action, kind, [(stored, record)])
        return record

    def set_score(self, score: Score) -> None:
        with self._action() as action:
            problems = self._outgoing_problems("scores", score)
            criterion = self.get("criteria", score.criterion)
            if (
                isinstance(criterion, models.Criterion)
                and not criterion.min <= score.value <= criterion.max
            ):
                problems.append(
                    f"{score.value:g} is outside {criterion.id}'s range "
                    f"[{criterion.min:g}, {criterion.max:g}]"
                )
            if problems:
                raise WorkspaceError(
                    f"cannot save score {record_rows.ref('scores', score)}: {'; '.join(problems)}"
                )
            self._store(action, "scores", [(self._score(score.key), score)])

    def clear_score(self, feature: str, criterion: str, participant: str = "") -> None:
        """Remove one score; clearing a score that does not exist does nothing."""
        with self._action() as action:
            before = self._score((feature, criterion, participant))
            if before is not None:
                self._remove(action, "scores", [before])

    def delete(self, kind: str, id: str) -> None:
        """Delete a record and clean up what referred to it, or refuse and change nothing.

        Decisions are history: anything a decision names (or a decision another one
        supersedes) is refused, as is a criterion the scoring model needs. Otherwise
        scores go with their feature/criterion/participant, and features' needs,
        policies' applies_to and risks' links drop the deleted id.
        """
        noun = NOUNS[_checked(kind)]
        with self._action() as action:
            before = self.get(kind, id)
            if before is None:
                raise WorkspaceError(f"there is no {noun} '{id}'")
            referrers = self._referrers(kind, id)
            if "decisions" in referrers:
                names = ", ".join(d.id for d in referrers["decisions"])
                if kind == "decisions":
                    raise WorkspaceError(f"cannot delete decision '{id}': {names} supersedes it")
                raise WorkspaceError(
                    f"cannot delete {noun} '{id}': decision(s) {names} list it; "
                    "edit or delete those decisions first"
                )
            if "workspace" in referrers:
                model = referrers["workspace"][0].scoring_model
                raise WorkspaceError(
                    f"cannot delete criterion '{id}': the {model} scoring model needs it; "
                    "choose another scoring model first"
                )
            for source, name, target in REFERENCES:
                if target != kind or source not in referrers:
                    continue
                if source == "scores":
                    self._remove(action, "scores", referrers["scores"])
                    continue
                changes = [(r, _unlink(r, name, id)) for r in referrers[source]]
                self._store(action, source, changes)
            self._remove(action, kind, [before])

    def apply(self, plan: Plan, *, dry_run: bool = False) -> ImportSummary:
        """Import: upsert every record of `plan` by id and replace the workspace settings.

        All or nothing, in one transaction. The merged result (the plan's records
        first, at their file indices, then the records only the workspace has) must
        pass check_references, else ImportRefused lists every problem. With
        `dry_run` nothing is written: the same checks and counts, for a preview.
        """
        summary = ImportSummary()
        with bulk(), self._reading() if dry_run else self._action() as action:
            current = self.plan()
            problems = _merge_problems(current, plan)
            if problems:
                raise ImportRefused(problems)
            summary.workspace_changed = current.workspace != plan.workspace
            if action is not None:
                self._store(action, "workspace", [(current.workspace, plan.workspace)])
            for kind in ALL_KINDS:
                key = _keyer(kind)
                existing = {key(r): r for r in getattr(current, kind)}
                changes = [(existing.get(key(r)), r) for r in getattr(plan, kind)]
                for before, after in changes:
                    if before is None:
                        summary.added[kind] += 1
                    elif before == after:
                        summary.unchanged[kind] += 1
                    else:
                        summary.changed[kind] += 1
                if action is not None:
                    self._store(action, kind, changes)
        return summary

    # -- write helpers: callers hold a transaction -----------------------------------------

    def _store(self, action: _Action, kind: str, changes: Sequence[tuple[Any, Any]]) -> None:
        """Upsert each (before, after) pair that differs, with its audit row."""
        changes = [(before, after) for before, after in changes if before != after]
        if not changes:
            return
        # One prepared statement for all rows (the policies' search triggers fire per row).
        self._conn.executemany(
            record_rows.upsert_sql(kind),
            [record_rows.row_values(kind, after) for _, after in changes],
        )
        if kind == "features":
            self._delete_needs([after.id for _, after in changes])
            self._conn.executemany(
                record_rows.NEEDS_INSERT_SQL,
                [row for _, after in changes for row in record_rows.need_values(after)],
            )
        action.log_stored(kind, changes)

    def _remove(self, action: _Action, kind: str, records: Sequence[Any]) -> None:
        for record in records:
            if kind == "scores":
                self._conn.execute(
                    "DELETE FROM scores WHERE feature = ? AND criterion = ? AND participant = ?",
                    record.key,
                )
            else:
                self._conn.execute(f"DELETE FROM {kind} WHERE id = ?", [record.id])
            action.log("delete", kind, record, None)
        if kind == "features":
            self._delete_needs([record.id for record in records])

    def _delete_needs(self, features: list[str]) -> None:
        self._conn.executemany(
            "DELETE FROM feature_needs WHERE feature = ?", [(feature,) for feature in features]
        )


def _kind_of(model: type) -> str | None:
    return next((kind for kind, record in models.KINDS.items() if record is model), None)


def _rebased(what: str, record: Any, base: Any, stored: Any) -> Any:
    """What a save of `record`, made from `base`, writes over `stored`: `record` itself if
    nothing changed since the read, else its changes merged field by field onto `stored`.
    WorkspaceError (nothing written) when that cannot be done without losing a change."""
    if base is None:
        if stored is not None:
            raise WorkspaceError(f"there is already a {what}")
        return record
    if getattr(base, "id", None) != getattr(record, "id", None):
        raise ValueError(f"{what}: an id never changes; base is {base.id!r}")
    if stored == base:
        return record
    if stored is None:
        raise WorkspaceError(f"cannot save {what}: another session deleted it since you read it")
    merged, clashes = merge(base.model_dump(), record.model_dump(), stored.model_dump())
    if clashes:
        raise WorkspaceError(
            f"cannot save {what}: another session changed {', '.join(clashes)} since you "
            "read it; look at theirs, then make your change again"
        )
    try:
        return type(record).model_validate(merged)
    except models.ValidationError as error:  # a rule across fields (a criterion's min, max)
        raise WorkspaceError(
            f"cannot save {what}: with another session's change since you read it, "
            f"{models.first_error(error)}"
        ) from None
