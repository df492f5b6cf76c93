"""The store's bulk paths: an import writes rows with prepared statements, reads validate.

`apply` writes every kind with one executemany each (upserts, so a policy keeps
its rowid and its search index row), the audit log with one more; `_list`
validates rows a batch at a time. These tests check what the rows, the audit
log and the search index hold afterwards, and that reading still refuses a row
that breaks a rule.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from roadmap_tui import record_rows
from roadmap_tui.models import (
    Capability,
    Criterion,
    Decision,
    Feature,
    Need,
    Participant,
    Plan,
    Policy,
    Risk,
    Score,
)
from roadmap_tui.workspace import Workspace
from support import INFO


def big_plan(features: int = 1_500) -> Plan:
    """More rows than one read batch, needs on every feature, a policy to search."""
    criteria = [Criterion(id=f"c{i}", name=f"C{i}") for i in range(3)]
    people = [Participant(id=f"p{i}", name=f"P{i}") for i in range(3)]
    capabilities = [Capability(id=f"cap{i}", name=f"Cap {i}") for i in range(5)]
    feature_list = [
        Feature(
            id=f"f{i:05d}",
            title=f"Feature {i}",
            expected_uplift=i * 1.5,
            needs=[
                Need(capability=f"cap{(i + k) % 5}", required_maturity=1 + k) for k in range(i % 3)
            ],
        )
        for i in range(features)
    ]
    scores = [
        Score(feature=f.id, criterion=c.id, participant=p, value=1 + (i % 5))
        for i, f in enumerate(feature_list)
        for c in criteria
        for p in ("", "p1")
    ]
    return Plan(
        workspace=INFO,
        participants=people,
        capabilities=capabilities,
        features=feature_list,
        criteria=criteria,
        scores=scores,
        risks=[Risk(id="r", title="R", feature="f00001", likelihood=2, impact=3)],
        policies=[Policy(id="pol", title="Lineage", body="every model keeps its lineage")],
        decisions=[Decision(id="d", title="D", date="2027-01-01", outcome="approved")],
    )


def test_an_import_reads_back_exactly(ws: Workspace) -> None:
    plan = big_plan()
    ws.apply(plan)
    back = ws.plan()
    assert back == Plan(
        workspace=plan.workspace,
        **{
            kind: sorted(getattr(plan, kind), key=lambda r: getattr(r, "key", None) or r.id)
            for kind in ("participants", "capabilities", "features", "criteria", "scores")
        },
        risks=plan.risks,
        policies=plan.policies,
        decisions=plan.decisions,
    )
    assert ws.counts()["scores"] == len(plan.scores) > 1024  # more than one read batch


def test_an_import_audits_one_create_per_record_in_one_action(ws: Workspace) -> None:
    plan = big_plan(300)
    ws.apply(plan)
    entries = ws.audit(limit=100_000)
    action = entries[0].action
    mine = [e for e in entries if e.action == action]
    kinds = [kind for kind in record_rows.PRIMARY_KEYS if kind != "workspace"]
    records = sum(len(getattr(plan, kind)) for kind in kinds)
    assert len(mine) == records  # the settings did not change: no row for them
    assert {e.op for e in mine} == {"create"}
    assert all(e.before is None for e in mine)
    by_id = {(e.kind, e.entity_id): e.after for e in mine}
    feature = plan.features[7]
    assert by_id[("features", feature.id)] == feature.model_dump(mode="json")
    score = plan.scores[5]
    assert by_id[("scores", "/".join(score.key))] == score.model_dump(mode="json")


def test_a_second_import_updates_only_what_changed_and_undo_restores_it(ws: Workspace) -> None:
    plan = big_plan(300)
    ws.apply(plan)
    changed = plan.model_copy(deep=True)
    changed.features[3] = changed.features[3].model_copy(
        update={"needs": [Need(capability="cap4", required_maturity=2)], "title": "Renamed"}
    )
    changed.scores[0] = changed.scores[0].model_copy(update={"value": 5.0})
    summary = ws.apply(changed)
    assert (summary.changed["features"], summary.changed["scores"]) == (1, 1)
    assert sum(summary.added.values()) == 0
    assert ws.get("features", changed.features[3].id) == changed.features[3]
    last = [e for e in ws.audit(10) if e.action == ws.audit(1)[0].action]
    assert sorted((e.op, e.kind) for e in last) == [("update", "features"), ("update", "scores")]
    assert ws.undo() is not None
    assert ws.get("features", plan.features[3].id) == plan.features[3]
    assert ws.scores(plan.scores[0].feature)[0] == plan.scores[0]


def test_importing_the_same_file_again_writes_nothing(ws: Workspace) -> None:
    plan = big_plan(200)
    ws.apply(plan)
    audit_rows = len(ws.audit(limit=100_000))
    summary = ws.apply(plan)
    assert sum(summary.added.values()) == sum(summary.changed.values()) == 0
    assert len(ws.audit(limit=100_000)) == audit_rows


def test_imported_and_reimported_policies_are_searchable(ws: Workspace) -> None:
    plan = big_plan(10)
    ws.apply(plan)
    assert [hit.id for hit in ws.search_policies("lineage")] == ["pol"]
    rowid = ws._conn.execute("SELECT rowid FROM policies WHERE id = 'pol'").fetchone()[0]
    renamed = plan.policies[0].model_copy(update={"title": "Provenance", "body": "sources"})
    ws.apply(plan.model_copy(update={"policies": [renamed]}))
    assert ws.search_policies("lineage") == []
    assert [hit.id for hit in ws.search_policies("provenance")] == ["pol"]
    # An upsert, not a replace: the row keeps its rowid, which the search index points at.
    assert ws._conn.execute("SELECT rowid FROM policies WHERE id = 'pol'").fetchone()[0] == rowid
    assert ws.search_index_ok()


def test_a_features_needs_are_replaced_not_added_to(ws: Workspace) -> None:
    plan = big_plan(20)
    ws.apply(plan)
    feature = plan.features[2]  # two needs
    fewer = feature.model_copy(update={"needs": feature.needs[1:]})
    ws.apply(plan.model_copy(update={"features": [fewer]}))
    rows = ws._conn.execute(
        "SELECT capability, position FROM feature_needs WHERE feature = ?", [feature.id]
    ).fetchall()
    assert rows == [(feature.needs[1].capability, 0)]


def test_reading_still_refuses_a_row_that_breaks_a_rule(tmp_path: Path) -> None:
    path = tmp_path / "edited.db"
    Workspace.create(path, big_plan(5), actor="ann").close()
    with sqlite3.connect(path) as conn:  # another program writes what no form would accept
        conn.execute("UPDATE scores SET participant = 'Not An Id' WHERE rowid = 1")
    with Workspace.open(path, actor="ann") as ws, pytest.raises(ValidationError):
        ws.scores()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE scores SET participant = '' WHERE rowid = 1")
        conn.execute("UPDATE feature_needs SET required_maturity = 7 WHERE rowid = 1")
    with Workspace.open(path, actor="ann") as ws, pytest.raises(ValidationError):
        ws.plan()


@pytest.mark.parametrize("kind", sorted(record_rows.MODELS))
def test_row_values_are_to_row_in_column_order(kind: str) -> None:
    plan = big_plan(3)
    records: list[BaseModel] = [plan.workspace] if kind == "workspace" else getattr(plan, kind)
    for record in records:
        row = record_rows.to_row(kind, record)
        columns = record_rows.STORE_COLUMNS[kind]
        assert record_rows.row_values(kind, record) == tuple(row[c] for c in columns)
        assert set(columns) == set(row)


def test_read_ids_share_one_string_object(ws: Workspace) -> None:
    ws.apply(big_plan(30))
    scores = ws.scores()
    by_value: dict[str, set[int]] = {}
    for s in scores:
        by_value.setdefault(s.feature, set()).add(id(s.feature))
    assert all(len(ids) == 1 for ids in by_value.values())
