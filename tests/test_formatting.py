from __future__ import annotations

import pytest

from roadmap_tui.formatting import money, months, number


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (1_250_000, "EUR", "€1.25M"),
        (850_000, "GBP", "£850k"),
        (12_500, "USD", "$12,500"),
        (-40_000, "USD", "-$40,000"),
        (3_100_000_000, "USD", "$3.10B"),
        (99_999.6, "CHF", "100,000 CHF"),
        (None, "USD", "—"),
    ],
)
def test_money_is_compact_and_keeps_the_currency(amount, currency, expected) -> None:
    assert money(amount, currency) == expected


def test_numbers_and_months() -> None:
    assert number(72.44) == "72.4"
    assert number(4266.666, 2) == "4,266.67"
    assert number(None) == "—"
    assert months(2.4) == "2.4 mo"
    assert months(None) == "—"
