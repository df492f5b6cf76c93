"""The store: one SQLite file per workspace, and `Workspace`, its one public face.

`Workspace` composes the store's concerns (the modules of store/) and opens
files: the checks on disk before a connection (preflight), connecting, creating
and upgrading. This module and store/ are the only ones that run SQL against a
workspace, with schema.py's migrations, which run inside the transaction opened
here. The file layout lives in schema.py, the record <-> row mapping in record_rows.py.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import tempfile
from contextlib import suppress
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import schema
from .errors import ImportRefused, SearchError, WorkspaceError
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from .store.base import BUSY_TIMEOUT_MS, Clock, damaged, read_only, utc_now
from .store.history import Activity, AuditEntry, History
from .store.reads import NOUNS
from .store.search import MAX_SEARCH_TERMS, Marked, PolicyHit, Search, fts_query, search_terms
from .store.sessions import Changes, Sessions
from .store.writes import ImportSummary

if TYPE_CHECKING:
    from concurrent.futures import Future

    from sqlite_utils import Database

    from .models import Plan

# What other modules import from here: the store's names, and the errors it raises.
__all__ = [
    "MAX_SEARCH_TERMS",
    "MIGRATIONS",
    "NOUNS",
    "SCHEMA_VERSION",
    "Activity",
    "AuditEntry",
    "Changes",
    "Clock",
    "ImportRefused",
    "ImportSummary",
    "Marked",
    "PolicyHit",
    "SearchError",
    "Workspace",
    "WorkspaceError",
    "fts_query",
    "preflight",
    "search_terms",
    "utc_now",
]

_SQLITE_MAGIC = b"SQLite format 3\x00"


class Workspace(History, Search, Sessions):
    """An open workspace file. Use `create` or `open`; close it (or use `with`) when done."""

    SCHEMA_VERSION = SCHEMA_VERSION

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
        reserve(path)
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

        `checked` is `preflight(path)` already under way, for a caller that
        started it early (the CLI, while the app's modules import).
        """
        path = Path(path)
        live = checked.result() if checked is not None else preflight(path)
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
        existed = [side.exists() for side in sidecars(path)]
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
                raise WorkspaceError(not_a_workspace(self.path))
            if version > schema.target_version():
                raise WorkspaceError(too_new(self.path, version))
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
            raise WorkspaceError(damaged(self.path))

    def _checkpoint(self) -> None:
        # Put the header (application_id, user_version) into the main file, where the next
        # process's _preflight reads it.
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as error:  # the disk filled up: `new` ended in a traceback
            raise self._explain(error) from None


def _remove_stillborn(path: Path, existed: list[bool]) -> None:
    """Delete the -wal and -shm a failed first connection left (a full disk leaves an empty
    -wal and a -shm of a few bytes): only those it made, and only while they hold nothing.
    Any connection that works maps at least 32 KiB of the -shm, so a smaller one serves
    no one, and an empty -wal holds no change."""
    wal, shm = sidecars(path)
    if any(existed):
        return
    with suppress(OSError):  # what cannot be looked at or removed stays: the error is said
        if (wal.exists() and wal.stat().st_size) or (shm.exists() and shm.stat().st_size >= 32768):
            return
        wal.unlink(missing_ok=True)
        shm.unlink(missing_ok=True)


def _remove(path: Path) -> None:
    """Delete a workspace file this process created, with whatever SQLite made beside it."""
    for created in (path, *sidecars(path), Path(f"{path}-journal")):
        created.unlink(missing_ok=True)


# -- the file on disk: create it, and check it before opening (reading, never writing) --


def reserve(path: Path) -> None:
    """Create `path` as an empty file (a new SQLite database), or refuse with the reason."""
    if path.exists() or path.is_symlink():
        raise WorkspaceError(f"{path} already exists; open it, or choose another name")
    parent = path.parent
    if not parent.is_dir():
        raise WorkspaceError(f"cannot create {path}: directory {parent} does not exist")
    for leftover in sidecars(path):
        if leftover.exists():  # SQLite would replay a stale -wal into the new file
            raise WorkspaceError(f"{leftover} is left over from an earlier file; remove it first")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise WorkspaceError(f"cannot create {path}: directory {parent} is not writable")
    try:  # O_EXCL: never clobber a file another process created in the meantime
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except FileExistsError:
        raise WorkspaceError(f"{path} already exists; open it, or choose another name") from None
    except OSError as error:
        raise WorkspaceError(f"cannot create {path}: {error.strerror}") from None


def sidecars(path: Path) -> tuple[Path, Path]:
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def not_a_workspace(path: Path) -> str:
    return f"{path} is a SQLite database but not a roadmap-tui workspace"


def too_new(path: Path, version: int) -> str:
    return (
        f"{path} was written by a newer roadmap-tui (schema version {version}; this one "
        f"reads up to {schema.target_version()}); upgrade roadmap-tui to open it"
    )


def preflight(path: Path) -> bool:
    """Refuse, untouched, anything but a workspace this program can open read-write.

    Reads the 100-byte SQLite header directly and checks integrity through an
    immutable read-only connection, so a refused file gets no -wal or -shm next
    to it. When a -wal exists another session has the file open and the main
    file alone is not the whole truth: the size and integrity checks then wait
    for the real connection. Returns whether that is the case.
    """
    if not path.exists():
        raise WorkspaceError(f"no workspace at {path}; create one with `roadmap-tui new`")
    if not path.is_file():
        raise WorkspaceError(f"{path} is not a file, so not a roadmap-tui workspace")
    try:
        with path.open("rb") as file:
            header = file.read(100)
        size = path.stat().st_size
    except OSError as error:
        raise WorkspaceError(f"cannot read {path}: {error.strerror}") from None
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise WorkspaceError(f"{path} is not a roadmap-tui workspace (not a SQLite database)")
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages = struct.unpack(">II", header[24:32])
    (user_version,) = struct.unpack(">i", header[60:64])
    (app_id,) = struct.unpack(">i", header[68:72])
    (valid_for,) = struct.unpack(">I", header[92:96])
    if app_id != APPLICATION_ID:
        raise WorkspaceError(not_a_workspace(path))
    if user_version > schema.target_version():
        raise WorkspaceError(too_new(path, user_version))
    live = sidecars(path)[0].exists()
    if not live:
        # The header's page count is trustworthy when its two counters agree (SQLite file format).
        truncated = change_counter == valid_for and pages * page_size > size
        if truncated or size % page_size or not _intact(path):
            raise WorkspaceError(damaged(path))
    _check_writable(path)
    return live


def _intact(path: Path) -> bool:
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"  # immutable: no locks, no -shm
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        if isinstance(error, sqlite3.OperationalError):
            raise WorkspaceError(f"cannot read {path}: {error}") from None
        return False


def _check_writable(path: Path) -> None:
    """Permission bits, then a real attempt (root passes the bits, not a read-only mount)."""
    try:
        if not os.access(path, os.W_OK):
            raise PermissionError
        with path.open("r+b"):  # opened for writing, nothing written
            pass
    except OSError:
        raise WorkspaceError(read_only(path)) from None
    directory = path.parent
    try:
        if not os.access(directory, os.W_OK | os.X_OK):
            raise PermissionError
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError:
        raise WorkspaceError(
            f"cannot write in {directory}, where SQLite keeps the workspace's -wal and -shm files; "
            f"move {path.name} to a writable directory"
        ) from None
