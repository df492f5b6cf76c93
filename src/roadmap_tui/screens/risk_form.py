"""The risk editor: every field of SPEC section 1, and the category's business proposal.

Built on RecordForm, so validation is the model's and nothing is saved until the
record validates. What it adds:

- the feature and capability links are pickers of the workspace's records
  ("id — title"), with "(none)";
- affected metrics are a checklist of the seven business metrics (space toggles);
- under the checklist, the proposal: the metrics the category proposes and the
  plain-language sentence built from what is typed now (likelihood, exposure,
  metrics), updated as you type. ctrl+r (or the "Apply proposal" button) puts
  the proposed metrics in the checklist and the sentence in Business impact;
  the facilitator keeps it, edits it, or writes their own before saving;
- a new risk starts from `prefill` (the screen passes the chosen heat-map cell
  and the filters) and its metrics follow the category's proposal until the
  checklist is changed by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Input, Select, SelectionList, Static, TextArea

from .. import risk as risks
from ..models import BusinessMetric, Risk, RiskCategory, RiskStatus, choices
from ..widgets.form import RecordForm, Save
from ..widgets.form_fields import FormField, MarkedChecklist
from ..widgets.form_values import DEFAULT, Field, Item, ParseError, Raw, field_id, from_raw, to_raw
from ..widgets.text import user_text

METRICS = choices(BusinessMetric)
NONE_LABEL = "(none)"
SCALE_HELP = {
    "likelihood": " · ".join(f"{n} {w}" for n, w in risks.LIKELIHOOD_WORDS.items()),
    "impact": " · ".join(f"{n} {w}" for n, w in risks.IMPACT_WORDS.items()),
}


def risk_fields(currency: str, features: Sequence[str], capabilities: Sequence[str]) -> list[Item]:
    """The editor's fields; the links' choices are the workspace's ids, "" for none."""
    return [
        Field("title", "Title", help="what could go wrong, in a sentence"),
        Field("id", "Id", help="made from the title; a-z, 0-9, . _ -"),
        Field("category", "Category", "choice", choices=choices(RiskCategory)),
        Field("feature", "Feature", "choice", choices=("", *features), help="the feature at risk"),
        Field("capability", "Capability", "choice", choices=("", *capabilities),
              help="or the platform capability"),
        Field("likelihood", "Likelihood", "integer", help=SCALE_HELP["likelihood"]),
        Field("impact", "Impact", "integer", help=SCALE_HELP["impact"]),
        Field("exposure", "Exposure", "number", help=f"what one occurrence costs, in {currency}"),
        Field("affected_metrics", "Affected metrics", "list", help="space ticks a metric"),
        Field("business_impact", "Business impact", "multiline",
              help="in the room's words; ctrl+r proposes one"),
        Field("mitigation", "Mitigation", "multiline"),
        Field("owner", "Owner"),
        Field("status", "Status", "choice", choices=choices(RiskStatus)),
    ]  # fmt: skip


def canonical(metrics: Sequence[str]) -> str:
    """Metrics as the checklist's raw text: in BusinessMetric's order, comma-separated."""
    return ", ".join(metric for metric in METRICS if metric in metrics)


class LinkField(FormField):
    """A feature or capability link: a picker of "id — title", or (none)."""

    def __init__(self, spec: Field, raw: Raw, titles: Mapping[str, str]) -> None:
        super().__init__(spec, raw)
        self.titles = titles

    def _input(self, spec: Field, raw: Raw) -> Widget:
        ids = [choice for choice in spec.choices if choice]
        if raw and raw not in ids:  # a link to a record this form was not told about: keep it
            ids.append(str(raw))
        options = [(Content(NONE_LABEL), "")]
        options += [(user_text(f"{i} — {self.titles.get(i, '')}".rstrip(" —")), i) for i in ids]
        return Select(
            options, value=str(raw), allow_blank=False, compact=True, classes="field-input"
        )


class MetricsField(FormField):
    """The affected metrics as a checklist; its raw value is the "list" kind's text."""

    def _input(self, spec: Field, raw: Raw) -> Widget:
        picked = set(from_raw("list", str(raw)))
        return MarkedChecklist(
            *((metric, metric, metric in picked) for metric in METRICS), classes="field-input"
        )

    @property
    def picker(self) -> SelectionList[str]:
        return self.query_one(".field-input", SelectionList)

    @property
    def raw(self) -> Raw:
        return canonical(self.picker.selected)

    def set_metrics(self, metrics: Sequence[str]) -> None:
        picker = self.picker
        picker.deselect_all()
        for metric in metrics:
            picker.select(metric)

    @on(SelectionList.SelectedChanged)
    def _picked(self) -> None:
        self._edited()


class RiskForm(RecordForm[Risk]):
    """Edit one risk; dismisses with the saved risk, or None when cancelled."""

    CSS_PATH = ["../styles/forms.tcss", "../styles/risks.tcss"]

    BINDINGS = [
        Binding("ctrl+r", "apply_proposal", "Apply proposal",
                tooltip="Tick the metrics the category proposes and write the sentence "
                "into Business impact"),
    ]  # fmt: skip

    def __init__(
        self,
        initial: Risk | None,
        on_save: Save[Risk],
        *,
        currency: str,
        features: Mapping[str, str],
        capabilities: Mapping[str, str],
        prefill: Mapping[str, Any] | None = None,
        current: Callable[[str], Risk | None] | None = None,
    ) -> None:
        title = "New risk" if initial is None else f"Edit risk {initial.id}"
        items = risk_fields(currency, list(features), list(capabilities))
        super().__init__(title, Risk, items, initial, on_save, current=current)
        self.currency = currency
        self.titles = {"feature": features, "capability": capabilities}
        self.prefill = dict(prefill or {}) if initial is None else {}
        if initial is None and "affected_metrics" not in self.prefill:
            category = self.prefill.get("category", "other")
            self.prefill["affected_metrics"] = list(risks.proposed_metrics(category))
        # A new risk's metrics follow the category until the checklist is changed by hand.
        self._following: str | None = (
            canonical(self.prefill["affected_metrics"]) if initial is None else None
        )

    def _field(self, spec: Field) -> FormField:
        field = super()._field(spec)
        raw = field.initial_raw
        if spec.name in self.prefill:
            raw = to_raw(spec.kind, self.prefill[spec.name])
        if spec.name in self.titles:
            return LinkField(spec, raw, self.titles[spec.name])
        if spec.name == "affected_metrics":
            return MetricsField(spec, raw)
        if raw != field.initial_raw:
            return FormField(spec, raw, read_only=field.read_only)
        return field

    def on_mount(self) -> None:
        metrics = self._metrics_field
        metrics.mount(Static(id="risk-proposal"))
        buttons = self.query_one("#form-buttons")
        buttons.mount(Button("Apply proposal", id="apply-proposal", compact=True), before=0)
        super().on_mount()
        self._show_proposal()

    # -- reading the form -----------------------------------------------------------------

    def _form_field(self, name: str) -> FormField:
        return self.query_one(f"#{field_id(name)}", FormField)

    @property
    def _metrics_field(self) -> MetricsField:
        return self.query_one(f"#{field_id('affected_metrics')}", MetricsField)

    def _value(self, name: str) -> Any:
        """A field's current value as the model would read it, or None if it cannot be read."""
        field = self._form_field(name)
        try:
            value = from_raw(field.spec.kind, field.raw)
        except ParseError:
            return None
        return None if value is DEFAULT else value

    def _sentence(self, metrics: Sequence[str]) -> str | None:
        """The sentence for what is typed now, or None while likelihood is not 1..5."""
        likelihood, exposure = self._value("likelihood"), self._value("exposure")
        if not isinstance(likelihood, int) or not 1 <= likelihood <= 5:
            return None
        if exposure is None or exposure < 0:
            exposure = 0.0
        return risks.describe(likelihood, float(exposure), metrics, self.currency)

    def _proposed(self) -> tuple[str, ...]:
        category = str(self._form_field("category").raw)
        return risks.proposed_metrics(category) or tuple(self._value("affected_metrics") or ())

    # -- the proposal ---------------------------------------------------------------------

    def _show_proposal(self) -> None:
        category = str(self._form_field("category").raw)
        proposed = risks.proposed_metrics(category)
        ticked = str(self._metrics_field.raw)
        lines = [
            Content.assemble(("Ticked: ", "$text-muted"), ticked or "none"),
            Content.assemble(
                ("Proposed for ", "$text-muted"),
                (category, "bold"),
                (": ", "$text-muted"),
                ", ".join(proposed) if proposed else "no metrics (write your own)",
            ),
        ]
        sentence = self._sentence(self._proposed())
        if sentence is None:
            lines.append(Content.styled("The sentence needs a likelihood of 1 to 5.", "italic"))
        else:
            lines.append(Content.styled(sentence, "italic"))
        lines.append(Content.styled("ctrl+r applies both", "$text-muted"))
        self.query_one("#risk-proposal", Static).update(Content("\n").join(lines))

    def action_apply_proposal(self) -> None:
        proposed = self._proposed()
        field = self._metrics_field
        field.set_metrics(proposed)
        self._following = None
        sentence = self._sentence(proposed)
        impact = self._form_field("business_impact")
        if sentence is None:
            self._form_field("likelihood").show_error("1 to 5, to build the sentence")
            self._form_field("likelihood").focus_input()
            return
        impact.query_one(".field-input", TextArea).load_text(sentence)
        self._show_proposal()

    @on(Button.Pressed, "#apply-proposal")
    def _apply_pressed(self) -> None:
        self.action_apply_proposal()

    @on(Select.Changed)
    @on(Input.Changed)
    @on(SelectionList.SelectedChanged)
    def _typed(self, event: Select.Changed | Input.Changed | SelectionList.SelectedChanged) -> None:
        if not self.is_mounted or not self.query("#risk-proposal"):
            return
        field = self._metrics_field
        if isinstance(event, SelectionList.SelectedChanged):
            if self._following is not None and field.raw != self._following:
                self._following = None  # changed by hand: stop following the category
        elif isinstance(event, Select.Changed) and self._following is not None:
            category = str(self._form_field("category").raw)
            proposed = risks.proposed_metrics(category)
            self._following = canonical(proposed)
            field.set_metrics(proposed)
        self._show_proposal()
