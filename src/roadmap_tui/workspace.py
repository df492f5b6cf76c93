"""The store: one SQLite file per workspace, the only place in the project that runs SQL.

Every user action is one `BEGIN IMMEDIATE` transaction that checks, writes and
appends its audit rows, so a check and the write it guards cannot be split by
another process on the same file. References are validated here, in Python,
so a refusal can say exactly what is wrong; the schema has no foreign keys.
The file layout lives in schema.py, the record <-> row mapping in record_rows.py.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import os
import re
import socket
import sqlite3
import unicodedata
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import schema, storage
from .collector import bulk
from .errors import ImportRefused, ReplayRefused, SearchError, WorkspaceError
from .lazy import lazy_import
from .merge import merge
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from concurrent.futures import Future

    from pydantic import BaseModel
    from sqlite_utils import Database

    from .models import (
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
    from .scoring import ScoreChange, Vote

# The records, their rules and their rows load when a record is first read or written:
# opening a file and drawing the Overview kept in it need neither (issue 10, B1).
models = lazy_import("roadmap_tui.models")
record_rows = lazy_import("roadmap_tui.record_rows")

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Activity",
    "AuditEntry",
    "Changes",
    "ImportSummary",
    "Marked",
    "PolicyHit",
    "Workspace",
]

BUSY_TIMEOUT_MS = 5000
PRESENCE_SECONDS = 15  # a session whose heartbeat is older is not shown as present
PRESENCE_FORGET_SECONDS = 3600
Clock = Callable[[], dt.datetime]


def iso_utc(moment: dt.datetime) -> str:
    """How the audit log and presence write a moment: UTC, milliseconds, a Z."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_now() -> dt.datetime:
    """The audit log's clock; tests and snapshots pass a fixed one instead."""
    return dt.datetime.now(dt.UTC)


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

# Reading order: by id, except these (SPEC section 3).
_ORDER = {"decisions": "date, id", "scores": "feature, criterion, participant"}
_READ_BATCH = 1024  # rows validated per pydantic call when reading a kind
# Columns whose few values repeat row after row, such as another record's id: read as
# one str object per value (see Workspace._list).
_REPEATED_COLUMNS = {
    "scores": ("feature", "criterion", "participant"),
    "features": ("status", "value_point", "quarter", "owner"),
}
# More changed cells than this (an import) are reloaded, not read one by one.
_CELLS_ONE_BY_ONE = 1000
# A score value a Score model accepts as a number (SQLite keeps NaN as NULL): the one
# check of the votes read without a model (Workspace.votes and changes_since).
_A_NUMBER = "typeof(value) IN ('integer', 'real') AND abs(value) <= 1.7976931348623157e308"
_BAD_VOTE = f"SELECT 1 FROM (SELECT value FROM scores {{where}}) WHERE NOT ({_A_NUMBER}) LIMIT 1"
_AUDIT_COLUMNS = "id, action, at, actor, op, kind, entity_id, before, after"


def _select_sql(kind: str, where: str) -> str:
    columns = ", ".join(record_rows.COLUMNS[kind])
    return f"SELECT {columns} FROM {kind} {where} ORDER BY {_ORDER.get(kind, 'id')}"


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


@dataclass(frozen=True)
class Presence:
    """Another session on the same workspace file."""

    actor: str
    host: str
    started: str  # UTC, ISO 8601


@dataclass(frozen=True)
class Changes:
    """What changed since a content_version (Workspace.changes_since)."""

    version: int  # the content_version now
    kinds: frozenset[str]
    scores: list[ScoreChange] | None  # each changed cell, when only scores changed


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


@dataclass(frozen=True)
class Marked:
    """Text with a search's matches marked, as plain data: (text, is_match) runs, in order.

    Never markup and never marker characters inside the text: a policy body may
    hold any character, so the runs, not a string with markers, say what matched.
    """

    runs: tuple[tuple[str, bool], ...] = ()

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)

    @property
    def matches(self) -> tuple[str, ...]:
        return tuple(text for text, matched in self.runs if matched)


@dataclass(frozen=True)
class PolicyHit:
    """One policy found by `Workspace.search_policies`."""

    id: str
    rank: float  # FTS5's bm25: lower is better; hits come best first
    snippet: Marked  # a few words of the body around the matches (its start when none)
    title: Marked  # the whole title, matches marked
    owner: Marked  # the whole owner, matches marked


# Search: bm25 weights of the indexed columns (title, body, owner): a word in the title
# counts ten times one in the body, a match on the owner five times.
SEARCH_WEIGHTS = (10.0, 1.0, 5.0)
MAX_SEARCH_TERMS = 32  # words after this many are ignored (and the caller is told)
_PHRASE = re.compile(r'"([^"]*)"|([^\s"]+)')


def _token_char(char: str) -> bool:
    # FTS5's unicode61 tokenizer keeps letters, numbers and private-use characters (L*, N*, Co).
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co"


def search_terms(query: str) -> list[tuple[str, bool]]:
    """The words and "quoted phrases" of what a person typed: (text, was quoted).

    Nothing typed is FTS5 syntax: operators, `*`, `^`, `col:`, `NEAR(` and
    parentheses are ordinary characters here. Control characters and lone
    surrogates separate words; a lone `"` is ignored. A word or phrase without a
    letter or digit (`*`, `-`, an emoji) cannot match anything and is dropped.
    """
    cleaned = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in query)
    if cleaned.count('"') % 2:  # an unbalanced quote: ignore the last one
        head, _, tail = cleaned.rpartition('"')
        cleaned = head + " " + tail
    terms = []
    for match in _PHRASE.finditer(cleaned):
        phrase, word = match.groups()
        text = " ".join((phrase if phrase is not None else word).split())
        if any(_token_char(c) for c in text):
            terms.append((text, phrase is not None))
    return terms


def fts_query(query: str) -> tuple[str, int]:
    """An FTS5 MATCH expression for what a person typed, and how many words were left out.

    Every word or phrase becomes an FTS5 string ("..." with inner quotes
    doubled), so no typed text is read as FTS5 syntax; the strings are joined
    by spaces (all must match). The last word is a prefix ("forec" finds
    "forecast") unless the query ends in a space or a closing quote: a word
    being typed still finds things. "" when there is nothing to search for.
    """
    terms = search_terms(query)
    dropped = max(0, len(terms) - MAX_SEARCH_TERMS)
    terms = terms[:MAX_SEARCH_TERMS]
    parts = ['"' + text.replace('"', '""') + '"' for text, _ in terms]
    typing = bool(query) and not query[-1].isspace() and not query.endswith('"')
    if parts and typing and not terms[-1][1] and not dropped:
        parts[-1] += "*"
    return " ".join(parts), dropped


def _marked(text: str | None, start: str, end: str) -> Marked:
    """Runs from FTS5 highlight()/snippet() output marked with this query's `start`/`end`."""
    runs: list[tuple[str, bool]] = []
    matched = False
    for piece in re.split(f"({re.escape(start)}|{re.escape(end)})", text or ""):
        if piece == start:
            matched = True
        elif piece == end:
            matched = False
        elif piece:
            if runs and runs[-1][1] == matched:
                runs[-1] = (runs[-1][0] + piece, matched)
            else:
                runs.append((piece, matched))
    return Marked(tuple(runs))


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


class Workspace:
    """An open workspace file. Use `create` or `open`; close it (or use `with`) when done."""

    SCHEMA_VERSION = SCHEMA_VERSION

    def __init__(self, path: Path, conn: sqlite3.Connection, *, actor: str, clock: Clock) -> None:
        self.path = path
        self.actor = actor
        self.clock = clock
        # this session's own actions (audit action numbers), for undo and redo
        self._undo: list[int] = []
        self._redo: list[int] = []
        self._conn = conn

    @cached_property
    def _db(self) -> Database:
        """sqlite-utils, for what it is made for: creating and migrating the schema.

        Rows are read and written with prepared SQL on the connection; sqlite-utils
        is imported only when a file is created or upgraded, which keeps 25 ms and
        5 MB off opening a workspace (issue 10, B1 and B5).
        """
        from sqlite_utils import Database

        return Database(self._conn, execute_plugins=False)

    # -- opening and creating ------------------------------------------------------------

    @classmethod
    def create(
        cls, path: str | os.PathLike[str], plan: Plan, *, actor: str, clock: Clock = utc_now
    ) -> Workspace:
        """A new workspace file at `path` holding `plan`; nothing is left behind on failure.

        `path` must not exist yet. The plan is imported as one action, so a plan
        that fails check_references raises ImportRefused and no file remains.
        """
        path = Path(path)
        schema.reserve(path)
        workspace = None
        try:
            workspace = cls._connect(path, actor, clock)
            with workspace._action() as action:
                schema.migrate(workspace._db, 0)
                workspace._store(action, "workspace", [(None, plan.workspace)])
            workspace.apply(plan)
            workspace._checkpoint()
        except BaseException:
            if workspace is not None:
                workspace.close()
            _remove(path)
            raise
        return workspace

    def discard(self) -> None:
        """Close and delete the file `create` made: for a caller whose next step failed."""
        self.close()
        _remove(self.path)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        actor: str,
        clock: Clock = utc_now,
        checked: Future[bool] | None = None,
    ) -> Workspace:
        """Open an existing workspace, upgrading an older schema; refuse anything else untouched.

        `checked` is `schema.preflight(path)` already under way, for a caller that
        started it early (the CLI, while the app's modules import).
        """
        path = Path(path)
        live = checked.result() if checked is not None else schema.preflight(path)
        workspace = cls._connect(path, actor, clock)
        try:
            if live:  # the check preflight left for now: another session has the file open
                workspace._quick_check()
            workspace._upgrade()
        except BaseException:
            workspace.close()
            raise
        return workspace

    @classmethod
    def _connect(cls, path: Path, actor: str, clock: Clock) -> Workspace:
        existed = [side.exists() for side in schema.sidecars(path)]
        try:  # isolation_level=None: no implicit BEGIN; _transaction issues BEGIN IMMEDIATE
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as error:
            raise WorkspaceError(f"cannot open {path}: {error}") from None
        workspace = cls(path, conn, actor=actor, clock=clock)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
            conn.execute("PRAGMA journal_mode = WAL")
            # A vote is a commit; with NORMAL, WAL commits are not fsync'd one by one (the
            # log is at checkpoints), so typing is not held up by the disk. A killed app
            # loses nothing; a power cut can lose what the system had not flushed, never
            # the file's consistency (README, "Sharing a workspace"; issue 10, B2).
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as error:
            workspace.close()
            _remove_stillborn(path, existed)
            raise workspace._explain(error) from None
        return workspace

    def _upgrade(self) -> None:
        """Check the real header (the -wal may hold a newer one than the file), then migrate."""
        with self._transaction():
            app_id = self._pragma("application_id")
            version = self._pragma("user_version")
            if app_id != APPLICATION_ID:
                raise WorkspaceError(schema.not_a_workspace(self.path))
            if version > schema.target_version():
                raise WorkspaceError(schema.too_new(self.path, version))
            if version == schema.target_version():
                return
            schema.migrate(self._db, version)
        self._checkpoint()

    def _quick_check(self) -> None:
        try:
            ok = self._conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            ok = False
        if not ok:
            raise WorkspaceError(schema.damaged(self.path))

    def _checkpoint(self) -> None:
        # Put the header (application_id, user_version) into the main file, where the next
        # process's _preflight reads it.
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as error:  # the disk filled up: `new` ended in a traceback
            raise self._explain(error) from None

    def _pragma(self, name: str) -> int:
        return int(self._conn.execute(f"PRAGMA {name}").fetchone()[0])

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Workspace:
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
            return WorkspaceError(schema.read_only(self.path))
        if schema.is_damage(error):
            return WorkspaceError(schema.damaged(self.path))
        if name.startswith("SQLITE_FULL") or (
            name.startswith("SQLITE_IOERR") and storage.disk_full(self.path)
        ):
            return WorkspaceError(storage.full(self.path))
        return WorkspaceError(f"cannot use {self.path}: {error}")

    # -- reads ---------------------------------------------------------------------------

    def info(self) -> WorkspaceInfo:
        rows = self._select("workspace", "WHERE id = 1")
        if not rows:
            raise WorkspaceError(schema.damaged(self.path))
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
                raise WorkspaceError(schema.damaged(self.path))
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

    def search_policies(
        self, query: str, limit: int = 50, *, snippet_words: int = 12
    ) -> list[PolicyHit]:
        """Policies whose title, body or owner has every word of `query`, best first.

        Any text is safe to pass (see `fts_query`): it is never read as FTS5
        syntax. A blank query finds nothing. A query with no letter or digit, or
        one SQLite still cannot run, raises SearchError with one line to show.
        Ranked by bm25 with SEARCH_WEIGHTS, ties by id. Matches are marked in
        `Marked` runs; the markers SQLite writes are random per query, so no
        text in a policy can pose as one.
        """
        if not query.strip():
            return []
        expression, dropped = fts_query(query)
        if not expression:
            raise SearchError("nothing to search for: type a word (letters or digits)")
        if dropped:
            raise SearchError(
                f"too many words: search takes at most {MAX_SEARCH_TERMS}; remove {dropped}"
            )
        import secrets  # here: it loads hashlib, ~1.5 ms of every start (issue 10, B1)

        nonce = secrets.token_hex(12)
        start, end = f"\x02{nonce}\x1f", f"\x1f{nonce}\x03"
        weights = ", ".join(f"{w:g}" for w in SEARCH_WEIGHTS)
        sql = f"""
            SELECT policies.id AS id,
                   bm25(policies_fts, {weights}) AS rank,
                   snippet(policies_fts, 1, :start, :end, '…', :words) AS snippet,
                   highlight(policies_fts, 0, :start, :end) AS title,
                   highlight(policies_fts, 2, :start, :end) AS owner
            FROM policies_fts JOIN policies ON policies.rowid = policies_fts.rowid
            WHERE policies_fts MATCH :query
            ORDER BY rank, policies.id
            LIMIT :limit
        """
        params = {
            "start": start,
            "end": end,
            "words": max(1, min(64, snippet_words)),
            "query": expression,
            "limit": max(0, limit),
        }
        try:  # one statement: a consistent read on its own
            rows = list(self._query(sql, params))
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorname", "") != "SQLITE_ERROR":
                raise SearchError(str(self._explain(error))) from error  # busy, damaged, ...
            reason = " ".join(str(error).split())  # e.g. 'fts5: syntax error near "("'
            raise SearchError(f"cannot search for that: {reason}") from error
        return [
            PolicyHit(
                id=row["id"],
                rank=row["rank"],
                snippet=_marked(row["snippet"], start, end),
                title=_marked(row["title"], start, end),
                owner=_marked(row["owner"], start, end),
            )
            for row in rows
        ]

    def search_index_ok(self) -> bool:
        """Whether the policy search index matches the policies table (FTS5 integrity-check)."""
        try:
            self._conn.execute(
                "INSERT INTO policies_fts(policies_fts, rank) VALUES ('integrity-check', 1)"
            )
        except sqlite3.DatabaseError:
            return False
        return True

    def data_version(self) -> int:
        """Changes whenever another connection commits to the file (PRAGMA data_version)."""
        return self._pragma("data_version")

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

    # -- presence: who else has the file open (not data: never audited) ---------------------

    def join(self) -> str:
        """Register this session as present; returns its id for heartbeat() and leave()."""
        session = uuid.uuid4().hex
        now = self._stamp()
        with self._transaction():
            # sessions that died long ago (a kill, a lost SSH link) are swept here
            cutoff = self._stamp(-PRESENCE_FORGET_SECONDS)
            self._conn.execute("DELETE FROM sessions WHERE seen < ?", [cutoff])
            self._conn.execute(
                "INSERT INTO sessions (id, actor, host, pid, started, seen) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [session, self.actor, socket.gethostname(), os.getpid(), now, now],
            )
        return session

    def heartbeat(self, session: str) -> None:
        with self._transaction():
            self._conn.execute(
                "UPDATE sessions SET seen = ? WHERE id = ?", [self._stamp(), session]
            )

    def leave(self, session: str) -> None:
        with self._transaction():
            self._conn.execute("DELETE FROM sessions WHERE id = ?", [session])

    def present(self, session: str) -> list[Presence]:
        """The other sessions seen within PRESENCE_SECONDS, oldest first."""
        cutoff = self._stamp(-PRESENCE_SECONDS)
        rows = self._query(
            "SELECT actor, host, started FROM sessions WHERE id != ? AND seen >= ? "
            "ORDER BY started, id",
            [session, cutoff],
        )
        return [Presence(**row) for row in rows]

    def content_version(self) -> int:
        """Moves with every audited change (by any session), not with presence or preferences."""
        row = self._conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit").fetchone()
        return int(row[0])

    def changes_since(self, version: int) -> Changes:
        """What the audit log says changed after `version` (a content_version), by anyone,
        as one snapshot: a delete's cascade (scores, unlinked risks) included.

        When only scores changed, each changed cell with its value now (None: cleared):
        how a session applies votes one by one instead of reloading everything.
        """
        with self._reading():
            now = self.content_version()
            rows = self._conn.execute("SELECT DISTINCT kind FROM audit WHERE id > ?", [version])
            kinds = frozenset(kind for (kind,) in rows)
            if kinds != {"scores"}:
                return Changes(now, kinds, None)
            changed = self._conn.execute(
                "SELECT DISTINCT entity_id FROM audit WHERE id > ? LIMIT ?",
                [version, _CELLS_ONE_BY_ONE + 1],
            ).fetchall()
            if len(changed) > _CELLS_ONE_BY_ONE:  # an import of scores: reloading is quicker
                return Changes(now, kinds, None)
            scores = []
            for (entity_id,) in changed:
                key = entity_id.split("/")  # ids have no "/": record_rows.ref joins three of them
                row = self._conn.execute(
                    f"SELECT value, {_A_NUMBER} FROM scores "
                    "WHERE feature = ? AND criterion = ? AND participant = ?",
                    key,
                ).fetchone()
                if row is not None and not row[1]:
                    raise WorkspaceError(schema.damaged(self.path))
                scores.append((key[0], key[1], key[2], None if row is None else row[0]))
            return Changes(now, kinds, scores)

    def _stamp(self, offset_seconds: float = 0) -> str:
        return iso_utc(self.clock() + dt.timedelta(seconds=offset_seconds))

    def preference(self, key: str) -> str | None:
        """A display preference stored with the workspace (not data: never audited or exported)."""
        row = self._conn.execute("SELECT value FROM preferences WHERE key = ?", [key]).fetchone()
        return None if row is None else row[0]

    def set_preference(self, key: str, value: str) -> None:
        with self._transaction():
            self._conn.execute(
                "INSERT INTO preferences (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    def kept(self, name: str, version: int) -> str | bytes | None:
        """What `keep` stored under `name` at content version `version`, if anything."""
        row = self._conn.execute(
            "SELECT value FROM kept WHERE name = ? AND version = ?", [name, version]
        ).fetchone()
        return None if row is None else row[0]

    def kept_latest(self, name: str) -> tuple[int, str | bytes] | None:
        """What `keep` last stored under `name`, with the content version it was computed at."""
        sql = "SELECT version, value FROM kept WHERE name = ?"
        row = self._conn.execute(sql, [name]).fetchone()
        return None if row is None else (int(row[0]), row[1])

    def keep(self, name: str, version: int, value: str | bytes) -> None:
        """Store a value computed from the records at content version `version`, for the
        next start (not workspace data: never audited, exported or undone). A value kept
        at a later version by another session stays.

        It never waits for the file: while another session writes, it refuses at once.
        """
        self._conn.execute("PRAGMA busy_timeout = 0")
        try:
            self._conn.execute(
                "INSERT INTO kept (name, version, value) VALUES (?, ?, ?) ON CONFLICT (name) "
                "DO UPDATE SET version = excluded.version, value = excluded.value "
                "WHERE excluded.version >= kept.version",
                [name, version, value],
            )
        except sqlite3.Error as error:
            raise self._explain(error) from None
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")

    def _query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Iterator[dict]:
        """Rows as dicts by column name."""
        cursor = self._conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return (dict(zip(names, row, strict=True)) for row in cursor)

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

    # -- writes --------------------------------------------------------------------------

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

    def _score(self, key: tuple[str, str, str]) -> Score | None:
        found = self._list("scores", "WHERE feature = ? AND criterion = ? AND participant = ?", key)
        return found[0] if found else None

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


# -- module helpers ------------------------------------------------------------------------


def _checked(kind: str) -> str:
    if kind not in models.KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(models.KINDS)}")
    return kind


def _kind_of(model: type) -> str | None:
    return next((kind for kind, record in models.KINDS.items() if record is model), None)


_BY_ID = operator.attrgetter("id")
_BY_SCORE_KEY = operator.attrgetter("feature", "criterion", "participant")  # Score.key


def _keyer(kind: str) -> Callable[[Any], Any]:
    """What identifies a record of `kind`: its id, (feature, criterion, participant) for a score."""
    return _BY_SCORE_KEY if kind == "scores" else _BY_ID


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


def _environmental(error: BaseException) -> bool:
    """A SQLite error the user's situation caused (lock, disk, permissions, damage), not a bug."""
    return isinstance(error, sqlite3.OperationalError) or schema.is_damage(error)


def _remove_stillborn(path: Path, existed: list[bool]) -> None:
    """Delete the -wal and -shm a failed first connection left (a full disk leaves an empty
    -wal and a -shm of a few bytes): only those it made, and only while they hold nothing.
    Any connection that works maps at least 32 KiB of the -shm, so a smaller one serves
    no one, and an empty -wal holds no change."""
    wal, shm = schema.sidecars(path)
    if any(existed):
        return
    with suppress(OSError):  # what cannot be looked at or removed stays: the error is said
        if (wal.exists() and wal.stat().st_size) or (shm.exists() and shm.stat().st_size >= 32768):
            return
        wal.unlink(missing_ok=True)
        shm.unlink(missing_ok=True)


def _remove(path: Path) -> None:
    """Delete a workspace file this process created, with whatever SQLite made beside it."""
    for created in (path, *schema.sidecars(path), Path(f"{path}-journal")):
        created.unlink(missing_ok=True)
