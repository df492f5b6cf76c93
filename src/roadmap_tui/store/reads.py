"""Reading records: each kind, one record, the whole plan, the votes as plain tuples.

Every row read is validated like any input (the file may have been edited by
another program), a batch of rows per pydantic call.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..collector import bulk
from ..errors import WorkspaceError
from ..lazy import lazy_import
from .base import _A_NUMBER, Store, damaged

if TYPE_CHECKING:
    from ..models import (
        Capability,
        Criterion,
        Decision,
        Feature,
        Participant,
        Plan,
        Policy,
        Record,
        Risk,
        Score,
        WorkspaceInfo,
    )
    from ..scoring import Vote

# The records, their rules and their rows load when a record is first read or written:
# opening a file and drawing the Overview kept in it need neither (issue 10, B1).
models = lazy_import("roadmap_tui.models")
record_rows = lazy_import("roadmap_tui.record_rows")

# Every kind a plan holds, in the order of SPEC section 3.
ALL_KINDS = (
    "participants",
    "capabilities",
    "features",
    "criteria",
    "scores",
    "risks",
    "policies",
    "decisions",
)
NOUNS = {
    "participants": "participant",
    "capabilities": "capability",
    "features": "feature",
    "criteria": "criterion",
    "scores": "score",
    "risks": "risk",
    "policies": "policy",
    "decisions": "decision",
}

# Reading order: by id, except these (SPEC section 3).
_ORDER = {"decisions": "date, id", "scores": "feature, criterion, participant"}
_READ_BATCH = 1024  # rows validated per pydantic call when reading a kind
# Columns whose few values repeat row after row, such as another record's id: read as
# one str object per value (see Workspace._list).
_REPEATED_COLUMNS = {
    "scores": ("feature", "criterion", "participant"),
    "features": ("status", "value_point", "quarter", "owner"),
}
_BAD_VOTE = f"SELECT 1 FROM (SELECT value FROM scores {{where}}) WHERE NOT ({_A_NUMBER}) LIMIT 1"


def _select_sql(kind: str, where: str) -> str:
    columns = ", ".join(record_rows.COLUMNS[kind])
    return f"SELECT {columns} FROM {kind} {where} ORDER BY {_ORDER.get(kind, 'id')}"


class Reads(Store):
    """Reading records."""

    def info(self) -> WorkspaceInfo:
        rows = self._select("workspace", "WHERE id = 1")
        if not rows:
            raise WorkspaceError(damaged(self.path))
        return record_rows.from_row("workspace", rows[0])

    def participants(self) -> list[Participant]:
        return self._list("participants")

    def capabilities(self) -> list[Capability]:
        return self._list("capabilities")

    def features(self) -> list[Feature]:
        return self._list("features")

    def criteria(self) -> list[Criterion]:
        return self._list("criteria")

    def risks(self) -> list[Risk]:
        return self._list("risks")

    def policies(self) -> list[Policy]:
        return self._list("policies")

    def decisions(self) -> list[Decision]:
        return self._list("decisions")

    def scores(self, feature: str | None = None) -> list[Score]:
        if feature is None:
            return self._list("scores")
        return self._list("scores", "WHERE feature = ?", [feature])

    def votes(self, features: Collection[str] | None = None) -> Iterator[Vote]:
        """Every score (or every score of `features`) as a plain tuple, in cell order: what
        the scoring reads.

        Streamed (consume it at once: the read is one snapshot), never held as models:
        at 10,000 features that is 100,000 rows. A value that is not a finite number,
        left by another program, is refused like any damage.
        """
        where, params = "", []
        if features is not None:
            where, params = (
                "WHERE feature IN (SELECT value FROM json_each(?))",
                [json.dumps(sorted(features))],
            )
        with self._reading():
            if self._conn.execute(_BAD_VOTE.format(where=where), params).fetchone():
                raise WorkspaceError(damaged(self.path))
            cursor = self._conn.execute(
                f"SELECT feature, criterion, participant, value FROM scores {where} "
                f"ORDER BY {_ORDER['scores']}",
                params,
            )
            while batch := cursor.fetchmany(_READ_BATCH):
                yield from batch

    def get(self, kind: str, id: str) -> Record | None:
        found = self._list(_checked(kind), "WHERE id = ?", [id])
        return found[0] if found else None

    def plan(self, *, scores: bool = True) -> Plan:
        """Every record; `scores=False` leaves the scores out, for a reader of `votes()`."""
        with bulk(), self._reading():
            lists = {kind: self._list(kind) for kind in ALL_KINDS if scores or kind != "scores"}
            # Every record was just validated by _list: the Plan only gathers them.
            return models.Plan.model_construct(workspace=self.info(), **lists)

    def counts(self) -> dict[str, int]:
        with self._reading():
            return {kind: self._count(kind) for kind in ALL_KINDS}

    def _count(self, kind: str) -> int:
        return int(self._conn.execute(f"SELECT count(*) FROM {kind}").fetchone()[0])

    def _select(self, kind: str, where: str = "", params: Sequence[Any] = ()) -> list[dict]:
        return list(self._query(_select_sql(kind, where), params))

    def _list(self, kind: str, where: str = "", params: Sequence[Any] = ()) -> list[Any]:
        with bulk(), self._reading():
            # One str object per id value: SQLite gives each row its own copy of, say, a
            # feature id that 10 scores repeat; sharing them saves memory, and the hash
            # every dict lookup of that id needs is computed once.
            shared: dict[str, str] = {}
            share = shared.setdefault
            # Validated like any input (the file may have been edited by another program),
            # a batch of rows per call: each need is validated inside its feature, and a
            # batch's row dicts are still in the CPU's cache when pydantic reads them.
            names = record_rows.COLUMNS[kind]
            repeated = _REPEATED_COLUMNS.get(kind, ())
            cursor = self._conn.execute(_select_sql(kind, where), params)
            records: list[Any] = []
            while batch := cursor.fetchmany(_READ_BATCH):
                rows = [dict(zip(names, row, strict=True)) for row in batch]
                for row in rows:
                    for column in repeated:
                        value = row[column]
                        row[column] = share(value, value)
                needs = self._needs(rows, share) if kind == "features" else None
                records += record_rows.from_rows(kind, rows, needs)
            return records

    def _needs(
        self, rows: list[dict[str, Any]], share: Callable[[str, str], str]
    ) -> dict[str, list[dict[str, Any]]]:
        """The needs of a batch of feature rows (in id order), each list in its saved order.

        Read a batch at a time, so a 10,000-feature read never holds every need's row.
        """
        ids = {row["id"] for row in rows}
        sql = (
            "SELECT feature, capability, required_maturity FROM feature_needs "
            "WHERE feature BETWEEN ? AND ? ORDER BY feature, position"
        )
        needs: dict[str, list[dict[str, Any]]] = {}
        for feature, capability, maturity in self._conn.execute(
            sql, [rows[0]["id"], rows[-1]["id"]]
        ):
            if feature in ids:  # a filtered read skips ids inside the range
                needs.setdefault(feature, []).append(
                    {"capability": share(capability, capability), "required_maturity": maturity}
                )
        return needs

    def _score(self, key: tuple[str, str, str]) -> Score | None:
        found = self._list("scores", "WHERE feature = ? AND criterion = ? AND participant = ?", key)
        return found[0] if found else None


def _checked(kind: str) -> str:
    if kind not in models.KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(models.KINDS)}")
    return kind


_BY_ID = operator.attrgetter("id")
_BY_SCORE_KEY = operator.attrgetter("feature", "criterion", "participant")  # Score.key


def _keyer(kind: str) -> Callable[[Any], Any]:
    """What identifies a record of `kind`: its id, (feature, criterion, participant) for a score."""
    return _BY_SCORE_KEY if kind == "scores" else _BY_ID
