"""Decisions: the log. For now the list, newest first."""

from __future__ import annotations

from ..widgets.text import cell
from .listing import Column, ListingScreen, text


class DecisionsScreen(ListingScreen):
    MODE = "decisions"
    KINDS = ("decisions",)
    PURPOSE = "The decision log (recording, detail and export are coming)."
    COLUMNS = {
        "decisions": (
            Column("date", lambda d, s: cell(d.date.isoformat())),
            Column("outcome", text("outcome")),
            Column("id", text("id")),
            Column("title", text("title")),
        ),
    }
