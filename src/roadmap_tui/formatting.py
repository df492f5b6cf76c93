"""How numbers, money and times read on screen: short enough for 80 columns, never ambiguous."""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len, set_cell_size

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


_UNITS = (("", 1.0), ("k", 1e3), ("M", 1e6), ("B", 1e9), ("T", 1e12))  # money stops at 1e15


def money(amount: float | None, currency: str) -> str:
    """A compact amount, the same way in every column: $950, £12.5k, $250k, €1.25M,
    $1,000T; '—' when there is none."""
    if amount is None:
        return "—"
    text = _short(abs(amount))
    sign = "-" if amount < 0 and text != "0" else ""  # never a negative zero
    symbol = _SYMBOLS.get(currency)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"


def _short(value: float) -> str:
    """`value` (≥ 0) in three significant digits with the smallest unit it fits under 1,000."""
    for unit, scale in _UNITS:
        x = value / scale
        places = 0 if not unit or x >= 99.95 else 1 if x >= 9.995 else 2
        text = f"{x:,.{places}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if float(text.replace(",", "")) < 1000 or unit == "T":
            return text + unit
    raise AssertionError("unreachable: the last unit always returns")


# From here a score or a ratio reads in exponent form: a RICE score or an ROI can be as
# large as 1.8e308 (a divisor of 1e-300 is within its bounds), which is 309 digits.
_HUGE = 1e15


def number(value: float | None, places: int = 1) -> str:
    """A score or ratio with fixed decimals, '—' when there is none; never '-0.00'; from
    a million billion on in exponent form, as 1.5e21."""
    if value is None:
        return "—"
    if abs(value) >= _HUGE:
        return scientific(value, 1)
    text = f"{value:,.{places}f}"
    return text.removeprefix("-") if float(text.replace(",", "")) == 0 else text


def scientific(value: float, digits: int) -> str:
    """`value` in exponent form with `digits` decimals, without '+' or leading zeros in
    the exponent: 1.5e21, 2e-7."""
    text = f"{value:.{digits}e}"
    return text.replace("e+", "e").replace("e0", "e").replace("e-0", "e-")


def typed_number(text: str) -> float:
    """A number as a person types it: "250,000", "1_000", "1.5e6"; ValueError otherwise."""
    return float(text.replace(",", "").replace("_", "").replace(" ", ""))


def times(value: float | None) -> str:
    """A leverage: "×13.5", "×0.0"; "—" when there is none (nothing to pay to close)."""
    return "—" if value is None else "×" + number(value)


def plain(value: float) -> str:
    """A bound or a weight as typed, never in exponent form: 1,000,000, 0.5, -3; an int
    exactly (2**63 - 1, which a float would round)."""
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 policy', '2 policies', '0 features'."""
    return f"{n} {noun_for(n, noun, plural)}"


def noun_for(n: int, noun: str, plural: str | None = None) -> str:
    """The noun that goes with `n`: 'policy' for 1, 'policies' otherwise."""
    return noun if n == 1 else plural or noun + "s"


def months(value: float | None) -> str:
    """A payback: "2.4 mo", "1,250.0 mo", "8.3e300 mo"; "—" when there is none."""
    return "—" if value is None else f"{number(value)} mo"


def when(at: str) -> str:
    """An audit timestamp (UTC, ISO 8601) in local time: '28 Nov 09:15'."""
    moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone()
    return moment.strftime("%d %b %H:%M")


def compact(value: float | None) -> str:
    """A cell value in a few characters: 3, 2.5, 0.25, 1.2k, 45k, 2.1M, 250M, 1.0B (a score
    lies within ±1e9, SPEC section 1); '·' when none."""
    if value is None:
        return "·"
    size = abs(value)
    if size >= 1e3:
        for unit, scale in _UNITS[1:4]:  # k, M, B
            x = value / scale
            text = f"{x:.1f}" if abs(x) < 9.95 else f"{x:.0f}"
            if abs(float(text)) < 1000 or unit == "B":  # 999,999 is 1.0M, not 1000k
                return text + unit
    if float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.2f}".rstrip("0") if size < 10 else f"{value:.1f}"


def initials(name: str, size: int) -> str:
    """A column header's short name: the words' initials ("Online model serving" -> "OMS")."""
    words = [w for w in name.replace("&", " ").replace("/", " ").split() if w[0].isalnum()]
    if len(words) < 2:
        return name[:size]
    return "".join(w[0].upper() for w in words)[:size]


def short_labels(names: list[str], size: int) -> list[str]:
    """Initials for column headers, made unique by taking more of the first word on a clash.

    "Model risk" and "Monitoring readiness" -> "MoR" and "MoR" clash -> "ModR", "MonR".
    """
    labels = [initials(name, size) for name in names]
    for extra in range(1, size):
        clashes = {label for label in labels if labels.count(label) > 1}
        if not clashes:
            break
        for i, name in enumerate(names):
            if labels[i] in clashes:
                words = name.split()
                rest = "".join(w[0].upper() for w in words[1:] if w[0].isalnum())
                labels[i] = (words[0][: 1 + extra] + rest)[:size]
    return labels


def fit(text: str, width: int, *, right: bool = False) -> str:
    """Pad or cut `text` to exactly `width` cells (wide characters count as two), keeping
    a space after it; what is cut ends in '…'."""
    if cell_len(text) >= width:
        text = clip(text, width - 1) + " "
    return text.rjust(width) if right else set_cell_size(text, width)


def clip(text: str, width: int) -> str:
    """`text` in at most `width` cells: cut, it ends in '…', so a reader knows there is more."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""


VERBS = {"create": "added", "update": "changed", "delete": "deleted"}


def describe_changes(changes: list[tuple[str, str, int, str]]) -> str:
    """'changed feature recs' or 'added 14 features, 237 scores, +3 more'."""
    if changes == [("create", "workspace", 1, "workspace")]:
        return "created the workspace"
    if len(changes) == 1 and changes[0][2] == 1:
        op, kind, _, entity_id = changes[0]
        if kind == "workspace":
            return f"{VERBS[op]} the workspace settings"
        return f"{VERBS[op]} {_singular(kind)} {entity_id}"
    parts = [f"{VERBS[op]} {count} {kind if count > 1 else _singular(kind)}"
             for op, kind, count, _ in changes]  # fmt: skip
    if len(parts) > 2:
        parts = [*parts[:2], f"+{len(parts) - 2} more"]
    return ", ".join(parts)


def _singular(kind: str) -> str:
    return {"capabilities": "capability", "policies": "policy", "criteria": "criterion",
            "workspace": "workspace settings"}.get(kind, kind.removesuffix("s"))  # fmt: skip
