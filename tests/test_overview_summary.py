"""The Overview's summary: computed from the records, kept as JSON, read back only if sound."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap_tui import overview_summary, risk
from roadmap_tui.models import Outcome, choices
from roadmap_tui.overview_summary import (
    FORMAT,
    About,
    DecisionRow,
    Lever,
    OverviewSummary,
    Ranked,
    RiskRow,
)
from roadmap_tui.state import WorkspaceState
from roadmap_tui.workspace import Workspace


@pytest.fixture
def summary(sample_db: Path) -> OverviewSummary:
    with Workspace.open(sample_db, actor="ann") as ws:
        return WorkspaceState(ws).overview


def test_the_summary_reads_back_equal_from_its_json(summary: OverviewSummary) -> None:
    assert summary.ranked and summary.levers and summary.risks and summary.decisions
    assert OverviewSummary.from_json(summary.to_json()) == summary


def test_it_holds_what_the_overview_shows_of_the_sample(sample_db: Path) -> None:
    with Workspace.open(sample_db, actor="ann") as ws:
        state = WorkspaceState(ws)
        summary, plan, evaluation = state.overview, state.plan, state.evaluation
    assert summary.about.name == plan.workspace.name
    assert summary.about.features == len(plan.features)
    ranks = [row.rank for row in summary.ranked]
    assert ranks == sorted(ranks) and ranks[0] == 1
    top = summary.ranked[0]
    assert evaluation.features[top.id].rank == 1 and evaluation.features[top.id].score == top.score
    losses = [row.expected_loss for row in summary.risks]
    assert losses == sorted(losses, reverse=True)
    dates = [row.date for row in summary.decisions]
    assert dates == sorted(dates, reverse=True)


def test_the_values_a_kept_summary_may_hold_are_the_models() -> None:
    assert risk.BANDS == overview_summary.BANDS
    assert choices(Outcome) == overview_summary.OUTCOMES


def _damaged(summary: OverviewSummary, change: Any) -> str:
    data = json.loads(summary.to_json())
    change(data)
    return json.dumps(data)


def _set(path: tuple[int, ...], value: Any) -> Any:
    def change(data: Any) -> None:
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    "change",
    [
        _set((0,), FORMAT + 1),  # kept by another version of the app
        _set((1, 0, 0), 7),  # the name is not text
        _set((1, 0, 5), "12"),  # a count is not a number
        _set((1, 1, 0, 2), None),  # a ranked feature without a score
        _set((1, 1, 0, 3), "yes"),  # blocked is not a bool
        _set((1, 1, 0), ["f", 1]),  # a row cut short
        _set((1, 5, 0, 1), "severe"),  # not a band
        _set((1, 6, 0, 1), "2026-11-02\x1b[2J"),  # not a date
        _set((1, 6, 0, 2), "maybe"),  # not an outcome
        _set((1, 2), "1,000"),
        _set((1, 3), {}),
        _set((1,), []),
    ],
)
def test_a_damaged_summary_is_not_read(summary: OverviewSummary, change: Any) -> None:
    assert OverviewSummary.from_json(_damaged(summary, change)) is None


@pytest.mark.parametrize("text", ["", "{", "null", "[1]", '"overview"', "[1, [1, 2]]"])
def test_text_that_is_no_summary_is_not_read(text: str) -> None:
    assert OverviewSummary.from_json(text) is None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=8) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=40,
)


@given(st.tuples(st.just(FORMAT), JSON))
def test_any_json_is_read_as_a_summary_or_as_none_never_an_error(data: Any) -> None:
    result = OverviewSummary.from_json(json.dumps(list(data)))
    assert result is None or isinstance(result, OverviewSummary)


SMALL = OverviewSummary(
    About("W", "", "weighted", "median", "EUR", 2, 1, 1, 0, 1, 1, 0, 0, 2),
    (Ranked("a", 1, 3.5, True, False, "A"),),
    1000.0,
    (Lever("c", 1000.0, None, "C"),),
    0,
    (RiskRow("r", "high", 50.0, "R"),),
    (DecisionRow("d", "2026-11-02", "approved", "D"),),
)


def _leaves(value: Any, path: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
    if isinstance(value, list):
        return [leaf for i, item in enumerate(value) for leaf in _leaves(item, (*path, i))]
    return [path]


@given(st.data())
def test_one_damaged_value_anywhere_is_caught_or_harmless(data: st.DataObject) -> None:
    kept = json.loads(SMALL.to_json())
    path = data.draw(st.sampled_from(_leaves(kept[1])))
    value = data.draw(JSON)
    _set((1, *path), value)(kept)
    result = OverviewSummary.from_json(json.dumps(kept))
    if result is not None:  # what was read is drawable: the types the screen expects
        assert OverviewSummary.from_json(result.to_json()) == result
        assert all(isinstance(text, str) for text in (result.about.name, result.ranked[0].title))
        assert result.risks[0].band in overview_summary.BANDS
