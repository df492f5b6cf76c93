"""The store: round trips, one transaction and its audit rows per action, delete rules,
import, migrations, and every way opening or creating a file can fail (file untouched)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from hostile import as_title
from roadmap_tui import schema, scoring, workspace
from roadmap_tui.errors import ImportRefused, WorkspaceError
from roadmap_tui.exchange import export_toml, parse_toml
from roadmap_tui.models import (
    Basis,
    Capability,
    Costs,
    Criterion,
    Decision,
    Feature,
    Need,
    Participant,
    Plan,
    Policy,
    Risk,
    Score,
    SnapshotRow,
    WorkspaceInfo,
)
from roadmap_tui.store import sessions
from roadmap_tui.workspace import SCHEMA_VERSION, Workspace, preflight
from support import INFO

NASTY = "Zoë 🚀 \x00\x07\x1b[31m\x9b\r\n\t\u2028 [b]markup[/b] [@click=quit]x[/] ‮"
LONG = "é" * 20_000
NASTY_TITLE = as_title(NASTY)  # a title or name is one line (SPEC section 1, Bounds)
TENTH = 0.1 + 0.2  # 0.30000000000000004: must not come back as 0.3


def nasty_plan() -> Plan:
    """One record of every kind, with every field away from its default."""
    return Plan(
        workspace=WorkspaceInfo(
            name=NASTY,
            description=LONG,
            currency="EUR",
            aggregation="mean",
            disagreement_threshold=TENTH,
        ),
        participants=[
            Participant(id="ann", name=NASTY_TITLE, role=LONG),
            Participant(id="bob", name="Bob"),
        ],
        capabilities=[
            Capability(
                id="fs",
                name=NASTY_TITLE,
                category="feature-store",
                maturity=2,
                owner=NASTY,
                annual_cost=TENTH,
                upgrade_cost_per_level=1e15,  # the bound (SPEC section 1)
                slo=LONG,
                description=NASTY,
            ),
            Capability(id="serving", name="Serving"),
        ],
        features=[
            Feature(
                id="churn",
                title=NASTY_TITLE,
                description=LONG,
                value_point="forecasting",
                objective=NASTY,
                uplift_metric="€",
                expected_uplift=TENTH,
                status="evaluating",
                owner=NASTY,
                quarter="2027-Q1",
                costs=Costs(data_engineering=TENTH, training=5e-324, incident_response=7),
                # not in id order: the order given is the order read back
                needs=[
                    Need(capability="serving", required_maturity=4),
                    Need(capability="fs", required_maturity=1),
                ],
            ),
        ],
        criteria=[
            Criterion(
                id="value",
                name=NASTY_TITLE,
                weight=TENTH,
                min=-2.5,
                max=7.25,
                higher_is_better=False,
            )
        ],
        scores=[
            Score(feature="churn", criterion="value", participant="", value=TENTH),
            Score(feature="churn", criterion="value", participant="ann", value=-2.5),
        ],
        risks=[
            Risk(
                id="r1",
                title=NASTY_TITLE,
                category="privacy",
                feature="churn",
                capability="fs",
                likelihood=5,
                impact=1,
                exposure=TENTH,
                affected_metrics=["revenue", "brand"],
                business_impact=LONG,
                mitigation=NASTY,
                owner=NASTY,
                status="mitigating",
            )
        ],
        policies=[
            Policy(
                id="p1",
                title=NASTY_TITLE,
                category="rollback",
                owner=NASTY,
                version="2.0-β",
                review_by=dt.date(2027, 2, 28),
                applies_to=["serving", "fs"],
                body="# Rules\n\n" + LONG[:19_000],
            )
        ],
        decisions=[
            Decision(id="d0", title="First", date=dt.date(2026, 1, 1), outcome="deferred"),
            Decision(
                id="d1",
                title=NASTY_TITLE,
                date=dt.date(2026, 3, 1),
                outcome="needs-info",
                rationale=LONG,
                decided_by=["bob", "ann"],
                features=["churn"],
                capabilities=["serving", "fs"],
                risks=["r1"],
                policies=["p1"],
                follow_ups=[NASTY, "", LONG],
                supersedes="d0",
                basis=Basis(scoring_model="weighted", aggregation="mean", weights={"value": TENTH}),
                snapshot=[
                    SnapshotRow(feature="churn", score=TENTH, rank=1, roi=-1.5, readiness_gap=3),
                    SnapshotRow(feature="churn"),
                ],
            ),
        ],
    )


def audit_count(ws: Workspace) -> int:
    return len(ws.audit(limit=100_000))


def file_state(path: Path) -> tuple[bytes, bool, bool]:
    """The file's bytes and whether -wal / -shm files sit next to it."""
    return path.read_bytes(), Path(f"{path}-wal").exists(), Path(f"{path}-shm").exists()


# -- round trips ---------------------------------------------------------------------------


def test_every_kind_reads_back_exactly_as_saved(ws: Workspace) -> None:
    plan = nasty_plan()
    ws.set_info(plan.workspace, base=ws.info())
    for kind in ("participants", "capabilities", "features", "criteria", "risks", "policies"):
        for record in getattr(plan, kind):
            ws.save(record, base=None)
            assert ws.get(kind, record.id) == record
    for score in plan.scores:
        ws.set_score(score)
    for decision in plan.decisions:
        ws.save(decision, base=None)
        assert ws.get("decisions", decision.id) == decision
    assert ws.info() == plan.workspace
    assert ws.plan() == plan
    assert ws.features()[0].needs == plan.features[0].needs
    assert ws.scores()[0].value == TENTH


def test_reopened_file_reads_back_the_same(path: Path) -> None:
    plan = nasty_plan()
    with Workspace.create(path, Plan(workspace=INFO), actor="ann") as ws:
        ws.apply(plan)
    with Workspace.open(path, actor="bob") as ws:
        assert ws.plan() == plan
        assert ws.counts() == {
            "participants": 2,
            "capabilities": 2,
            "features": 1,
            "criteria": 1,
            "scores": 2,
            "risks": 1,
            "policies": 1,
            "decisions": 2,
        }


def test_reads_are_sorted(ws: Workspace) -> None:
    ws.save(Participant(id="zed", name="Z"), base=None)
    ws.save(Participant(id="al", name="A"), base=None)
    for id, date in (("b", 2), ("a", 2), ("c", 1)):
        ws.save(
            Decision(id=id, title=id, date=dt.date(2026, 1, date), outcome="approved"), base=None
        )
    ws.save(Criterion(id="c1", name="C"), base=None)
    for feature in ("f2", "f1"):
        ws.save(Feature(id=feature, title=feature), base=None)
        for participant in ("zed", "al", ""):
            ws.set_score(Score(feature=feature, criterion="c1", participant=participant, value=3))
    assert [p.id for p in ws.participants()] == ["al", "zed"]
    assert [d.id for d in ws.decisions()] == ["c", "a", "b"]
    assert [s.key for s in ws.scores()] == [
        (f, "c1", p) for f in ("f1", "f2") for p in ("", "al", "zed")
    ]
    assert [s.participant for s in ws.scores("f2")] == ["", "al", "zed"]


def test_get_unknown_record_and_kind(ws: Workspace) -> None:
    assert ws.get("features", "nope") is None
    with pytest.raises(ValueError, match="unknown kind"):
        ws.get("feature", "x")


def test_file_is_a_marked_wal_database(path: Path, ws: Workspace) -> None:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == Workspace.SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


# -- writes and the audit log ------------------------------------------------------------


def test_save_upserts_and_audits_before_and_after(ws: Workspace) -> None:
    ws.save(Participant(id="ann", name="Ann"), base=None)
    ws.save(Participant(id="ann", name="Ann B", role="PM"), base=ws.get("participants", "ann"))
    assert ws.participants() == [Participant(id="ann", name="Ann B", role="PM")]
    update, create = ws.audit(2)
    assert (create.op, create.kind, create.entity_id) == ("create", "participants", "ann")
    assert create.before is None
    assert create.after == {"id": "ann", "name": "Ann", "role": ""}
    assert (update.op, update.before, update.after) == (
        "update",
        create.after,
        {"id": "ann", "name": "Ann B", "role": "PM"},
    )
    assert update.action == create.action + 1
    assert update.actor == "ann"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", update.at)


def test_saving_an_identical_record_writes_nothing(path: Path, ws: Workspace) -> None:
    ws.save(Feature(id="f", title="F", expected_uplift=TENTH), base=None)
    before = audit_count(ws)
    with Workspace.open(path, actor="bob") as other:
        version = other.data_version()
        ws.save(Feature(id="f", title="F", expected_uplift=0.1 + 0.2), base=ws.get("features", "f"))
        ws.set_info(INFO, base=ws.info())
        assert other.data_version() == version  # nothing was committed
    assert audit_count(ws) == before


def test_create_is_audited(ws: Workspace) -> None:
    (entry,) = ws.audit()
    assert (entry.op, entry.kind, entry.entity_id, entry.actor) == (
        "create",
        "workspace",
        "workspace",
        "ann",
    )
    assert entry.after == INFO.model_dump(mode="json")


def test_audit_is_newest_first_and_limited(ws: Workspace) -> None:
    for i in range(5):
        ws.save(Participant(id=f"p{i}", name="P"), base=None)
    assert [e.entity_id for e in ws.audit(3)] == ["p4", "p3", "p2"]


def test_failed_reference_check_writes_nothing(path: Path, ws: Workspace) -> None:
    before = audit_count(ws)
    bad = Decision(
        id="d",
        title="D",
        date=dt.date(2026, 1, 1),
        outcome="approved",
        decided_by=["ghost"],
        features=["nope"],
        supersedes="d9",
    )
    with pytest.raises(WorkspaceError) as error:
        ws.save(bad, base=None)
    assert str(error.value) == (
        "cannot save decision 'd': decided_by[0]: unknown participant 'ghost'; "
        "features[0]: unknown feature 'nope'; supersedes: unknown decision 'd9'"
    )
    with pytest.raises(WorkspaceError, match=r"needs\[0\].capability: unknown capability 'fs'"):
        ws.save(
            Feature(id="f", title="F", needs=[Need(capability="fs", required_maturity=1)]),
            base=None,
        )
    with pytest.raises(WorkspaceError, match="risk 'r': feature: unknown feature 'x'"):
        ws.save(Risk(id="r", title="R", feature="x", likelihood=1, impact=1), base=None)
    with pytest.raises(WorkspaceError, match=r"applies_to\[0\]: unknown capability 'x'"):
        ws.save(Policy(id="p", title="P", applies_to=["x"]), base=None)
    assert ws.plan() == Plan(workspace=INFO)
    assert audit_count(ws) == before


def test_an_action_rolls_back_as_a_unit(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    ws.apply(nasty_plan().model_copy(update={"decisions": []}))
    before, entries = ws.plan(), audit_count(ws)
    remove = Workspace._remove

    def fail_on_the_last_step(self: Workspace, action: Any, kind: str, records: Any) -> None:
        remove(self, action, kind, records)  # the cascade's score deletions run first
        if kind == "features":
            raise RuntimeError("disk pulled out")

    monkeypatch.setattr(Workspace, "_remove", fail_on_the_last_step)
    with pytest.raises(RuntimeError):
        ws.delete("features", "churn")
    assert ws.plan() == before
    assert audit_count(ws) == entries


def test_a_write_waits_for_another_sessions_lock(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workspace, "BUSY_TIMEOUT_MS", 50)
    with Workspace.create(path, Plan(workspace=INFO), actor="ann") as ws:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process mid-action
        with pytest.raises(WorkspaceError, match="is busy: another session held it"):
            ws.save(Participant(id="ann", name="Ann"), base=None)
        other.execute("ROLLBACK")
        other.close()
        ws.save(Participant(id="ann", name="Ann"), base=None)
        assert [p.id for p in ws.participants()] == ["ann"]


# -- scores and workspace settings --------------------------------------------------------


def test_scores_must_fit_their_criterion(ws: Workspace) -> None:
    ws.save(Participant(id="ann", name="Ann"), base=None)
    ws.save(Feature(id="f", title="F"), base=None)
    ws.save(Criterion(id="c", name="C", min=1, max=5), base=None)
    for value in (1, 5, 2.5):
        ws.set_score(Score(feature="f", criterion="c", participant="ann", value=value))
    assert ws.scores() == [Score(feature="f", criterion="c", participant="ann", value=2.5)]
    with pytest.raises(
        WorkspaceError, match=r"cannot save score f/c/: 5.5 is outside c's range \[1, 5\]"
    ):
        ws.set_score(Score(feature="f", criterion="c", value=5.5))
    with pytest.raises(WorkspaceError, match="participant: unknown participant 'bob'"):
        ws.set_score(Score(feature="f", criterion="c", participant="bob", value=3))
    with pytest.raises(WorkspaceError, match=r"feature: unknown feature 'g'.*criterion: unknown"):
        ws.set_score(Score(feature="g", criterion="x", value=3))
    with pytest.raises(WorkspaceError, match=r"1 score\(s\) fall outside \[1, 2\] \(e.g. f/c/ann"):
        ws.save(Criterion(id="c", name="C", min=1, max=2), base=ws.get("criteria", "c"))
    assert ws.get("criteria", "c") == Criterion(id="c", name="C")


def test_save_routes_settings_and_leaves_votes_to_set_score(ws: Workspace) -> None:
    assert ws.save(WorkspaceInfo(name="Renamed"), base=ws.info()) == WorkspaceInfo(name="Renamed")
    assert ws.info().name == "Renamed"
    with pytest.raises(TypeError, match="cannot save a Score; a vote is set_score's"):
        ws.save(Score(feature="f", criterion="c", value=4), base=None)


def test_votes_are_the_scores_as_tuples_in_cell_order_and_plan_can_leave_them_out(
    ws: Workspace,
) -> None:
    ws.save(Participant(id="bo", name="Bo"), base=None)
    for fid in ("g", "f"):
        ws.save(Feature(id=fid, title=fid.upper()), base=None)
    ws.save(Criterion(id="c", name="C"), base=None)
    for score in (
        Score(feature="g", criterion="c", participant="bo", value=1 + TENTH),
        Score(feature="f", criterion="c", value=4),
        Score(feature="f", criterion="c", participant="bo", value=2),
    ):
        ws.set_score(score)
    assert list(ws.votes()) == [
        ("f", "c", "", 4.0),
        ("f", "c", "bo", 2.0),
        ("g", "c", "bo", 1 + TENTH),
    ]
    assert list(ws.votes()) == scoring.votes_of(ws.scores())
    assert list(ws.votes({"g"})) == [("g", "c", "bo", 1 + TENTH)]
    assert list(ws.votes(set())) == []
    assert ws.plan(scores=False) == ws.plan().model_copy(update={"scores": []})


def test_records_read_from_the_store_share_their_fields_sets_safely(ws: Workspace) -> None:
    for cid in ("c", "d"):
        ws.save(Capability(id=cid, name=cid.upper()), base=None)
    c, d = ws.capabilities()
    assert c.model_fields_set is d.model_fields_set == set(Capability.model_fields)
    changed = c.model_copy(update={"name": "C2"})
    assert changed.model_fields_set is not c.model_fields_set
    assert (changed.name, c.name, d.name) == ("C2", "C", "D")
    assert Capability.model_validate(c.model_dump()) == c


def test_features_read_from_the_store_are_slotted_all_the_way_down(ws: Workspace) -> None:
    ws.save(Capability(id="c", name="C"), base=None)
    ws.save(
        Feature(id="f", title="f", needs=[Need(capability="c", required_maturity=2)]), base=None
    )
    (f,) = ws.features()
    assert not any(hasattr(part, "__dict__") for part in (f, f.costs, f.needs[0]))
    assert Feature.model_validate(f.model_dump()) == f


def test_changes_since_says_which_kinds_and_which_cells(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws.save(Participant(id="bo", name="Bo"), base=None)
    ws.save(Feature(id="f", title="F"), base=None)
    ws.save(Criterion(id="c", name="C"), base=None)
    version = ws.content_version()
    assert ws.changes_since(version) == workspace.Changes(version, frozenset(), None)
    ws.set_score(Score(feature="f", criterion="c", participant="bo", value=2))
    ws.set_score(Score(feature="f", criterion="c", participant="bo", value=3))
    ws.set_score(Score(feature="f", criterion="c", value=1 + TENTH))
    ws.clear_score("f", "c")
    changes = ws.changes_since(version)
    assert changes.version == ws.content_version() and changes.kinds == {"scores"}
    assert sorted(changes.scores, key=str) == [("f", "c", "", None), ("f", "c", "bo", 3.0)]
    monkeypatch.setattr(sessions, "_CELLS_ONE_BY_ONE", 1)  # two cells: read as a bulk change
    assert ws.changes_since(version) == workspace.Changes(changes.version, changes.kinds, None)
    monkeypatch.undo()
    ws.delete("features", "f")  # its scores go with it: the audit says so
    assert ws.changes_since(version).kinds == {"scores", "features"}
    assert ws.changes_since(version).scores is None
    with sqlite3.connect(ws.path) as other:
        ws.save(Feature(id="g", title="G"), base=None)
        later = ws.content_version()
        ws.set_score(Score(feature="g", criterion="c", value=4))
        other.execute("UPDATE scores SET value = 'four'")
    other.close()
    with pytest.raises(WorkspaceError, match="is damaged"):
        ws.changes_since(later)


@pytest.mark.parametrize("value", ["four", None, b"4", 1e308 * 10])
def test_a_vote_left_unreadable_by_another_program_is_refused_as_damage(
    ws: Workspace, value: object
) -> None:
    ws.save(Feature(id="f", title="F"), base=None)
    ws.save(Criterion(id="c", name="C"), base=None)
    ws.set_score(Score(feature="f", criterion="c", value=4))
    with sqlite3.connect(ws.path) as other:
        other.execute("UPDATE scores SET value = ?", [value])
    other.close()
    with pytest.raises(WorkspaceError, match="is damaged"):
        list(ws.votes())


def test_clear_score(ws: Workspace) -> None:
    ws.save(Feature(id="f", title="F"), base=None)
    ws.save(Criterion(id="c", name="C"), base=None)
    ws.set_score(Score(feature="f", criterion="c", value=4))
    ws.clear_score("f", "c")
    assert ws.scores() == []
    entry = ws.audit(1)[0]
    assert (entry.op, entry.kind, entry.entity_id, entry.after) == (
        "delete",
        "scores",
        "f/c/",
        None,
    )
    count = audit_count(ws)
    ws.clear_score("f", "c", "nobody")  # nothing to clear: no error, no audit row
    assert audit_count(ws) == count


def test_scoring_model_needs_its_criteria(ws: Workspace) -> None:
    rice = WorkspaceInfo(name="Demo", scoring_model="rice")
    with pytest.raises(WorkspaceError, match=r"the rice model needs criteria .*missing: reach"):
        ws.set_info(rice, base=ws.info())
    for id in ("reach", "impact", "confidence", "effort"):
        ws.save(Criterion(id=id, name=id), base=None)
    ws.set_info(rice, base=ws.info())
    assert ws.info() == rice
    assert ws.audit(1)[0].before == INFO.model_dump(mode="json")


# -- references and delete ------------------------------------------------------------------


@pytest.fixture
def linked(ws: Workspace) -> Workspace:
    """The nasty plan without decisions, plus a second feature and a decision on it alone."""
    plan = nasty_plan()
    plan.decisions = []
    plan.features.append(Feature(id="recs", title="Recs"))
    plan.decisions = [
        Decision(
            id="go",
            title="Go",
            date=dt.date(2026, 1, 1),
            outcome="approved",
            features=["recs"],
            decided_by=["bob"],
        ),
        Decision(
            id="go2", title="Again", date=dt.date(2026, 2, 1), outcome="approved", supersedes="go"
        ),
    ]
    ws.apply(plan)
    return ws


def test_references(linked: Workspace) -> None:
    assert linked.references("features", "churn") == {
        "scores": ["churn/value/", "churn/value/ann"],
        "risks": ["r1"],
    }
    assert linked.references("features", "recs") == {"decisions": ["go"]}
    assert linked.references("capabilities", "fs") == {
        "features": ["churn"],
        "risks": ["r1"],
        "policies": ["p1"],
    }
    assert linked.references("participants", "bob") == {"decisions": ["go"]}
    assert linked.references("participants", "ann") == {"scores": ["churn/value/ann"]}
    assert linked.references("decisions", "go") == {"decisions": ["go2"]}
    assert linked.references("policies", "p1") == {}
    assert linked.references("criteria", "value") == {"scores": ["churn/value/", "churn/value/ann"]}


def test_criterion_the_model_needs_is_referenced_by_the_workspace(ws: Workspace) -> None:
    for id in ("reach", "impact", "confidence", "effort"):
        ws.save(Criterion(id=id, name=id), base=None)
    ws.set_info(WorkspaceInfo(name="Demo", scoring_model="rice"), base=ws.info())
    assert ws.references("criteria", "reach") == {"workspace": ["scoring_model"]}
    with pytest.raises(WorkspaceError, match="criterion 'reach': the rice scoring model needs it"):
        ws.delete("criteria", "reach")


def test_delete_feature_takes_scores_and_needs_and_unlinks_risks(linked: Workspace) -> None:
    action = linked.audit(1)[0].action
    linked.delete("features", "churn")
    assert [f.id for f in linked.features()] == ["recs"]
    assert linked.scores() == []
    assert linked.risks()[0].feature == ""
    assert linked.risks()[0].capability == "fs"
    entries = [e for e in linked.audit(100) if e.action == action + 1]
    assert sorted((e.op, e.kind, e.entity_id) for e in entries) == [
        ("delete", "features", "churn"),
        ("delete", "scores", "churn/value/"),
        ("delete", "scores", "churn/value/ann"),
        ("update", "risks", "r1"),
    ]
    feature_row = next(e for e in entries if e.kind == "features")
    assert feature_row.before is not None and len(feature_row.before["needs"]) == 2


def test_delete_capability_leaves_no_dangling_reference(linked: Workspace) -> None:
    linked.delete("capabilities", "fs")
    assert linked.features()[0].needs == [Need(capability="serving", required_maturity=4)]
    assert linked.policies()[0].applies_to == ["serving"]
    assert linked.risks()[0].capability == ""
    assert linked.risks()[0].feature == "churn"
    assert {e.kind for e in linked.audit(4)} == {"capabilities", "features", "policies", "risks"}


def test_delete_participant_and_criterion_take_their_scores(linked: Workspace) -> None:
    linked.delete("participants", "ann")
    assert [s.key for s in linked.scores()] == [("churn", "value", "")]
    linked.delete("criteria", "value")
    assert linked.scores() == []
    assert linked.criteria() == []


def test_delete_risk_and_policy(linked: Workspace) -> None:
    linked.delete("risks", "r1")
    linked.delete("policies", "p1")
    assert linked.risks() == [] and linked.policies() == []


@pytest.mark.parametrize(
    ("kind", "id", "message"),
    [
        ("features", "recs", "cannot delete feature 'recs': decision(s) go list it"),
        ("capabilities", "serving", "cannot delete capability 'serving': decision(s) d list it"),
        ("participants", "bob", "cannot delete participant 'bob': decision(s) go list it"),
        ("risks", "r1", "cannot delete risk 'r1': decision(s) d list it"),
        ("policies", "p1", "cannot delete policy 'p1': decision(s) d list it"),
        ("decisions", "go", "cannot delete decision 'go': go2 supersedes it"),
        ("features", "ghost", "there is no feature 'ghost'"),
    ],
)
def test_delete_refusals_change_nothing(
    linked: Workspace, kind: str, id: str, message: str
) -> None:
    linked.save(
        Decision(
            id="d",
            title="D",
            date=dt.date(2026, 5, 1),
            outcome="approved",
            capabilities=["serving"],
            risks=["r1"],
            policies=["p1"],
        ),
        base=None,
    )
    before, entries = linked.plan(), audit_count(linked)
    with pytest.raises(WorkspaceError, match=re.escape(message)):
        linked.delete(kind, id)
    assert linked.plan() == before
    assert audit_count(linked) == entries


def test_unsuperseded_decision_can_be_deleted(linked: Workspace) -> None:
    linked.delete("decisions", "go2")
    linked.delete("decisions", "go")
    linked.delete("features", "recs")
    assert linked.decisions() == []


# -- import ------------------------------------------------------------------------------


def test_apply_upserts_and_counts(ws: Workspace) -> None:
    first = ws.apply(nasty_plan())
    assert first.added == {
        "participants": 2,
        "capabilities": 2,
        "features": 1,
        "criteria": 1,
        "scores": 2,
        "risks": 1,
        "policies": 1,
        "decisions": 2,
    }
    assert first.workspace_changed
    assert sum(first.changed.values()) == sum(first.unchanged.values()) == 0

    plan = nasty_plan()
    plan.participants = [Participant(id="ann", name="Ann"), Participant(id="cy", name="Cy")]
    plan.scores = plan.scores[:1]
    second = ws.apply(plan)
    assert second.added["participants"] == second.changed["participants"] == 1
    assert second.unchanged["scores"] == 1 and second.unchanged["decisions"] == 2
    assert not second.workspace_changed
    assert str(second) == "participants 1 added, 1 changed; 9 unchanged"
    # upsert, never delete: bob and the second score are still there
    assert [p.id for p in ws.participants()] == ["ann", "bob", "cy"]
    assert len(ws.scores()) == 2

    entries = audit_count(ws)
    assert str(ws.apply(plan)) == "nothing changed (11 records)"
    assert audit_count(ws) == entries


def test_apply_is_one_action(ws: Workspace) -> None:
    ws.apply(nasty_plan())
    entries = [e for e in ws.audit(100) if e.action == ws.audit(1)[0].action]
    assert len(entries) == 13  # 12 records and the workspace settings
    assert {e.op for e in entries} == {"create", "update"}
    assert len({e.at for e in entries}) == 1


def test_apply_refuses_everything_and_lists_every_problem(ws: Workspace) -> None:
    ws.apply(nasty_plan())
    before, entries = ws.plan(), audit_count(ws)
    plan = Plan(
        workspace=WorkspaceInfo(name="New", scoring_model="wsjf"),
        participants=[Participant(id="new", name="New")],  # fine on its own
        features=[Feature(id="x", title="X", needs=[Need(capability="gpu", required_maturity=1)])],
        criteria=[Criterion(id="value", name="Value", min=0, max=1)],  # narrows existing scores
        scores=[Score(feature="x", criterion="value", participant="zed", value=1)],
        decisions=[
            Decision(
                id="d2", title="D", date=dt.date(2026, 1, 1), outcome="approved", supersedes="nope"
            ),
            Decision(id="d2", title="Dup", date=dt.date(2026, 1, 1), outcome="approved"),
        ],
    )
    with pytest.raises(ImportRefused) as refused:
        ws.apply(plan)
    assert refused.value.problems == [
        "decisions[1].id: duplicate id 'd2'",
        "features[0].needs[0].capability: unknown capability 'gpu'",
        "scores[0].participant: unknown participant 'zed'",
        "the workspace's scores['churn/value/ann'].value: -2.5 is outside value's range [0, 1]",
        "decisions[0].supersedes: unknown decision 'nope'",
        "workspace.scoring_model: the wsjf model needs criteria business_value, "
        "time_criticality, risk_reduction, job_size; missing: business_value, "
        "time_criticality, risk_reduction, job_size",
    ]
    assert isinstance(refused.value, WorkspaceError)
    assert ws.plan() == before
    assert audit_count(ws) == entries


def test_apply_may_rely_on_records_already_in_the_workspace(ws: Workspace) -> None:
    ws.save(Capability(id="fs", name="FS"), base=None)
    summary = ws.apply(
        Plan(
            workspace=INFO,
            features=[
                Feature(id="f", title="F", needs=[Need(capability="fs", required_maturity=2)])
            ],
        )
    )
    assert summary.added["features"] == 1 and not summary.workspace_changed


# -- sharing a file --------------------------------------------------------------------------


def test_two_sessions_see_each_others_writes(path: Path, ws: Workspace) -> None:
    with Workspace.open(path, actor="bob") as other:
        version = ws.data_version()
        other.save(Participant(id="bob", name="Bob"), base=None)
        assert ws.data_version() != version
        assert ws.get("participants", "bob") == Participant(id="bob", name="Bob")
        ws.save(Participant(id="ann", name="Ann"), base=None)
        assert [p.id for p in other.participants()] == ["ann", "bob"]
        assert [e.actor for e in ws.audit(2)] == ["ann", "bob"]


def test_data_version_ignores_own_writes_and_sees_raw_ones(path: Path, ws: Workspace) -> None:
    version = ws.data_version()
    ws.save(Participant(id="ann", name="Ann"), base=None)
    assert ws.data_version() == version
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("UPDATE participants SET name = 'Ann B'")
    raw.close()
    assert ws.data_version() != version


# -- migrations --------------------------------------------------------------------------


def test_an_added_migration_runs_once(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Workspace.create(path, Plan(workspace=INFO), actor="ann") as ws:
        ws.save(Policy(id="p", title="P"), base=None)
    calls: list[int] = []

    def add_tags(db: Database) -> None:
        calls.append(1)
        db.create_table("tags", {"name": str}, pk="name")
        db.table("policies").add_column("tags", str)

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, add_tags])
    for _ in range(2):
        with Workspace.open(path, actor="ann") as ws:
            assert ws.get("policies", "p") == Policy(id="p", title="P")  # a column the model lacks
            ws.save(Policy(id="q", title="Q"), base=ws.get("policies", "q"))
    assert calls == [1]
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert raw.execute("SELECT count(*) FROM tags").fetchone()[0] == 0
    raw.close()

    monkeypatch.undo()  # this program again: the file is now too new for it
    state = file_state(path)
    newer = f"schema version {SCHEMA_VERSION + 1}; this one reads up to {SCHEMA_VERSION}"
    with pytest.raises(WorkspaceError, match=newer):
        Workspace.open(path, actor="ann")
    assert file_state(path) == state


def test_a_failing_migration_changes_nothing(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Workspace.create(path, Plan(workspace=INFO), actor="ann").close()

    def half_done(db: Database) -> None:
        db.create_table("tags", {"name": str}, pk="name")
        raise RuntimeError("bug in migration")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, half_done])
    with pytest.raises(RuntimeError):
        Workspace.open(path, actor="ann")
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "tags" not in Database(raw).table_names()
    raw.close()


# -- opening and creating: every failure says one line and leaves the file alone ------------


def workspace_file(path: Path) -> Path:
    with Workspace.create(path, Plan(workspace=INFO), actor="ann") as ws:
        ws.apply(nasty_plan())  # several pages, so cutting it in half loses some
    return path


def refuse_open(path: Path, message: str) -> None:
    state = file_state(path) if path.is_file() else None
    with pytest.raises(WorkspaceError) as error:
        Workspace.open(path, actor="ann")
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    if state is not None:
        assert file_state(path) == state
        assert not state[1] and not state[2]


def test_open_missing_path(path: Path) -> None:
    refuse_open(path, f"no workspace at {path}; create one with `roadmap-tui new`")
    assert not path.exists()


def test_open_a_directory(tmp_path: Path) -> None:
    refuse_open(tmp_path, "is not a file")


@pytest.mark.parametrize("content", [b"", b"hello\n", b"name,value\n" * 200])
def test_open_a_file_that_is_not_sqlite(path: Path, content: bytes) -> None:
    path.write_bytes(content)
    refuse_open(path, "is not a roadmap-tui workspace (not a SQLite database)")


def test_open_a_foreign_sqlite_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    refuse_open(path, "is a SQLite database but not a roadmap-tui workspace")


def test_open_a_truncated_workspace(path: Path, tmp_path: Path) -> None:
    data = workspace_file(path).read_bytes()
    cut = tmp_path / "cut.rtw"
    cut.write_bytes(data[: len(data) // 2])
    refuse_open(cut, "is damaged (a truncated or corrupt SQLite file)")
    odd = tmp_path / "odd.rtw"
    odd.write_bytes(data[:-100])
    refuse_open(odd, "is damaged")


def test_open_a_corrupt_workspace(path: Path) -> None:
    data = bytearray(workspace_file(path).read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page : 3 * page] = b"\xa5" * (2 * page)  # pages 2 and 3: table roots
    path.write_bytes(bytes(data))
    refuse_open(path, "is damaged")


def test_open_waits_for_a_preflight_started_elsewhere(path: Path, tmp_path: Path) -> None:
    """The CLI runs the preflight beside the app's imports; open uses its verdict."""
    workspace_file(path)
    state = file_state(path)
    with ThreadPoolExecutor(max_workers=1) as pool:
        refused = pool.submit(preflight, tmp_path / "missing.rtw")
        with pytest.raises(WorkspaceError, match="no workspace at"):
            Workspace.open(path, actor="ann", checked=refused)
        assert file_state(path) == state  # a sound file, untouched: the verdict was another's
        with Workspace.open(path, actor="ann", checked=pool.submit(preflight, path)) as ws:
            assert ws.info() == nasty_plan().workspace


def test_open_a_newer_workspace(path: Path) -> None:
    workspace_file(path)
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    refuse_open(
        path,
        f"was written by a newer roadmap-tui (schema version {SCHEMA_VERSION + 1}; this one "
        f"reads up to {SCHEMA_VERSION})",
    )


def as_nobody(attempt: Callable[[], str]) -> str:
    """Run `attempt` without root's power to ignore permission bits.

    Tests run as root in CI, where chmod alone changes nothing: a forked child
    drops to uid/gid 65534 (nobody) so the permission bits really apply.
    """
    if os.geteuid() != 0:
        return attempt()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report through the pipe, never return into pytest
        result = "child failed"
        try:
            os.close(read)
            try:
                os.setgid(65534)
                os.setuid(65534)
            except OSError as error:  # e.g. a user namespace without that id
                result = f"skip: cannot become nobody: {error}"
            else:
                result = attempt()
        except BaseException as error:
            result = f"child failed: {error!r}"
        finally:
            os.write(write, result.encode())
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        output = pipe.read().decode()
    os.waitpid(pid, 0)
    if output.startswith("skip: "):
        pytest.skip(output.removeprefix("skip: "))
    return output


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory nobody can reach (tmp_path sits below a directory private to its owner)."""
    directory = Path(tempfile.mkdtemp(prefix="roadmap-tui-test-"))
    directory.chmod(0o777)
    yield directory
    directory.chmod(0o755)
    shutil.rmtree(directory)


def open_error(path: Path) -> str:
    try:
        Workspace.open(path, actor="ann").close()
    except WorkspaceError as error:
        return str(error)
    return "opened"


def test_open_a_read_only_file(shared_dir: Path) -> None:
    path = workspace_file(shared_dir / "w.rtw")
    path.chmod(0o444)
    state = file_state(path)
    assert (
        as_nobody(lambda: open_error(path))
        == f"{path} is read-only; roadmap-tui needs to write to it"
    )
    assert file_state(path) == state


def test_open_a_file_in_a_read_only_directory(shared_dir: Path) -> None:
    path = workspace_file(shared_dir / "w.rtw")
    path.chmod(0o666)
    shared_dir.chmod(0o555)
    state = file_state(path)
    message = as_nobody(lambda: open_error(path))
    assert message == (
        f"cannot write in {shared_dir}, where SQLite keeps the workspace's -wal and -shm "
        "files; move w.rtw to a writable directory"
    )
    assert file_state(path) == state


def test_read_only_is_also_found_by_trying(
    shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Permission bits can say yes (as for root on a read-only mount): the open attempt says no."""
    path = workspace_file(shared_dir / "w.rtw")
    path.chmod(0o444)
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: True)
    assert (
        as_nobody(lambda: open_error(path))
        == f"{path} is read-only; roadmap-tui needs to write to it"
    )


def test_read_only_bits_are_checked(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The os.access branch itself, whoever runs the tests."""
    workspace_file(path)
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != path)
    refuse_open(path, "is read-only")


def test_open_an_older_schema_migrates_and_opens(path: Path) -> None:
    workspace_file(path)
    with Workspace.open(path, actor="ann") as ws:
        assert ws.plan() == nasty_plan()
    assert not Path(f"{path}-wal").exists()  # the last session out cleans up


def test_create_refuses_an_existing_file(path: Path) -> None:
    path.write_bytes(b"precious")
    with pytest.raises(WorkspaceError, match="already exists; open it, or choose another name"):
        Workspace.create(path, Plan(workspace=INFO), actor="ann")
    assert path.read_bytes() == b"precious"
    assert not Path(f"{path}-wal").exists()


def test_create_refuses_a_leftover_wal(path: Path) -> None:
    Path(f"{path}-wal").write_bytes(b"stale")
    with pytest.raises(WorkspaceError, match="-wal is left over from an earlier file"):
        Workspace.create(path, Plan(workspace=INFO), actor="ann")
    assert not path.exists()


def test_create_in_a_missing_directory(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "w.rtw"
    with pytest.raises(WorkspaceError, match=r"directory .*nope does not exist"):
        Workspace.create(path, Plan(workspace=INFO), actor="ann")
    assert not path.parent.exists()


def test_create_in_a_read_only_directory(shared_dir: Path) -> None:
    shared_dir.chmod(0o555)
    path = shared_dir / "w.rtw"

    def create_error() -> str:
        try:
            Workspace.create(path, Plan(workspace=INFO), actor="ann").close()
        except WorkspaceError as error:
            return str(error)
        return "created"

    assert (
        as_nobody(create_error) == f"cannot create {path}: directory {shared_dir} is not writable"
    )
    assert list(shared_dir.iterdir()) == []


def test_a_failed_create_leaves_no_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(db: Database) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(schema, "MIGRATIONS", [broken])
    with pytest.raises(RuntimeError):
        Workspace.create(path, Plan(workspace=INFO), actor="ann")
    assert list(path.parent.iterdir()) == []


def test_activity_summarises_each_action_newest_first(tmp_path: Path) -> None:
    clock = iter(dt.datetime(2026, 11, 2, 9, minute, tzinfo=dt.UTC) for minute in range(10))
    path = tmp_path / "w.db"
    plan = Plan(
        workspace=INFO,
        participants=[Participant(id="a", name="A"), Participant(id="b", name="B")],
    )
    with Workspace.create(path, plan, actor="ann", clock=lambda: next(clock)) as ws:
        ws.save(Participant(id="a", name="Ann"), base=ws.get("participants", "a"))
        ws.delete("participants", "b")
        latest, *earlier = ws.activity(limit=3)
    assert (latest.at, latest.actor, latest.changes) == (
        "2026-11-02T09:03:00.000Z",
        "ann",
        [("delete", "participants", 1, "b")],
    )
    assert earlier[0].changes == [("update", "participants", 1, "a")]
    assert earlier[1].changes == [("create", "participants", 2, "a")]


def test_migration_4_lets_the_activity_count_from_the_index(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:3])  # the program as it was
    plan = Plan(workspace=INFO, participants=[Participant(id=f"p{i}", name="P") for i in range(9)])
    with Workspace.create(path, plan, actor="ann") as ws:
        ws.delete("participants", "p3")
        before = ws.activity()
    monkeypatch.undo()
    with Workspace.open(path, actor="ann") as ws:
        assert ws.activity() == before
        assert [a.changes for a in before[:2]] == [
            [("delete", "participants", 1, "p3")],
            [("create", "participants", 9, "p0")],
        ]
        indexes = {row[1] for row in ws._conn.execute("PRAGMA index_list(audit)")}
        assert indexes == {"idx_audit_summary"}
        counting = "SELECT action, op, kind, COUNT(*), MIN(id) FROM audit GROUP BY action, op, kind"
        plan_rows = ws._conn.execute(f"EXPLAIN QUERY PLAN {counting}").fetchall()
        assert "COVERING INDEX idx_audit_summary" in str(plan_rows)


def test_preferences_are_kept_but_never_audited(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with Workspace.create(path, Plan(workspace=INFO), actor="ann") as ws:
        entries = audit_count(ws)
        assert ws.preference("theme") is None
        ws.set_preference("theme", "roadmap-projector")
        assert audit_count(ws) == entries
    with Workspace.open(path, actor="bo") as ws:
        assert ws.preference("theme") == "roadmap-projector"


def test_presence_hides_a_session_whose_heartbeat_stopped(path: Path) -> None:
    now = [dt.datetime(2026, 11, 2, 9, 0, 0, tzinfo=dt.UTC)]

    def clock() -> dt.datetime:
        return now[0]

    def later(seconds: int) -> None:
        now[0] += dt.timedelta(seconds=seconds)

    with Workspace.create(path, Plan(workspace=INFO), actor="ann", clock=clock) as ws:
        mine = ws.join()
        with Workspace.open(path, actor="bob", clock=clock) as other:
            theirs = other.join()
            assert [p.actor for p in ws.present(mine)] == ["bob"]
            assert [p.actor for p in other.present(theirs)] == ["ann"]
            later(10)
            assert [p.actor for p in ws.present(mine)] == ["bob"]  # 10 s < 15 s
            later(10)
            assert ws.present(mine) == []  # 20 s without a heartbeat: gone (or killed)
            other.heartbeat(theirs)
            assert [p.actor for p in ws.present(mine)] == ["bob"]
            other.leave(theirs)
            assert ws.present(mine) == []
            entries = audit_count(ws)
        assert audit_count(ws) == entries, "presence is never audited"


def written_at(
    version: int, path: Path, plan: Plan, statements: list[tuple[str, list[object]]], monkeypatch
) -> None:
    """`plan` in a file as the program at schema `version` wrote it, then changed by raw SQL
    as that program let its files hold."""
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:version])
    Workspace.create(path, plan, actor="ann").close()
    raw = sqlite3.connect(path)
    for sql, params in statements:
        raw.execute(sql, params)
    raw.commit()
    raw.close()
    monkeypatch.undo()


def test_migration_6_makes_old_titles_one_line_that_opens_and_exports(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file of the program as it was, before titles were bounded (issue 20, bug 11).
    plan = Plan(
        workspace=INFO,
        features=[Feature(id="long", title="x"), Feature(id="short", title="Fine")],
        risks=[Risk(id="r", title="x", likelihood=1, impact=1)],
    )
    updates = [
        ("UPDATE features SET title = ? WHERE id = 'long'", ["Two\nlines " + "y" * 300]),
        ("UPDATE risks SET title = 'A\r\nrisk  '", []),
    ]
    written_at(5, path, plan, updates, monkeypatch)
    with Workspace.open(path, actor="ann") as ws:
        titles = {f.id: f.title for f in ws.plan().features}
        assert titles["short"] == "Fine"
        assert titles["long"].startswith("Two lines yyy") and titles["long"].endswith("…")
        assert len(titles["long"]) == 200
        assert [r.title for r in ws.plan().risks] == ["A  risk"]
        assert parse_toml(export_toml(ws.plan()).encode()).features[0].title == titles["long"]


def test_migration_7_clamps_old_numbers_so_the_file_opens_exports_and_scores(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file of the program as it was, before numbers were bounded (issue 22).
    plan = Plan(
        workspace=INFO,
        capabilities=[Capability(id="fs", name="FS")],
        features=[
            Feature(id=f, title=f, needs=[Need(capability="fs", required_maturity=2)])
            for f in ("a", "b")
        ],
        criteria=[Criterion(id="wide", name="Wide"), Criterion(id="thin", name="Thin")],
        scores=[Score(feature="a", criterion="wide", value=3)],
        risks=[Risk(id="r", title="R", likelihood=1, impact=1)],
        decisions=[
            Decision(
                id="d",
                title="D",
                date=dt.date(2027, 1, 1),
                outcome="approved",
                snapshot=[SnapshotRow(feature="a", rank=1, readiness_gap=2)],
            )
        ],
    )
    updates: list[tuple[str, list[object]]] = [
        ("UPDATE features SET expected_uplift = 1.7e308, cost_training = 1e308", []),
        ("UPDATE capabilities SET annual_cost = 1e308, upgrade_cost_per_level = -5", []),
        ("UPDATE risks SET exposure = 1.7e308", []),
        ("UPDATE criteria SET weight = 1e308, min = -1e308, max = 1e308 WHERE id = 'wide'", []),
        ("UPDATE criteria SET min = 2, max = 2 + 1e-9 WHERE id = 'thin'", []),
        ("UPDATE scores SET value = 1e300", []),
        (
            "UPDATE decisions SET basis = ?, snapshot = ?",
            [
                '{"scoring_model":"weighted","aggregation":"median","weights":{"wide":1e308}}',
                '[{"feature":"a","score":null,"rank":100000000000000000000000000000,'
                '"roi":null,"readiness_gap":2}]',
            ],
        ),
    ]
    written_at(6, path, plan, updates, monkeypatch)
    with Workspace.open(path, actor="ann") as ws:
        stored = ws.plan()
    a = next(f for f in stored.features if f.id == "a")
    assert (a.expected_uplift, a.costs.training) == (1e15, 1e15)
    assert (stored.capabilities[0].annual_cost, stored.capabilities[0].upgrade_cost_per_level) == (
        1e15,
        0,
    )
    assert stored.risks[0].exposure == 1e15
    criteria = {c.id: c for c in stored.criteria}
    assert (criteria["wide"].weight, criteria["wide"].min, criteria["wide"].max) == (1e6, -1e9, 1e9)
    assert criteria["thin"].min == 2 and criteria["thin"].max - criteria["thin"].min >= 1e-6
    assert stored.scores[0].value == 1e9  # within its criterion's clamped range
    row = stored.decisions[0].snapshot[0]
    assert (row.rank, row.readiness_gap) == (2**63 - 1, 2)
    basis = stored.decisions[0].basis
    assert basis is not None and basis.weights == {"wide": 1e6}
    assert scoring.evaluate(stored).capabilities["fs"].unlocked_value == 2e15
    text = export_toml(stored)
    assert export_toml(parse_toml(text.encode())) == text
