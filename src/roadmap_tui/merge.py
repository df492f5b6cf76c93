"""Three-way merge of one record's fields: what a save does when the stored record changed
since the caller read it (README, "Sharing a workspace": two people editing one record).

Records come as their `model_dump()`: a nested table (a feature's costs) is merged field
by field, anything else (a text, a number, a whole list such as a feature's needs) is one
value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def merge(
    base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any], prefix: str = ""
) -> tuple[dict[str, Any], list[str]]:
    """`theirs` with each field `mine` changed from `base`; and the paths of the fields
    both changed to different values (where `mine` is not applied)."""
    merged = dict(theirs)
    clashes: list[str] = []
    for name, ours in mine.items():
        was, now = base[name], theirs[name]
        if ours in (was, now):
            continue  # untouched by me, or both made the same change
        if now == was:
            merged[name] = ours
        elif isinstance(was, dict) and isinstance(ours, dict) and isinstance(now, dict):
            merged[name], inner = merge(was, ours, now, f"{prefix}{name}.")
            clashes += inner
        else:
            clashes.append(f"{prefix}{name}")
    return merged, clashes
