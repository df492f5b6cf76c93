"""The workspace file's schema: its migrations, and lists as JSON text.

workspace.py opens files and runs these migrations inside the transaction that
creates or upgrades one (records <-> rows: record_rows.py). A migration is
frozen once released: a later schema change is a new function appended to
MIGRATIONS, never an edit of an old one, because files in the wild were built
by the old ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database  # imported when a migration runs (Workspace._db)


# Written to the file header (PRAGMA application_id) so a foreign SQLite file is recognised.
APPLICATION_ID = int.from_bytes(b"rmap", "big")


def _v1(db: Database) -> None:
    """The first schema: a table per kind, needs and scores in their own tables, the audit log."""
    db.create_table(
        "workspace",
        {
            "id": int,  # always 1: the table holds one row
            "name": str,
            "description": str,
            "currency": str,
            "scoring_model": str,
            "aggregation": str,
            "disagreement_threshold": float,
        },
        pk="id",
    )
    db.create_table("participants", {"id": str, "name": str, "role": str}, pk="id")
    db.create_table(
        "capabilities",
        {
            "id": str,
            "name": str,
            "category": str,
            "maturity": int,
            "owner": str,
            "annual_cost": float,
            "upgrade_cost_per_level": float,
            "slo": str,
            "description": str,
        },
        pk="id",
    )
    db.create_table(
        "features",
        {
            "id": str,
            "title": str,
            "description": str,
            "value_point": str,
            "objective": str,
            "uplift_metric": str,
            "expected_uplift": float,
            "status": str,
            "owner": str,
            "quarter": str,
            "cost_data_engineering": float,
            "cost_training": float,
            "cost_deployment": float,
            "cost_monitoring": float,
            "cost_incident_response": float,
        },
        pk="id",
    )
    # position keeps the order the user gave, so a feature reads back equal to what was saved.
    db.create_table(
        "feature_needs",
        {"feature": str, "capability": str, "required_maturity": int, "position": int},
        pk=("feature", "capability"),
    )
    db["feature_needs"].create_index(["capability"])
    db.create_table(
        "criteria",
        {
            "id": str,
            "name": str,
            "weight": float,
            "min": float,
            "max": float,
            "higher_is_better": int,
        },
        pk="id",
    )
    db.create_table(
        "scores",
        {"feature": str, "criterion": str, "participant": str, "value": float},
        pk=("feature", "criterion", "participant"),
    )
    db.create_table(
        "risks",
        {
            "id": str,
            "title": str,
            "category": str,
            "feature": str,
            "capability": str,
            "likelihood": int,
            "impact": int,
            "exposure": float,
            "affected_metrics": str,  # JSON list
            "business_impact": str,
            "mitigation": str,
            "owner": str,
            "status": str,
        },
        pk="id",
    )
    # A rowid table with a text id, so sqlite-utils enable_fts can index title and body later.
    db.create_table(
        "policies",
        {
            "id": str,
            "title": str,
            "category": str,
            "owner": str,
            "version": str,
            "review_by": str,  # ISO date or NULL
            "applies_to": str,  # JSON list
            "body": str,
        },
        pk="id",
    )
    db.create_table(
        "decisions",
        {
            "id": str,
            "title": str,
            "date": str,  # ISO date: sorts by text
            "outcome": str,
            "rationale": str,
            "decided_by": str,  # this and the lists below: JSON
            "features": str,
            "capabilities": str,
            "risks": str,
            "policies": str,
            "follow_ups": str,
            "supersedes": str,
            "basis": str,  # JSON object or NULL
            "snapshot": str,
        },
        pk="id",
    )
    db.execute(
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            action INTEGER NOT NULL,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            op TEXT NOT NULL,
            kind TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            before TEXT,
            after TEXT
        )"""
    )
    db["audit"].create_index(["action"])
    # Display preferences (the theme): not workspace data, so never audited or exported.
    db.create_table("preferences", {"key": str, "value": str}, pk="key")


def _v2(db: Database) -> None:
    """Full-text search over policies: an FTS5 index of title, body and owner.

    sqlite-utils' enable_fts: an external-content FTS5 table `policies_fts` over
    `policies` (rowid to rowid), filled from the rows already there, and three
    triggers (policies_ai, _ad, _au) that update it on every insert, update and
    delete of a policy. So every write (a save, a delete, an import, another
    session's edit) changes the index in the same statement, and the same
    transaction, as the row. unicode61 with remove_diacritics 2: "zoe" finds
    "Zoë"; no stemming, so a word typed so far is a plain prefix of the word.
    A later migration that rebuilds the policies table (or anything that could
    renumber its rowids, such as VACUUM) must rebuild this index.
    """
    db.table("policies").enable_fts(
        ["title", "body", "owner"],
        fts_version="FTS5",
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )


def _v3(db: Database) -> None:
    """Presence: one row per open app session, kept fresh by a heartbeat.

    Not workspace data: never audited, exported or undone. A session that dies
    without leaving is no longer shown once its heartbeat is old.
    """
    db.create_table(
        "sessions",
        {"id": str, "actor": str, "host": str, "pid": int, "started": str, "seen": str},
        pk="id",
    )


def _v4(db: Database) -> None:
    """The activity summary reads the audit index, not the audit rows.

    The Overview counts each recent action's changes by kind. Read from the rows,
    that meant every row of a big import with its JSON (13-45 ms at 2,000
    features, on every start after an import); an index on (action, op, kind)
    answers it alone. It starts with `action`, so it replaces v1's index on action.
    """
    db.execute("CREATE INDEX idx_audit_summary ON audit (action, op, kind)")
    db.execute("DROP INDEX idx_audit_action")


def _v5(db: Database) -> None:
    """Values computed from the records, kept for the next start (Workspace.keep).

    The Overview's summary, under its name, with the content version (the audit
    log's last id) it was computed at: it holds only while that is still the last
    id. Not workspace data: never audited, exported or undone.
    """
    db.create_table("kept", {"name": str, "version": int, "value": str}, pk="name")


# The one-line title of each kind (SPEC section 1, Bounds), for _v6.
TITLE_COLUMNS = {
    "participants": "name",
    "capabilities": "name",
    "features": "title",
    "criteria": "name",
    "risks": "title",
    "policies": "title",
    "decisions": "title",
}
# Frozen with the migration, not read from models.py: a later bound gets its own migration.
_TITLE_MAX = 200
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # str.splitlines' breaks


def one_line_title(title: str) -> str:
    """A title as the bound allows it: breaks as spaces, trimmed, cut with an ellipsis."""
    text = title.translate({ord(c): " " for c in _LINE_BREAKS}).strip()
    return text if len(text) <= _TITLE_MAX else text[: _TITLE_MAX - 1].rstrip() + "…"


def _v6(db: Database) -> None:
    """Titles and names are one line of at most 200 characters (SPEC section 1, Bounds).

    Files written before the bound may hold longer or multi-line ones, which records
    read from the file would now refuse: they are made one line here, so every such
    file still opens and exports. The kept Overview may show the old text: dropped.
    """
    for table, column in TITLE_COLUMNS.items():
        rows = db.execute(f"SELECT rowid, {column} FROM {table}").fetchall()
        for rowid, title in rows:
            fixed = one_line_title(title)
            if fixed != title:
                db.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", [fixed, rowid])
    db.execute("DELETE FROM kept")


# The number columns bounded in SPEC section 1, Bounds, for _v7: (low, high) per column.
# Frozen with the migration, not read from models.py: a later bound gets its own migration.
_MONEY = (0.0, 1e15)
_WEIGHT = (0.0, 1e6)
_CRITERION = (-1e9, 1e9)
NUMBER_BOUNDS: dict[str, dict[str, tuple[float, float]]] = {
    "capabilities": {"annual_cost": _MONEY, "upgrade_cost_per_level": _MONEY},
    "features": dict.fromkeys(
        (
            "expected_uplift",
            "cost_data_engineering",
            "cost_training",
            "cost_deployment",
            "cost_monitoring",
            "cost_incident_response",
        ),
        _MONEY,
    ),
    "risks": {"exposure": _MONEY},
    "criteria": {"weight": _WEIGHT, "min": _CRITERION, "max": _CRITERION},
}
_MIN_SPAN = 1e-6  # a criterion's max - min
_INT_MAX = 2**63 - 1  # a snapshot's rank and readiness_gap: TOML 1.0 integers


def _widened(low: float, high: float) -> tuple[float, float]:
    """A criterion range narrower than _MIN_SPAN (or emptied by the clamp), widened upwards,
    or downwards at the top of the scale; by twice the span, so float rounding near 1e9
    cannot leave it short."""
    step = 2 * _MIN_SPAN
    if low + step <= _CRITERION[1]:
        return low, low + step
    return high - step, high


def _bounded_snapshot(rows: list[dict[str, Any]] | None) -> None:
    for row in rows or []:
        for key in ("rank", "readiness_gap"):
            if row.get(key) is not None:
                row[key] = min(row[key], _INT_MAX)  # the models always refused negatives


def _bounded_weights(basis: dict[str, Any] | None) -> None:
    weights = basis.get("weights", {}) if basis else {}
    for key, weight in weights.items():
        weights[key] = min(max(weight, _WEIGHT[0]), _WEIGHT[1])


def _v7(db: Database) -> None:
    """Numbers stay within SPEC section 1's Bounds.

    Files written before the bounds may hold amounts like 1.7e308, criterion ranges and
    weights (in criteria and in decisions' bases) of +-1e308, or a snapshot rank of 10**29.
    Such values could never be computed with (sums overflowed, exports were not TOML 1.0),
    and records read from the file would now refuse them: they are clamped into their
    bounds here, scores into their criterion's clamped range, so every such file still
    opens and exports. The kept Overview was computed from the old numbers: dropped.
    """
    for table, columns in NUMBER_BOUNDS.items():
        for column, (low, high) in columns.items():
            db.execute(
                f"UPDATE {table} SET {column} = max(?, min(?, {column})) "
                f"WHERE {column} < ? OR {column} > ?",
                [low, high, low, high],
            )
    narrow = "SELECT rowid, min, max FROM criteria WHERE max - min < ?"
    for rowid, low, high in db.execute(narrow, [_MIN_SPAN]).fetchall():
        low, high = _widened(low, high)
        db.execute("UPDATE criteria SET min = ?, max = ? WHERE rowid = ?", [low, high, rowid])
    # Correlated subqueries, not UPDATE ... FROM, which SQLite before 3.33 lacks.
    criterion = "FROM criteria AS c WHERE c.id = scores.criterion"
    db.execute(
        f"UPDATE scores SET value = max((SELECT c.min {criterion}), "
        f"min((SELECT c.max {criterion}), value)) "
        f"WHERE EXISTS (SELECT 1 {criterion} AND (value < c.min OR value > c.max))"
    )
    for rowid, basis_text, snapshot_text in db.execute(
        "SELECT rowid, basis, snapshot FROM decisions"
    ).fetchall():
        basis, snapshot = from_json(basis_text), from_json(snapshot_text)
        _bounded_weights(basis)
        _bounded_snapshot(snapshot)
        fixed = [to_json(basis), to_json(snapshot)]
        if fixed != [basis_text, snapshot_text]:
            db.execute(
                "UPDATE decisions SET basis = ?, snapshot = ? WHERE rowid = ?", [*fixed, rowid]
            )
    db.execute("DELETE FROM kept")


# MIGRATIONS[i] upgrades a file from user_version i to i + 1.
MIGRATIONS: list[Callable[[Database], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7]
SCHEMA_VERSION = len(MIGRATIONS)


def target_version() -> int:
    """The version this program writes, read at call time so a test can extend MIGRATIONS."""
    return len(MIGRATIONS)


def migrate(db: Database, current: int) -> int:
    """Run the migrations after `current` inside the caller's transaction; the new version."""
    target = target_version()
    for migration in MIGRATIONS[current:target]:
        migration(db)
    if target != current:
        db.execute(f"PRAGMA user_version = {target:d}")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
    return target


# Lists and nested objects are stored as JSON text (audit rows too).


def to_json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)
