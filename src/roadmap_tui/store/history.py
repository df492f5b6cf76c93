"""History: the audit log read back (entries, the activity feed), and undo and redo.

Undo and redo replay this session's own actions from the audit rows, refusing
when a record has changed since.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import schema
from ..errors import ReplayRefused
from ..lazy import lazy_import
from .reads import NOUNS
from .writes import Writes

if TYPE_CHECKING:
    from pydantic import BaseModel

models = lazy_import("roadmap_tui.models")
record_rows = lazy_import("roadmap_tui.record_rows")

_AUDIT_COLUMNS = "id, action, at, actor, op, kind, entity_id, before, after"


@dataclass(frozen=True)
class AuditEntry:
    """One audit row: what one record looked like before and after one user action."""

    id: int
    action: int  # shared by every row of one user action (one transaction)
    at: str  # UTC, ISO 8601
    actor: str
    op: str  # "create" | "update" | "delete"
    kind: str  # a key of KINDS, "scores" or "workspace"
    entity_id: str  # the id; "feature/criterion/participant" for a score
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class Activity:
    """One user action as the activity feed shows it."""

    action: int
    at: str  # UTC, ISO 8601
    actor: str
    # (op, kind, how many records, the first entity id) per op and kind the action touched
    changes: list[tuple[str, str, int, str]]


class History(Writes):
    """The audit log, and undo and redo of this session's actions."""

    def audit(self, limit: int = 50) -> list[AuditEntry]:
        sql = f"SELECT {_AUDIT_COLUMNS} FROM audit ORDER BY id DESC LIMIT ?"
        rows = self._query(sql, [limit])
        return [
            AuditEntry(
                **{
                    **row,
                    "before": schema.from_json(row["before"]),
                    "after": schema.from_json(row["after"]),
                }
            )
            for row in rows
        ]

    def activity(self, limit: int = 10) -> list[Activity]:
        """The last `limit` user actions, newest first, each summarised from its audit rows."""
        # Counted from the index on (action, op, kind); each group's first row gives the
        # action's moment and actor and, for a single change, what it changed.
        sql = """
            SELECT g.action, a.at, a.actor, g.op, g.kind, g.count, a.entity_id
            FROM (
                SELECT action, op, kind, COUNT(*) AS count, MIN(id) AS first FROM audit
                WHERE action IN (SELECT DISTINCT action FROM audit ORDER BY action DESC LIMIT ?)
                GROUP BY action, op, kind
            ) AS g JOIN audit AS a ON a.id = g.first
            ORDER BY g.action DESC, g.first
        """
        actions: dict[int, Activity] = {}
        for row in self._query(sql, [limit]):
            entry = actions.setdefault(
                row["action"], Activity(row["action"], row["at"], row["actor"], [])
            )
            entry.changes.append((row["op"], row["kind"], row["count"], row["entity_id"]))
        return list(actions.values())

    # -- undo and redo of this session's own actions, through the audit log -------------------

    def undo(self) -> str | None:
        """Reverse this session's last action; what it was, or None if there is none.

        Refused (ReplayRefused, nothing written) when a record it touched has changed
        since, or when the result would break a reference: that action is then taken
        off the stack, so the next undo reaches the one before it.
        """
        return self._step(self._undo, self._redo, backwards=True)

    def redo(self) -> str | None:
        """Do again the last action undone; None if there is none (refused as undo is)."""
        return self._step(self._redo, self._undo, backwards=False)

    def _step(self, stack: list[int], other: list[int], *, backwards: bool) -> str | None:
        if not stack:
            return None
        try:
            description = self._replay(stack[-1], backwards=backwards)
        except ReplayRefused as refused:
            stack.pop()  # it can never replay cleanly: it must not block the older ones
            verb = "undo" if backwards else "redo"
            after = (
                f"the next {verb} takes the one before it" if stack else f"nothing else to {verb}"
            )
            raise ReplayRefused(f"{refused}; skipped it: {after}") from None
        other.append(stack.pop())
        return description

    def _replay(self, number: int, *, backwards: bool) -> str:
        rows = list(
            self._query(
                "SELECT op, kind, entity_id, before, after FROM audit WHERE action = ? ORDER BY id",
                [number],
            )
        )
        what = self._describe(rows)
        verb = "undo" if backwards else "redo"
        with self._action(undoable=False) as action:
            for row in reversed(rows) if backwards else rows:
                was, becomes = (
                    (row["after"], row["before"]) if backwards else (row["before"], row["after"])
                )
                kind, entity_id = row["kind"], row["entity_id"]
                current = self._current(kind, entity_id)
                now = None if current is None else current.model_dump(mode="json")
                if now != schema.from_json(was):
                    changed = self._label(kind, entity_id, now or schema.from_json(was))
                    raise ReplayRefused(f"cannot {verb} {what}: {changed} has changed since")
                target = schema.from_json(becomes)
                if target is None:
                    self._remove(action, kind, [current])
                else:
                    self._store(
                        action, kind, [(current, record_rows.MODELS[kind].model_validate(target))]
                    )
            problems = models.check_references(self.plan())
            if problems:
                raise ReplayRefused(f"cannot {verb} {what}: {problems[0]}")
        return what

    def _describe(self, rows: list[dict[str, Any]]) -> str:
        """An action as a person reads it: 'new feature Churn model', 'vote by Ana on
        Churn model · Model risk', 'deleted capability FS and 2 more changes'."""
        # A delete first updates what referred to the record: the delete is what was done.
        first = next((r for op in ("delete", "create") for r in rows if r["op"] == op), rows[0])
        data = schema.from_json(first["before" if first["op"] == "delete" else "after"])
        label = self._label(first["kind"], first["entity_id"], data)
        if first["kind"] != "scores":  # a vote is new or changed as a matter of course
            label = {"create": "new ", "update": "change to ", "delete": "deleted "}[first["op"]]
            label += self._label(first["kind"], first["entity_id"], data)
        more = len(rows) - 1
        return f"{label} and {more} more change{'s' if more > 1 else ''}" if more else label

    def _label(self, kind: str, entity_id: str, data: Any) -> str:
        """A record by what people call it: its title or name, never its id alone."""
        if kind == "workspace":
            return "the workspace settings"
        if kind == "scores":
            feature, criterion, participant = entity_id.split("/")
            who = (
                f"vote by {self._name('participants', participant)}"
                if participant
                else ("consensus value")
            )
            on = f"{self._name('features', feature)} · {self._name('criteria', criterion)}"
            return f"{who} on {on}"
        name = data.get("title") or data.get("name") if isinstance(data, dict) else None
        return f"{NOUNS.get(kind, kind)} {name or entity_id}"

    def _name(self, kind: str, entity_id: str) -> str:
        record = self.get(kind, entity_id)
        return getattr(record, "title", None) or getattr(record, "name", None) or entity_id

    def _current(self, kind: str, entity_id: str) -> BaseModel | None:
        if kind == "workspace":
            return self.info()
        if kind == "scores":
            feature, criterion, participant = entity_id.split("/")
            return self._score((feature, criterion, participant))
        return self.get(kind, entity_id)
