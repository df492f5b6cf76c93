"""Risks: the register. For now the list, with band and expected loss."""

from __future__ import annotations

from .. import formatting
from ..widgets.text import cell
from .listing import Column, ListingScreen, text


class RisksScreen(ListingScreen):
    MODE = "risks"
    KINDS = ("risks",)
    PURPOSE = "The risk register (the heat map and business translation are coming)."
    COLUMNS = {
        "risks": (
            Column("band", lambda r, s: cell(s.assessments[r.id].band)),
            Column("title", text("title")),
            Column("category", text("category")),
            Column("L×I", lambda r, s: cell(f"{r.likelihood}×{r.impact}")),
            Column(
                "expected loss",
                lambda r, s: cell(
                    formatting.money(s.assessments[r.id].expected_loss, s.plan.workspace.currency)
                ),
            ),
            Column("id", text("id")),
        ),
    }
