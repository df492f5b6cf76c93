"""How deep a TOML document's arrays and inline tables nest, found without parsing it.

tomllib parses nested values by recursion, so a file 500 arrays deep raises
RecursionError (issue 22). The import checks SPEC section 1's bound first, with
a scan that counts brackets and braces outside strings and comments.
"""

from __future__ import annotations

import re

# Everything up to the next bracket or brace that counts: text that cannot nest, and
# strings and comments skipped whole (their brackets do not count). A multi-line string
# may end in up to two more quotes than its delimiter (TOML 1.0). One match per bracket,
# not per string: a 15 MiB export is scanned in 0.18 s, not 0.42 s (tomllib parses it in
# 2.8 s). The scan ends at the end of the text, or at a quote that starts no string:
# tomllib refuses the file there, having parsed only what came before it. Each string is
# tried once, so the scan stays linear: it went on after such a quote, and 80 KB of
# escaped quotes on one line (`"\"\"\"...`) took 16 s.
_UP_TO_BRACKET = re.compile(
    r"""(?:[^"'#\[\]{}]++"""
    r'|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""(?:""|")?'
    r"|'''[^']*(?:'(?!'')[^']*)*'''(?:''|')?"
    r'|"(?!"")[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    r"|'(?!'')[^'\n]*'"
    r"|#[^\n]*"
    r")*+([\[\]{}])?",
    re.DOTALL,
)


def too_deep(text: str, limit: int) -> int | None:
    """The offset of the first bracket or brace that opens more than `limit` levels, if any."""
    depth = 0
    for match in _UP_TO_BRACKET.finditer(text):
        mark = match[1]
        if mark is None:  # the end, or a quote that starts no string
            break
        if mark in "[{":
            depth += 1
            if depth > limit:
                return match.start(1)
        elif depth:
            depth -= 1
    return None
