"""The risk screen's panels: the selected risk in business terms, and the totals a year.

Their numbers and words come from risk.py; these widgets only lay them out.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from .. import formatting
from .. import risk as risks
from ..models import Plan, Risk
from .tables import fill_table
from .text import cell, user_text


class RiskDetail(Static):
    """One risk told in plain words: band and severity, the sentence of risk.sentence, its
    feature's exposure when the loss exceeds the net value, and what the room wrote."""

    def show(self, r: Risk | None, plan: Plan, assessment: risks.Assessment | None) -> None:
        """Show `r`, a risk of `plan` assessed as `assessment`; None: no risk is selected."""
        if r is None or assessment is None:
            empty = (
                "No risk passes the filters: esc clears them."
                if plan.risks
                else "No risks yet: n adds one."
            )
            self.update(Content.styled(empty, "italic"))
            return
        currency = plan.workspace.currency
        features = {f.id: f for f in plan.features}
        lines = [
            user_text(r.title, style="bold"),
            Content.assemble(
                (
                    f"{assessment.band} {r.likelihood}×{r.impact}={assessment.severity}",
                    f"$band-{assessment.band} bold",
                ),
                f" · {r.status} · {r.category}",
            ),
            Content(risks.sentence(r, currency)),
        ]
        exposure = risks.feature_exposure(plan.features, plan.risks).get(r.feature)
        if exposure is not None and exposure.exceeds:
            lines.append(
                Content.assemble(
                    ("⚠ ", "$band-critical bold"),
                    user_text(features[r.feature].title),
                    (
                        f": its risks' expected loss {formatting.money(exposure.loss, currency)} "
                        f"a year exceeds its net value "
                        f"{formatting.money(exposure.net_value, currency)}",
                        "$band-critical",
                    ),
                )
            )
        if r.feature:
            title = features[r.feature].title if r.feature in features else r.feature
            lines.append(Content.assemble(("Feature: ", "bold"), user_text(title)))
        if r.capability:
            lines.append(Content.assemble(("Capability: ", "bold"), user_text(r.capability)))
        proposal = risks.proposal(r, currency)
        if not r.affected_metrics and proposal.metrics:
            lines.append(
                Content.styled(
                    f"Proposed for {r.category}: {', '.join(proposal.metrics)} (a accepts)",
                    "italic",
                )
            )
        if r.business_impact.strip():
            lines.append(
                Content.assemble(
                    ("Business impact: ", "bold"), user_text(r.business_impact, multiline=True)
                )
            )
        else:
            lines.append(
                Content.styled("No business impact written: a accepts the sentence", "italic")
            )
        if r.mitigation.strip():
            lines.append(
                Content.assemble(("Mitigation: ", "bold"), user_text(r.mitigation, multiline=True))
            )
        if r.owner.strip():
            lines.append(Content.assemble(("Owner: ", "bold"), user_text(r.owner)))
        self.update(Content("\n").join(lines))


class RiskTotals(Vertical):
    """Expected loss a year: in all, by feature (⚠ where it exceeds the net value) and by
    business metric. A row's key says what it totals ("feature:ID", "metric:NAME")."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Totals a year"
        self.border_subtitle = "closed risks left out"

    def compose(self) -> ComposeResult:
        yield DataTable(id="risk-totals", cursor_type="row")

    def fill(self, plan: Plan, width: int, critical: str) -> None:
        """Fill the table `width` cells wide; `critical`: the Rich style of a flagged row."""
        currency = plan.workspace.currency
        totals = risks.totals(plan.features, plan.risks)
        titles = {f.id: f.title for f in plan.features}
        amounts = {
            "all": totals.all,
            **{f"metric:{m}": loss for m, loss in totals.by_metric.items()},
            **{f"feature:{e.feature}": e.loss for e in totals.by_feature},
            "platform": totals.platform,
        }
        said = {key: formatting.money(amount, currency) for key, amount in amounts.items()}
        nets = {e.feature: formatting.money(e.net_value, currency) for e in totals.by_feature}
        loss_width = max([4, *(len(text) for text in said.values())])
        net_width = max([3, *(len(text) for text in nets.values())])
        # scrollbar 1, and each column's padding of one cell either side
        what_width = max(12, width - 1 - (loss_width + 2) - (net_width + 2) - 2)
        rows: list[tuple[Text, Text, Text]] = []
        keys: list[str] = []

        def add(key: str, what: Text, net: Text | None = None) -> None:
            what.truncate(what_width, overflow="ellipsis")
            keys.append(key)
            rows.append((what, cell(f"{said.get(key, ''):>{loss_width}}"), net or cell("")))

        add("all", cell("All but closed", "bold"))
        add("head:feature", cell("By feature", "bold"))
        for e in totals.by_feature:
            title = titles[e.feature]
            what = cell(f"⚠ {title}", critical) if e.exceeds else cell(f"  {title}")
            net = cell(f"{nets[e.feature]:>{net_width}}", critical if e.exceeds else "")
            add(f"feature:{e.feature}", what, net)
        if totals.platform:
            add("platform", cell("  no feature"))
        add("head:metric", cell("By metric", "bold"))
        for key in said:
            if key.startswith("metric:"):
                add(key, cell(f"  {key.removeprefix('metric:') or 'no metric named'}"))
        flagged = totals.flagged
        self.border_subtitle = (
            f"⚠ {flagged} loss > net value" if flagged else "closed risks left out"
        )
        headers = ("", f"{'loss':>{loss_width}}", f"{'net':>{net_width}}")
        fill_table(self.query_one(DataTable), headers, rows, keys)
