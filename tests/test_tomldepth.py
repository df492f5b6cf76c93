"""The depth scan that runs before tomllib (SPEC section 1: at most 32 levels deep).

It must find exactly the nesting tomllib would recurse into, skipping brackets in
strings and comments, and stay linear on any text (issue 22).
"""

from __future__ import annotations

import time
import tomllib

from hypothesis import given
from hypothesis import strategies as st

from roadmap_tui.tomldepth import too_deep

# String contents that look like structure: brackets, quotes, comment marks, line ends.
_TRICKS = st.text(st.sampled_from("[]{}#'a ,="), max_size=6)
_BASIC = _TRICKS.map(lambda s: '"' + s.replace("'", '\\"') + "\\\\" * (len(s) % 2) + '"')
_LITERAL = _TRICKS.map(lambda s: "'" + s.replace("'", '"') + "'")
_MULTI = _TRICKS.map(lambda s: '"""\n' + s + '\n""""')  # ends in one more quote
_LEAVES = st.one_of(st.just("1"), _BASIC, _LITERAL, _MULTI)


def _array(items: list[tuple[str, int]]) -> tuple[str, int]:
    # a multi-line array with a comment after each item
    body = "".join(f"\n  {text}, # ]]] {{{{ '\"" for text, _ in items)
    return f"[{body}\n]", 1 + max((depth for _, depth in items), default=0)


def _table(items: list[tuple[str, int]]) -> tuple[str, int]:
    body = ", ".join(f"k{i} = {text}" for i, (text, _) in enumerate(items))
    return f"{{{body}}}", 1 + max((depth for _, depth in items), default=0)


# A value and how deep its arrays and inline tables nest.
values = st.recursive(
    _LEAVES.map(lambda text: (text, 0)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(_array),
        st.lists(inner, max_size=3).map(_table).filter(lambda v: "\n" not in v[0]),
    ),
    max_leaves=12,
)


@given(values, st.integers(0, 4))
def test_the_scan_finds_exactly_the_nesting_tomllib_parses(value: tuple[str, int], limit: int):
    text, depth = value
    document = f"# a [ comment\na = {text}\n"
    tomllib.loads(document)  # the strategy writes valid TOML
    found = too_deep(document, limit)
    assert (found is not None) == (depth > limit)
    if found is not None:
        assert document[found] in "[{"


def test_a_quote_that_starts_no_string_ends_the_scan_at_once() -> None:
    # tomllib refuses the file there; the scan went on, trying every escaped quote as a
    # string to the end of the line: 80 KB took 16 s
    for text in ('a = "' + '\\"' * 40_000, 'a = """' + '\\"' * 40_000, "a = '" + "x" * 80_000):
        start = time.perf_counter()
        assert too_deep(text + "\nb = " + "[" * 40, 32) is None
        assert time.perf_counter() - start < 0.5
