from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap_tui.formatting import compact, count, money, months, number, plain


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (1_250_000, "EUR", "€1.25M"),
        (1_200_000, "USD", "$1.2M"),
        (850_000, "GBP", "£850k"),
        (250_000, "USD", "$250k"),
        (96_000, "USD", "$96k"),  # the same column as $250k: one format
        (12_500, "USD", "$12.5k"),
        (950, "USD", "$950"),
        (-40_000, "USD", "-$40k"),
        (-0.2, "USD", "$0"),  # no negative zero
        (3_100_000_000, "USD", "$3.1B"),
        (999_999, "USD", "$1M"),  # rounding up moves to the next unit, never 1,000k
        (99_999.6, "CHF", "100k CHF"),
        (1e15, "USD", "$1,000T"),  # the largest amount a workspace holds
        (None, "USD", "—"),
    ],
)
def test_money_is_compact_and_keeps_the_currency(amount, currency, expected) -> None:
    assert money(amount, currency) == expected


@given(st.floats(min_value=-1e15, max_value=1e15))
def test_money_is_short_whatever_the_amount(amount: float) -> None:
    text = money(amount, "USD")
    assert len(text) <= 8 and "e" not in text and not text.startswith("-$0")


def test_numbers_and_months() -> None:
    assert number(72.44) == "72.4"
    assert number(4266.666, 2) == "4,266.67"
    assert number(-0.001, 2) == "0.00"  # ROI -0.00 was shown
    assert number(-0.5, 2) == "-0.50"
    assert number(None) == "—"
    assert months(2.4) == "2.4 mo"
    assert months(None) == "—"


def test_huge_scores_and_ratios_read_in_exponent_form() -> None:
    # a RICE score, an ROI or a payback can be any finite float (a divisor of 1e-300 is
    # within its bounds): 1e305 was 306 digits wide
    assert number(1e15) == "1.0e15"
    assert number(1.5e21) == "1.5e21"
    assert number(-1.7976931348623157e308, 2) == "-1.8e308"
    assert number(999_999_999_999_999.0) == "999,999,999,999,999.0"
    assert months(8.3e300) == "8.3e300 mo"
    assert months(1_250) == "1,250.0 mo"


def test_plain_numbers_and_counts() -> None:
    assert plain(1e6) == "1,000,000"  # a scale read 0–1e+06
    assert plain(0.5) == "0.5" and plain(-3.0) == "-3" and plain(0.0) == "0"
    assert count(1, "policy", "policies") == "1 policy"
    assert count(2, "policy", "policies") == "2 policies"
    assert count(1, "level") == "1 level" and count(0, "level") == "0 levels"


def test_what_is_cut_ends_in_an_ellipsis() -> None:
    from roadmap_tui.formatting import clip, fit

    assert clip("Feature store", 8) == "Feature…"
    assert clip("Serving", 8) == "Serving"
    assert clip("数据平台", 5) == "数据…"  # wide characters count as two cells
    assert fit("Customer churn model", 10) == "Customer… "
    assert fit("Churn", 10) == "Churn     "


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1234, "1.2k"), (45_000, "45k"), (999_999, "1.0M"), (2_100_000, "2.1M"),
     (45e6, "45M"), (999_999_999, "1.0B"), (1e9, "1.0B"), (-1e9, "-1.0B"), (-45_000, "-45k")],
)  # fmt: skip
def test_a_cell_value_up_to_the_score_bound_stays_short(value: float, expected: str) -> None:
    # 1e9 read "1000.0M" before the unit B (issue 22: scores are bounded at ±1e9)
    assert compact(value) == expected
