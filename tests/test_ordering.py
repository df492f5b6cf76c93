"""Ordering: ids sorted by key, moved one at a time, saying which positions changed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap_tui.ordering import Ordering

IDS = st.sampled_from([f"f{i}" for i in range(12)])
KEYS = st.none() | st.integers(-5, 5)


@given(
    start=st.dictionaries(IDS, st.integers(-5, 5)),
    moves=st.lists(st.tuples(IDS, KEYS), max_size=30),
)
def test_it_stays_sorted_and_names_every_position_that_changed(start, moves) -> None:
    ordering = Ordering((id, (key, id)) for id, key in start.items())
    keys = dict(start)
    for id, key in moves:
        before = list(ordering)
        changed = ordering.place(id, None if key is None else (key, id))
        if key is None:
            keys.pop(id, None)
        else:
            keys[id] = key
        after = list(ordering)
        assert after == sorted(keys, key=lambda i: (keys[i], i))
        differs = {i for i in range(max(len(before), len(after)))
                   if before[i : i + 1] != after[i : i + 1]}  # fmt: skip
        assert differs <= set(changed)
        assert all(ordering.index(i) == after.index(i) and ordering[after.index(i)] == i
                   for i in after)  # fmt: skip


def test_a_move_reports_only_the_span_it_crossed() -> None:
    ordering = Ordering((id, (rank, id)) for rank, id in enumerate("abcdefgh"))
    assert ordering.place("f", (1.5, "f")) == range(2, 6)  # f from 5th place to 3rd
    assert list(ordering) == list("abfcdegh")
    assert ordering.place("f", (1.5, "f")) == range(2, 2)  # the same key: nothing moved


def test_an_absent_id_is_not_found() -> None:
    ordering = Ordering([("a", (1, "a"))])
    assert "b" not in ordering
    with pytest.raises(ValueError):
        ordering.index("b")


def test_a_key_must_end_with_its_id() -> None:
    with pytest.raises(ValueError):
        Ordering([("a", (1, "b"))])
    ordering = Ordering([("a", (1, "a"))])
    with pytest.raises(ValueError):
        ordering.place("a", (2, "b"))
    assert list(ordering) == ["a"] and ordering.key("a") == (1, "a")
