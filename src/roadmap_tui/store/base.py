"""The connection: its transactions, the audit rows of each action, SQLite errors as words.

Every user action is one `BEGIN IMMEDIATE` transaction that checks, writes and
appends its audit rows, so a check and the write it guards cannot be split by
another process on the same file. `Store` is the base every concern of the store
builds on.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from .. import storage
from ..errors import WorkspaceError
from ..lazy import lazy_import

if TYPE_CHECKING:
    from pydantic import BaseModel

record_rows = lazy_import("roadmap_tui.record_rows")

BUSY_TIMEOUT_MS = 5000
Clock = Callable[[], dt.datetime]


def iso_utc(moment: dt.datetime) -> str:
    """How the audit log and presence write a moment: UTC, milliseconds, a Z."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_now() -> dt.datetime:
    """The audit log's clock; tests and snapshots pass a fixed one instead."""
    return dt.datetime.now(dt.UTC)


# A score value a Score model accepts as a number (SQLite keeps NaN as NULL): the one
# check of the votes read without a model (Workspace.votes and changes_since).
_A_NUMBER = "typeof(value) IN ('integer', 'real') AND abs(value) <= 1.7976931348623157e308"


# What a user reads when the file cannot be used (workspace.py's opening says the rest).


def is_damage(error: BaseException) -> bool:
    name = getattr(error, "sqlite_errorname", "")
    return name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB"


def damaged(path: Path) -> str:
    return (
        f"{path} is damaged (a truncated or corrupt SQLite file); "
        "restore it from a backup or an exported TOML file"
    )


def read_only(path: Path) -> str:
    return f"{path} is read-only; roadmap-tui needs to write to it"


class _Action:
    """The audit rows of one user action, written just before its transaction commits."""

    def __init__(self, actor: str, at: dt.datetime) -> None:
        self.actor = actor
        self.at = iso_utc(at)
        # (op, kind, entity_id, before, after): the audit columns after action, at and actor
        self.rows: list[tuple[str, str, str, str | None, str | None]] = []

    def log(self, op: str, kind: str, before: BaseModel | None, after: BaseModel | None) -> None:
        record = after if after is not None else before
        assert record is not None
        self.rows.append((op, kind, record_rows.ref(kind, record), _dump(before), _dump(after)))

    def log_stored(self, kind: str, changes: Sequence[tuple[Any, Any]]) -> None:
        """log() each (before, after) of an upsert: a create where before is None."""
        self.rows.extend(
            (
                "create" if before is None else "update",
                kind,
                record_rows.ref(kind, after),
                _dump(before),
                after.model_dump_json(),
            )
            for before, after in changes
        )

    def flush(self, conn: sqlite3.Connection) -> int | None:
        """Write the rows; the action's number, or None when nothing changed."""
        if not self.rows:
            return None  # nothing changed: no audit row, and no action number used
        action = conn.execute("SELECT COALESCE(MAX(action), 0) + 1 FROM audit").fetchone()[0]
        head = (action, self.at, self.actor)
        conn.executemany(
            "INSERT INTO audit (action, at, actor, op, kind, entity_id, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [head + row for row in self.rows],
        )
        return int(action)


def _dump(record: BaseModel | None) -> str | None:
    # pydantic's JSON of model_dump(mode="json"): compact, non-ASCII as it is (like to_json).
    return None if record is None else record.model_dump_json()


class Store:
    """An open workspace file: its connection, and this session's undo and redo stacks."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, actor: str, clock: Clock) -> None:
        self.path = path
        self.actor = actor
        self.clock = clock
        # this session's own actions (audit action numbers), for undo and redo
        self._undo: list[int] = []
        self._redo: list[int] = []
        self._conn = conn

    def _pragma(self, name: str) -> int:
        return int(self._conn.execute(f"PRAGMA {name}").fetchone()[0])

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE: hold the write lock from the first check to the last write."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise self._explain(error) from None
        try:
            yield
            self._conn.execute("COMMIT")
        except BaseException as error:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if _environmental(error):
                raise self._explain(error) from error
            raise

    @contextmanager
    def _action(self, *, undoable: bool = True) -> Iterator[_Action]:
        """One user action: one transaction, and its audit rows inside it.

        An undoable action goes on this session's undo stack and empties its redo stack.
        """
        action = _Action(self.actor, self.clock())
        with self._transaction():
            yield action
            number = action.flush(self._conn)
        if number is not None and undoable:
            self._undo.append(number)
            self._redo.clear()

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """One consistent snapshot for reads that span several queries."""
        if self._conn.in_transaction:
            yield
            return
        try:
            self._conn.execute("BEGIN")
            try:
                yield
            finally:
                self._conn.execute("COMMIT")
        except sqlite3.Error as error:
            if _environmental(error):
                raise self._explain(error) from error
            raise

    def _explain(self, error: sqlite3.Error) -> WorkspaceError:
        """The one place a SQLite error becomes the line a user reads."""
        name = getattr(error, "sqlite_errorname", "")
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            seconds = BUSY_TIMEOUT_MS / 1000
            return WorkspaceError(
                f"{self.path} is busy: another session held it for over {seconds:g} s; try again"
            )
        if name.startswith("SQLITE_READONLY"):
            return WorkspaceError(read_only(self.path))
        if is_damage(error):
            return WorkspaceError(damaged(self.path))
        if name.startswith("SQLITE_FULL") or (
            name.startswith("SQLITE_IOERR") and storage.disk_full(self.path)
        ):
            return WorkspaceError(storage.full(self.path))
        return WorkspaceError(f"cannot use {self.path}: {error}")

    def _query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Iterator[dict]:
        """Rows as dicts by column name."""
        cursor = self._conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return (dict(zip(names, row, strict=True)) for row in cursor)


def _environmental(error: BaseException) -> bool:
    """A SQLite error the user's situation caused (lock, disk, permissions, damage), not a bug."""
    return isinstance(error, sqlite3.OperationalError) or is_damage(error)
