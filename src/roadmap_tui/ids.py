"""Ids derived from titles and names (SPEC section 1): a person never types one.

Pure and UI-free: forms, quick adds and the palette derive an id here, and the
store's uniqueness is the `taken` set the caller passes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

ID_LENGTH = 48  # a derived id is cut here, at a "-" where possible (SPEC section 1)
_OUTSIDE = re.compile(r"[^a-z0-9]+")

NOUN = {
    "features": "feature",
    "capabilities": "capability",
    "criteria": "criterion",
    "participants": "participant",
    "risks": "risk",
    "policies": "policy",
    "decisions": "decision",
}


def slug(text: str, noun: str) -> str:
    """`text` as an id: NFKD, accents dropped, lower case, runs outside a-z0-9 as one "-".

    "Démand  Forecast!" -> "demand-forecast"; "" or "!!!" -> `noun`.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    base = _OUTSIDE.sub("-", plain).strip("-")
    if len(base) > ID_LENGTH:
        cut = base[:ID_LENGTH]
        at = ID_LENGTH if base[ID_LENGTH] == "-" else cut.rfind("-")  # end on a whole word
        base = (cut[:at] if at > 0 else cut).strip("-")
    return base or noun


def derive_id(text: str, noun: str, taken: Container[str]) -> str:
    """The slug of `text`, with "-2", "-3", … until it is not in `taken`."""
    base = slug(text, noun)
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
