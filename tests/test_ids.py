"""Derived ids (SPEC section 1): the rule, and that every result is a valid id."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from roadmap_tui.ids import ID_LENGTH, derive_id, slug
from roadmap_tui.models import SLUG_RE


def test_accents_case_and_runs() -> None:
    assert slug("Démand  Forecast!", "feature") == "demand-forecast"
    assert slug("  --Ünïcode__Ω 2027-Q1 ", "feature") == "unicode-2027-q1"


def test_empty_gives_the_noun() -> None:
    assert slug("", "risk") == "risk"
    assert slug("!!! ???", "policy") == "policy"
    assert slug("数据", "feature") == "feature"


def test_long_title_cut_at_a_dash() -> None:
    title = "real time fraud scoring for card payments across every european market"
    derived = slug(title, "feature")
    assert len(derived) <= ID_LENGTH
    assert derived == "real-time-fraud-scoring-for-card-payments-across"
    assert slug("x" * 100, "feature") == "x" * ID_LENGTH


def test_taken_gets_a_number() -> None:
    assert derive_id("Churn", "feature", {"churn"}) == "churn-2"
    assert derive_id("Churn", "feature", {"churn", "churn-2"}) == "churn-3"
    assert derive_id("Churn", "feature", set()) == "churn"


@given(st.text(max_size=300), st.sets(st.text(max_size=10), max_size=5))
def test_always_a_valid_free_id(text: str, taken: set[str]) -> None:
    derived = derive_id(text, "feature", taken)
    assert SLUG_RE.match(derived)
    assert derived not in taken
