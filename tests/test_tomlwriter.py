"""The exchange format's TOML writer reads back exactly, with tomllib and like tomli-w."""

from __future__ import annotations

import datetime as dt
import re
import tomllib

import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from roadmap_tui.tomlwriter import dumps

# Text as users may type or paste it: any code point but lone surrogates (not Unicode).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
keys = st.one_of(st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True), text)
scalars = st.one_of(
    text,
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
)
arrays = st.lists(scalars, max_size=4)
tables = st.recursive(
    st.dictionaries(keys, st.one_of(scalars, arrays), max_size=4),
    lambda inner: st.dictionaries(
        keys, st.one_of(scalars, arrays, inner, st.lists(inner, min_size=1, max_size=3)), max_size=4
    ),
    max_leaves=12,
)


@given(tables)
def test_any_document_reads_back_exactly(document: dict) -> None:
    assert tomllib.loads(dumps(document)) == document


@given(tables)
def test_reads_back_as_the_same_data_as_tomli_w_writes(document: dict) -> None:
    assert tomllib.loads(dumps(document)) == tomllib.loads(tomli_w.dumps(document))


@given(text)
def test_no_control_character_reaches_the_file(value: str) -> None:
    written = dumps({"title": value, "body": f"{value}\n{value}"})
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", written)


def test_crlf_and_quotes_survive_a_multiline_string() -> None:
    body = 'line one\r\nline "two"\n"""\n\\ends with a quote"'
    written = dumps({"body": body})
    assert written.startswith('body = """\n')
    assert tomllib.loads(written)["body"] == body


def test_arrays_of_tables_use_double_brackets_as_the_format_shows() -> None:
    written = dumps({"features": [{"id": "a", "needs": [{"capability": "fs"}]}]})
    assert "[[features]]\n" in written
    assert "[[features.needs]]\n" in written


def test_plain_values_come_before_sub_tables_and_none_is_left_out() -> None:
    written = dumps({"a": {"x": 1}, "b": 2, "c": None, "d": dt.date(2027, 1, 31)})
    assert written == "b = 2\nd = 2027-01-31\n\n[a]\nx = 1\n"
