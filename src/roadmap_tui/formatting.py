"""How numbers, money and times read on screen: short enough for 80 columns, never ambiguous."""

from __future__ import annotations

import datetime as dt

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def money(amount: float | None, currency: str) -> str:
    """A compact amount: €1.25M, £850k, $12,500; '—' when there is none."""
    if amount is None:
        return "—"
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    if value >= 1e9:
        text = f"{value / 1e9:.2f}B"
    elif value >= 1e6:
        text = f"{value / 1e6:.2f}M"
    elif value >= 1e5:
        text = f"{value / 1e3:.0f}k"
    else:
        text = f"{value:,.0f}"
    symbol = _SYMBOLS.get(currency)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"


def number(value: float | None, places: int = 1) -> str:
    """A score or ratio with fixed decimals, '—' when there is none."""
    return "—" if value is None else f"{value:,.{places}f}"


def months(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} mo"


def when(at: str) -> str:
    """An audit timestamp (UTC, ISO 8601) in local time: '28 Nov 09:15'."""
    moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone()
    return moment.strftime("%d %b %H:%M")
