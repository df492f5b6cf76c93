"""Other sessions on the same file, and what the file keeps beside the plan.

Presence (who else has the file open), what other sessions changed since a
version, display preferences and values kept for the next start (the Overview).
None of it is workspace data: never audited, exported or undone.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import sqlite3
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import WorkspaceError
from .base import _A_NUMBER, BUSY_TIMEOUT_MS, Store, damaged, iso_utc

if TYPE_CHECKING:
    from ..scoring import ScoreChange

PRESENCE_SECONDS = 15  # a session whose heartbeat is older is not shown as present
PRESENCE_FORGET_SECONDS = 3600
# More changed cells than this (an import) are reloaded, not read one by one.
_CELLS_ONE_BY_ONE = 1000


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


class Sessions(Store):
    """Presence, changes by others, preferences and kept values."""

    def data_version(self) -> int:
        """Changes whenever another connection commits to the file (PRAGMA data_version)."""
        return self._pragma("data_version")

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
                    raise WorkspaceError(damaged(self.path))
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
