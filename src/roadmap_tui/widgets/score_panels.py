"""The lines of the Score screen's panels: the weights, the cell under the cursor, and the
selected feature's money and rank. Each is built from the board (and the one feature shown
in full); the screen puts them in place.
"""

from __future__ import annotations

from textual.content import Content

from .. import formatting, scoring
from ..formatting import short_labels
from ..models import Criterion, Feature
from ..scoreboard import ScoreBoard
from .score_matrix import CELL_WIDTH
from .text import user_text

ZERO_SIZE = {"rice": "effort is 0 or near it", "wsjf": "job size is 0 or near it"}


def weights_line(board: ScoreBoard, shown: list[Criterion], formula: str) -> Content:
    """Every shown criterion's weight, changed live with +/- on its column; for RICE and
    WSJF, the model's `formula` instead."""
    model = board.info.scoring_model
    hidden = len(board.criteria) - len(shown)
    if model != "weighted":
        note = f" · {hidden} more hidden, w shows them" if hidden else ""
        return Content.styled(f"{model}: {formula} (weights are not used){note}", "$text-muted")
    labels = short_labels([c.name for c in shown], CELL_WIDTH - 2)
    weights = Content(" · ").join(
        Content.assemble(user_text(label, style="bold"), f" {formatting.plain(c.weight)}")
        for label, c in zip(labels, shown, strict=True)
    )
    note = f"{hidden} of weight 0 hidden, w shows them · " if hidden else ""
    note = f"  ({note}+/− on a column)"
    return Content.assemble("weights ", weights, (note, "$text-muted"))


def cell_lines(
    board: ScoreBoard, feature: str | None, criterion_id: str | None, participant: str
) -> Content:
    """The criterion under the cursor, and the cell: your vote, the value, the spread and
    everyone's votes (or why there is no cell)."""
    if criterion_id is None:
        empty = "No criterion to score (w shows those the model leaves out, N adds one)."
        return Content.styled(empty, "italic")
    criterion = board.criterion[criterion_id]
    direction = "higher is better" if criterion.higher_is_better else "lower is better"
    about = Content.assemble(
        user_text(criterion.name, style="bold"),
        f" {formatting.plain(criterion.min)}–{formatting.plain(criterion.max)}, {direction}, "
        f"weight {formatting.plain(criterion.weight)}",
    )
    if feature is None:  # the column is still named in full: the header has its initials
        empty = (
            "No contested feature (c shows all)."
            if board.titles
            else "No features yet: a adds one by its title, P adds the participants."
        )
        return Content("\n").join([about, Content.styled(empty, "italic")])
    cell = board.cell(feature, criterion_id)
    mine = board.vote_of(feature, criterion_id, participant)
    people = board.names
    head = Content.assemble(
        about,
        " · you: ",
        (formatting.compact(mine) if mine is not None else "no vote", "bold $accent"),
    )
    if cell is None:
        detail = Content("no votes yet")
    else:
        how = "consensus" if cell.consensus is not None else board.info.aggregation
        votes = Content(" ").join(
            Content.assemble(user_text(people.get(p, p)), f" {formatting.compact(v)}")
            for p, v in cell.votes.items()
        )
        contested = ("  ◆ contested", "bold $contested") if cell.contested else ""
        detail = Content.assemble(
            f"value {formatting.compact(cell.value)} ({how}) · spread {cell.spread:g}",
            contested,
            " · ",
            votes,
        )
    return Content("\n").join([head, detail])


def economics_lines(feature: Feature | None, currency: str) -> tuple[Content, Content]:
    """The feature's title, and its money: uplift, TCO, net value, ROI, payback, costs."""
    if feature is None:
        return Content(""), Content("")
    e = scoring.economics(feature)
    c = feature.costs
    cash = lambda v: formatting.money(v, currency)  # noqa: E731
    lines = [
        Content(f"uplift {cash(feature.expected_uplift)} · TCO {cash(e.tco)}"),
        Content(f"net {cash(e.net_value)} · ROI {formatting.number(e.roi, 2)} · "
                f"payback {formatting.months(e.payback_months)}"),
        Content(f"data {cash(c.data_engineering)} · training {cash(c.training)} · "
                f"deploy {cash(c.deployment)} · monitoring {cash(c.monitoring)} · "
                f"incidents {cash(c.incident_response)}"),
    ]  # fmt: skip
    return user_text(feature.title, style="bold"), Content("\n").join(lines)


def rank_line(board: ScoreBoard, feature_id: str | None, width: int) -> Content:
    """The feature's rank and score, or why it has none, clipped to `width`."""
    if feature_id is None:
        return Content("")
    rank, score = board.rank(feature_id), board.scores[feature_id]
    if rank is not None and score is not None:
        return Content(f"rank {rank} · score {formatting.number(score)}")
    missing = [board.criterion[c].name for c in board.missing.get(feature_id, ())]
    why = "no value yet for " + ", ".join(missing) if missing else ZERO_SIZE.get(
        board.info.scoring_model, "no usable value")  # fmt: skip
    return Content.styled(formatting.clip(f"incomplete: {why}", width), "$gap-one")
