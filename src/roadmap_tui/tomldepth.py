"""How deep a TOML document's arrays and inline tables nest, found without parsing it.

tomllib parses nested values by recursion, so a file 500 arrays deep raises
RecursionError (issue 22). The import checks SPEC section 1's bound first, with
a scan that counts brackets and braces outside strings and comments.
"""

from __future__ import annotations

import re

# Strings and comments (skipped whole, so their brackets do not count), and brackets.
# A multi-line string may end in up to two more quotes than its delimiter (TOML 1.0).
_TOKEN = re.compile(
    r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""(?:""|")?'
    r"|'''[^']*(?:'(?!'')[^']*)*'''(?:''|')?"
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*"
    r"|[\[\]{}]",
    re.DOTALL,
)
_OPEN = frozenset("[{")
_CLOSE = frozenset("]}")


def too_deep(text: str, limit: int) -> int | None:
    """The offset of the first bracket or brace that opens more than `limit` levels, if any."""
    depth = 0
    for token in _TOKEN.finditer(text):
        mark = token[0]
        if mark in _OPEN:
            depth += 1
            if depth > limit:
                return token.start()
        elif mark in _CLOSE:
            depth = max(depth - 1, 0)
    return None
