"""A small, lossless TOML 1.0 writer for the exchange format.

Why not tomli-w alone: its multi-line strings turn CRLF into LF (text must come
back exactly, SPEC section 1) and it writes short arrays of tables inline,
while the format shows `[[features.needs]]`. Multi-line strings matter here:
policy bodies and rationales are reviewed in git diffs. The output is checked
against tomllib and tomli-w in the tests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}
_SPECIAL = re.compile(r'[\x00-\x1f"\\\x7f-\x9f]')
_MULTILINE_SPECIAL = re.compile(r'[\x00-\x09\x0b-\x1f"\\\x7f-\x9f]')
_INLINE_ARRAY_WIDTH = 80


def dumps(document: Mapping[str, Any]) -> str:
    """The TOML text of `document`; keys keep their order, None values are left out."""
    lines: list[str] = []
    _table(document, (), lines, header=None)
    return "\n".join(lines).lstrip("\n") + "\n"


def _table(table: Mapping[str, Any], path: tuple[str, ...], lines: list[str], header: str | None):
    # Plain values first: TOML puts every key = value of a table before its sub-tables.
    if header is not None:
        lines.extend(["", header])
    nested: list[tuple[str, Any]] = []
    for key, value in table.items():
        if value is None:
            continue
        if isinstance(value, Mapping) or _is_array_of_tables(value):
            nested.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in nested:
        sub = (*path, _key(key))
        if isinstance(value, Mapping):
            _table(value, sub, lines, header=f"[{'.'.join(sub)}]")
        else:
            for item in value:
                _table(item, sub, lines, header=f"[[{'.'.join(sub)}]]")


def _is_array_of_tables(value: Any) -> bool:
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and bool(value)
        and all(isinstance(item, Mapping) for item in value)
    )


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key, multiline=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back as the same float
    if isinstance(value, str):
        return _string(value, multiline="\n" in value)
    if isinstance(value, dt.date):  # datetime is never written: SPEC dates are days
        return value.isoformat()
    if isinstance(value, Sequence):
        items = [_value(item) for item in value]
        inline = f"[{', '.join(items)}]"
        if len(inline) <= _INLINE_ARRAY_WIDTH and "\n" not in inline:
            return inline
        return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    # Control characters (C0, DEL, C1) are escaped so the file is safe to `cat`.
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def _string(text: str, *, multiline: bool) -> str:
    if multiline:
        # The newline after the opening quotes is dropped by readers, so the first line stays.
        return f'"""\n{_MULTILINE_SPECIAL.sub(_escape, text)}"""'
    return f'"{_SPECIAL.sub(_escape, text)}"'
