"""Choose the scoring model; a model whose criteria are missing is explained, with a way out."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..errors import WorkspaceError
from ..models import MODEL_CRITERIA, Plan, ScoringModel, choices, model_problems
from ..starter import MODEL_PRESETS
from ..widgets.text import user_text
from ..workspace import Workspace

FORMULAS = {
    "weighted": "weighted sum of every criterion with weight > 0, 0–100",
    "rice": "reach × impact × confidence% ÷ effort",
    "wsjf": "(business value + time criticality + risk reduction) ÷ job size",
}


class ModelPicker(ModalScreen[str | None]):
    """Enter uses the highlighted model; a adds its missing criteria first."""

    CSS_PATH = "../styles/score.tcss"

    BINDINGS = [
        Binding("a", "add_and_use", "Add its criteria and use it",
                tooltip="Add the criteria the model needs (weight 0), then switch"),
        Binding("escape", "dismiss(None)", "Close"),
    ]  # fmt: skip

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        with Vertical(id="model-box") as box:
            box.border_title = "Scoring model"
            box.border_subtitle = "enter use · a add missing criteria · esc close"
            yield OptionList(id="model-list")
            yield Static(id="model-message")

    def on_mount(self) -> None:
        current = self.workspace.info().scoring_model
        criteria = self.workspace.criteria()
        options = []
        for model in choices(ScoringModel):
            problems = model_problems(model, criteria)
            status = ("✗ " + problems[0], "$gap-many") if problems else ("✓ ready", "$gap-none")
            marker = "● " if model == current else "  "
            prompt = Content.assemble(
                (marker + model, "bold"), f"  {FORMULAS[model]}\n    ", status
            )
            options.append(Option(prompt, id=model))
        picker = self.query_one(OptionList)
        picker.add_options(options)
        picker.highlighted = list(choices(ScoringModel)).index(current)
        picker.focus()

    @on(OptionList.OptionSelected)
    def _use(self, event: OptionList.OptionSelected) -> None:
        self._switch(str(event.option_id), add_missing=False)

    def action_add_and_use(self) -> None:
        picker = self.query_one(OptionList)
        if picker.highlighted is not None:
            self._switch(str(picker.get_option_at_index(picker.highlighted).id), add_missing=True)

    def _switch(self, model: str, *, add_missing: bool) -> None:
        base = self.workspace.info()
        info = base.model_copy(update={"scoring_model": model})
        have = {c.id for c in self.workspace.criteria()}
        missing = [c for c in MODEL_PRESETS.get(model, ()) if c.id not in have]
        try:
            if missing and add_missing:
                # one transaction: the criteria and the switch together, or nothing
                self.workspace.apply(Plan(workspace=info, criteria=missing))
            else:
                self.workspace.set_info(info, base=base)
        except WorkspaceError as error:
            needed = ", ".join(MODEL_CRITERIA.get(model, ()))
            hint = f" Press a to add {needed}." if missing else ""
            self.query_one("#model-message", Static).update(
                user_text(f"{error}{hint}", style="$gap-many")
            )
            return
        self.dismiss(model)
