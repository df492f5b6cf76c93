"""Map: features × capabilities. For now the two lists, with readiness."""

from __future__ import annotations

from .. import formatting
from ..widgets.text import cell
from .listing import Column, ListingScreen, text


class MapScreen(ListingScreen):
    MODE = "map"
    KINDS = ("features", "capabilities")
    PURPOSE = "Features and the capabilities they need (the full grid and editors are coming)."
    COLUMNS = {
        "features": (
            Column("id", text("id")),
            Column("title", text("title")),
            Column("status", text("status")),
            Column("quarter", text("quarter")),
            Column(
                "blocked by",
                lambda f, s: cell(", ".join(s.evaluation.features[f.id].readiness.blocked_by)),
            ),
        ),
        "capabilities": (
            Column("id", text("id")),
            Column("name", text("name")),
            Column("category", text("category")),
            Column("maturity", lambda c, s: cell(f"{c.maturity}/4")),
            Column(
                "unlocks",
                lambda c, s: cell(
                    formatting.money(
                        s.evaluation.capabilities[c.id].unlocked_value, s.plan.workspace.currency
                    )
                ),
            ),
        ),
    }
