"""Policies: the library. For now the list."""

from __future__ import annotations

from ..widgets.text import cell
from .listing import Column, ListingScreen, text


class PoliciesScreen(ListingScreen):
    MODE = "policies"
    KINDS = ("policies",)
    PURPOSE = "The policy library (bodies, search and coverage are coming)."
    COLUMNS = {
        "policies": (
            Column("id", text("id")),
            Column("title", text("title")),
            Column("category", text("category")),
            Column("owner", text("owner")),
            Column("review by", lambda p, s: cell(str(p.review_by or "—"))),
        ),
    }
