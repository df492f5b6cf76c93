"""Score: the ranking. For now the ranked features, the criteria and the participants."""

from __future__ import annotations

from rich.text import Text

from .. import formatting
from ..widgets.text import cell
from .listing import Column, ListingScreen, text


def _rank(feature, state) -> Text:
    result = state.evaluation.features[feature.id]
    if result.rank:
        return cell(f"{result.rank}")
    return cell(f"— {len(result.missing)} missing" if result.missing else "—")


class ScoreScreen(ListingScreen):
    MODE = "score"
    KINDS = ("features", "criteria", "participants")
    PURPOSE = "Scores and ranking (the live scoring matrix is coming)."
    COLUMNS = {
        "features": (
            Column("rank", _rank),
            Column(
                "score",
                lambda f, s: cell(formatting.number(s.evaluation.features[f.id].score)),
            ),
            Column("title", text("title")),
        ),
        "criteria": (
            Column("id", text("id")),
            Column("name", text("name")),
            Column("weight", lambda c, s: cell(f"{c.weight:g}")),
            Column("range", lambda c, s: cell(f"{c.min:g}–{c.max:g}")),
            Column("better", lambda c, s: cell("higher" if c.higher_is_better else "lower")),
        ),
        "participants": (
            Column("id", text("id")),
            Column("name", text("name")),
            Column("role", text("role")),
        ),
    }

    def records(self, kind: str) -> list:
        if kind != "features":
            return super().records(kind)
        results = self.state.evaluation.features
        # Ranked first, by rank; then the incomplete ones, by title.
        return sorted(
            self.state.plan.features,
            key=lambda f: (results[f.id].rank is None, results[f.id].rank or 0, f.title),
        )
