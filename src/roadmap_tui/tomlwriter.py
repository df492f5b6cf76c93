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
NEWLINE = "\n"


def dumps(document: Mapping[str, Any]) -> str:
    """The TOML text of `document`; keys keep their order, None values are left out.

    A value may be `Written`: an array of tables its owner wrote ahead of time.
    """
    lines: list[str] = []
    _table(document, "", lines)
    # "\n".join(lines).lstrip("\n") + "\n", without copying a 16 MB export twice more
    while lines and not lines[0].strip("\n"):
        del lines[0]
    if not lines:
        return "\n"
    lines[0] = lines[0].lstrip("\n")
    lines.append("")
    return "\n".join(lines)


class Written:
    """An array of tables already written, exactly as `dumps` would write it there.

    For a caller that knows its records' shape and writes them faster than a
    dict per record would allow (an export of 100,000 scores). `lines` are joined
    with newlines like the rest of the document; a line may hold several.
    """

    __slots__ = ("lines",)

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines


def string(text: str) -> str:
    """The TOML text of a string value, as `dumps` writes it."""
    if NEWLINE in text:
        return _string(text, multiline=True)
    if _SPECIAL.search(text) is None:
        return f'"{text}"'
    return f'"{_SPECIAL.sub(_escape, text)}"'


def value(item: Any) -> str:
    """The TOML text of a plain value (not a table), as `dumps` writes it."""
    return _value(item)


def table(mapping: Mapping[str, Any], path: str, lines: list[str], *, array: bool = False) -> None:
    """Append the lines `dumps` writes for the table at `path` (an array's item if `array`).

    `path` is the header's text, its keys already written as TOML keys.
    """
    lines.extend(("", f"[[{path}]]" if array else f"[{path}]"))
    _table(mapping, path, lines)


# Exports run to hundreds of thousands of tables: the common types (exactly str, int, float,
# bool, dict and list) are told apart by `type(...) is`, the rest by the general checks below.
def _table(table: Mapping[str, Any], path: str, lines: list[str]) -> None:
    # Plain values first: TOML puts every key = value of a table before its sub-tables.
    append = lines.append
    nested: list[tuple[str, Any]] = []
    for key, value in table.items():
        kind = type(value)
        if kind is str:
            append(_assign(key) + string(value))
        elif kind is int:
            append(f"{_assign(key)}{value}")
        elif kind is float:
            append(f"{_assign(key)}{value!r}")  # shortest text that reads back as the same float
        elif value is None:
            continue
        elif kind is bool:
            append(_assign(key) + ("true" if value else "false"))
        elif kind is list and (not value or type(value[0]) is str):  # not an array of tables
            append(_assign(key) + _value(value))
        elif (
            kind is dict
            or kind is Written
            or isinstance(value, Mapping)
            or _is_array_of_tables(value)
        ):
            nested.append((key, value))
        else:
            append(_assign(key) + _value(value))
    for key, value in nested:
        if type(value) is Written:
            lines.extend(value.lines)
            continue
        sub = f"{path}.{_key(key)}" if path else _key(key)
        if isinstance(value, Mapping):
            lines.extend(("", f"[{sub}]"))
            _table(value, sub, lines)
        else:
            header = f"[[{sub}]]"
            for item in value:
                lines.extend(("", header))
                _table(item, sub, lines)


def _is_array_of_tables(value: Any) -> bool:
    if type(value) is not list and (not isinstance(value, Sequence) or isinstance(value, str)):
        return False
    return bool(value) and all(type(item) is dict or isinstance(item, Mapping) for item in value)


_ASSIGNS: dict[str, str] = {}  # key -> "key = ": the same few keys come back on every table
_ASSIGNS_KEPT = 4096


def _assign(key: str) -> str:
    text = _ASSIGNS.get(key)
    if text is None:
        text = f"{_key(key)} = "
        if len(_ASSIGNS) < _ASSIGNS_KEPT:
            _ASSIGNS[key] = text
    return text


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
