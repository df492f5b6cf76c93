"""A save of a record changed since it was read (issue 22, item 8; README, "Sharing a
workspace"): the store merges the caller's changed fields onto the stored record, or
refuses and writes nothing. Three processes racing on one feature: test_durability.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from roadmap_tui.errors import WorkspaceError
from roadmap_tui.merge import merge
from roadmap_tui.models import Costs, Criterion, Feature, Participant, Plan, WorkspaceInfo
from roadmap_tui.workspace import Workspace

FEATURE = Feature(id="churn", title="Churn model", expected_uplift=100.0, owner="Ana")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "w.db"
    plan = Plan(
        workspace=WorkspaceInfo(name="Demo"),
        features=[FEATURE],
        criteria=[Criterion(id="value", name="Value", min=1, max=5)],
    )
    Workspace.create(path, plan, actor="setup").close()
    return path


@pytest.fixture
def two(path: Path) -> Iterator[tuple[Workspace, Workspace]]:
    """Two sessions on one file: mine and another one."""
    with Workspace.open(path, actor="me") as mine, Workspace.open(path, actor="other") as other:
        yield mine, other


def audit_rows(ws: Workspace) -> int:
    return len(ws.audit(limit=1000))


# -- the merge itself ----------------------------------------------------------------------


def test_merge_applies_only_my_changed_fields_onto_theirs() -> None:
    base = {"title": "A", "owner": "", "costs": {"training": 0, "deployment": 0}}
    mine = {"title": "B", "owner": "", "costs": {"training": 5, "deployment": 0}}
    theirs = {"title": "A", "owner": "Bo", "costs": {"training": 0, "deployment": 7}}
    assert merge(base, mine, theirs) == (
        {"title": "B", "owner": "Bo", "costs": {"training": 5, "deployment": 7}},
        [],
    )


def test_merge_names_each_field_both_changed_differently() -> None:
    base = {"title": "A", "needs": [1], "costs": {"training": 0}, "owner": ""}
    mine = {"title": "B", "needs": [1, 2], "costs": {"training": 5}, "owner": "Bo"}
    theirs = {"title": "C", "needs": [1, 3], "costs": {"training": 6}, "owner": "Bo"}
    _, clashes = merge(base, mine, theirs)
    assert clashes == ["title", "needs", "costs.training"]  # a list is one value; Bo == Bo


# -- the store -----------------------------------------------------------------------------


def test_a_save_made_from_a_changed_record_keeps_the_other_sessions_fields(
    two: tuple[Workspace, Workspace],
) -> None:
    mine, other = two
    read = mine.get("features", "churn")
    theirs = other.get("features", "churn")
    changed = theirs.model_copy(update={"owner": "Bo", "costs": Costs(training=9)})
    other.save(changed, base=theirs)
    stored = mine.save(read.model_copy(update={"title": "Churn v2"}), base=read)
    expected = changed.model_copy(update={"title": "Churn v2"})
    assert stored == expected == mine.get("features", "churn")
    (entry,) = mine.audit(limit=1)  # the real before and after, not what I read
    assert entry.actor == "me" and entry.op == "update"
    assert (entry.before, entry.after) == (
        changed.model_dump(mode="json"),
        stored.model_dump(mode="json"),
    )
    assert mine.undo() == "change to feature Churn v2"
    assert mine.get("features", "churn").title == "Churn model"  # the other's edit stays
    assert mine.get("features", "churn").owner == "Bo"


def test_a_field_both_sessions_changed_is_refused_and_nothing_is_written(
    two: tuple[Workspace, Workspace],
) -> None:
    mine, other = two
    read = mine.get("features", "churn")
    other.save(read.model_copy(update={"title": "Theirs"}), base=read)
    before = audit_rows(mine)
    with pytest.raises(
        WorkspaceError,
        match=r"^cannot save feature 'churn': another session changed title since you read it;",
    ):
        mine.save(read.model_copy(update={"title": "Mine", "owner": "Cy"}), base=read)
    assert mine.get("features", "churn") == read.model_copy(update={"title": "Theirs"})
    assert audit_rows(mine) == before
    # read again, the same change goes through
    again = mine.get("features", "churn")
    mine.save(again.model_copy(update={"title": "Mine"}), base=again)
    assert mine.get("features", "churn").title == "Mine"


def test_a_new_record_whose_id_is_taken_is_refused(two: tuple[Workspace, Workspace]) -> None:
    mine, other = two
    other.save(Participant(id="ana", name="Ana (theirs)"), base=None)
    before = audit_rows(mine)
    with pytest.raises(WorkspaceError, match=r"^there is already a participant 'ana'$"):
        mine.save(Participant(id="ana", name="Ana (mine)"), base=None)
    assert mine.get("participants", "ana").name == "Ana (theirs)"
    assert audit_rows(mine) == before


def test_a_record_deleted_since_it_was_read_is_not_brought_back(
    two: tuple[Workspace, Workspace],
) -> None:
    mine, other = two
    read = mine.get("features", "churn")
    other.delete("features", "churn")
    with pytest.raises(WorkspaceError, match="another session deleted it since you read it"):
        mine.save(read.model_copy(update={"title": "Still here?"}), base=read)
    assert mine.get("features", "churn") is None
    mine.save(read, base=None)  # saved as new, on purpose (the form's second save)
    assert mine.get("features", "churn") == read


def test_a_merge_that_breaks_a_rule_across_fields_is_refused(
    two: tuple[Workspace, Workspace],
) -> None:
    mine, other = two
    read = mine.get("criteria", "value")  # [1, 5]
    other.save(read.model_copy(update={"min": 4}), base=read)
    with pytest.raises(
        WorkspaceError,
        match=r"^cannot save criterion 'value': with another session's change since you read it",
    ):
        mine.save(read.model_copy(update={"max": 3}), base=read)  # [4, 3] is no range
    assert mine.get("criteria", "value") == Criterion(id="value", name="Value", min=4, max=5)


def test_the_workspace_settings_merge_too(two: tuple[Workspace, Workspace]) -> None:
    mine, other = two
    read = mine.info()
    other.set_info(read.model_copy(update={"currency": "EUR"}), base=read)
    mine.set_info(read.model_copy(update={"aggregation": "mean"}), base=read)
    assert (mine.info().currency, mine.info().aggregation) == ("EUR", "mean")
    with pytest.raises(WorkspaceError, match=r"^cannot save the workspace settings: another"):
        mine.set_info(read.model_copy(update={"currency": "GBP"}), base=read)


def test_a_base_with_another_id_is_a_programming_error(two: tuple[Workspace, Workspace]) -> None:
    mine, _ = two
    with pytest.raises(ValueError, match="an id never changes"):
        mine.save(Feature(id="other", title="X"), base=mine.get("features", "churn"))
