"""Overview: where the workspace stands, at a glance, on one 80×24 screen."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Static

from .. import formatting
from ..overview_summary import About, DecisionRow, OverviewSummary
from ..safetext import printable
from ..widgets.overview_list import OverviewList
from ..widgets.text import user_text
from .base import WorkspaceScreen

# At least this many rows per list; a taller terminal shows as many as fit.
TOP_FEATURES = 5
TOP_CAPABILITIES = 3
TOP_RISKS = 3
LAST_DECISIONS = 5
ACTIVITY_ROWS = 5
CHECK_AFTER_SECONDS = 0.25  # after the first frame and its footer (README, Performance)
# What a panel's title says while its numbers are those the file kept before its last change.
OUTDATED = " · updating…"
# The panels drawn from the Overview's summary, and their titles.
TITLES = {
    "ranked": "Top ranked",
    "risks": "Top risks by expected loss",
    "decisions": "Recent decisions",
}

BAND_STYLE = {
    "low": "$band-low",
    "medium": "$band-medium",
    "high": "$band-high",
    "critical": "bold $band-critical",
}
OUTCOME_GLYPH = {"approved": "✓", "deferred": "…", "rejected": "✗", "needs-info": "?"}


class OverviewScreen(WorkspaceScreen):
    CSS_PATH = "../styles/overview.tcss"
    MODE = "overview"
    _filled_size: Size | None = None
    _check_due = False  # a check of the Overview the file kept is on its timer

    def compose_body(self) -> ComposeResult:
        # Each panel is one widget with its border: a wrapper around each delayed the first
        # frame (README, Performance).
        with Grid(id="panels"):
            yield Static(id="about", classes="panel")
            for panel_id, title in (
                ("ranked", TITLES["ranked"]),
                ("blocked", "Blocked value"),  # with its value: when filled
                ("risks", TITLES["risks"]),
                ("decisions", TITLES["decisions"]),
                ("activity", "Recent activity"),
            ):
                panel = OverviewList(id=panel_id, classes="panel")
                panel.border_title = title
                yield panel

    def selection(self) -> dict[str, list[str]]:
        panel = self.focused
        if isinstance(panel, OverviewList) and panel.highlighted is not None:
            kind, _, record_id = panel.keys[panel.highlighted].partition(":")
            if kind in ("features", "capabilities", "risks") and record_id:
                return {kind: [record_id]}
        return {}

    def show(self) -> None:
        self._fill_panels()
        self._check_soon()

    def _check_soon(self) -> None:
        if self.state.overview_from_file and not self._check_due:
            # Drawn from the summary the file kept: the records are read, and it is checked
            # against them, once the first frame and its footer are out (issue 10, B1).
            self._check_due = True
            self.set_timer(CHECK_AFTER_SECONDS, self._check)

    def on_screen_resume(self) -> None:  # after WorkspaceScreen's: Textual runs each class's
        self._check_soon()  # one left for later when another screen was shown first

    def _check(self) -> None:
        # Not while another screen is shown (issue 21): a key pressed at the first frame
        # opens it without waiting for these numbers, and its first keys do not either.
        self._check_due = False
        if self.is_current and self.state.check_overview():
            self._fill_panels()
            self.show_workspace_name()

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(5, self._fill_presence)

    def _fill_presence(self) -> None:
        """Who else has the workspace open, on the activity panel's edge."""
        if not self.is_current:
            return
        others = self.state.workspace.present(self.roadmap.session)
        names = sorted({printable(p.actor) for p in others})
        panel = self.query_one("#activity", OverviewList)
        panel.border_subtitle = (
            Content.styled(f"also here: {', '.join(names)}", "bold $accent") if names else ""
        )

    def on_resize(self) -> None:
        if self.size != self._filled_size:  # resize events repeat the same size at start
            self._fill_panels()

    def _title(self, title: str | Content) -> Content:
        """A panel's title, saying so while its numbers may be older than the file's."""
        if not self.state.overview_outdated:
            return Content(title) if isinstance(title, str) else title
        return Content.assemble(title, (OUTDATED, "bold $warning"))

    def _rows(self, at_least: int) -> int:
        # Three rows of panels share the height left by the nav bar and footer; 2 for borders.
        return max(at_least, (self.size.height - 2) // 3 - 2)

    def _fill_panels(self) -> None:
        self._filled_size = self.size  # how many rows fit, and how wide a name may be
        summary = self.state.overview
        self.query_one("#about", Static).update(self._about(summary.about))
        for panel_id, title in TITLES.items():
            self.query_one(f"#{panel_id}", OverviewList).border_title = self._title(title)
        self._ranked(summary)
        self._blocked(summary)
        self._risks(summary)
        self._decisions(summary.decisions)
        self._activity()
        self._fill_presence()

    def _about(self, about: About) -> Content:
        about_panel = self.query_one("#about", Static)
        about_panel.border_title = self._title("Workspace")
        about_panel.border_subtitle = Content.assemble(
            user_text(about.scoring_model), " · ", user_text(about.aggregation), " · ",
            user_text(about.currency),
        )  # fmt: skip
        name_width = max(10, (self.size.width - 1) // 2 - 4)  # the panel's inner width
        blocked, contested = about.blocked, about.contested

        def left(n: int, noun: str, plural: str | None = None) -> str:
            return f"{n:>3} {formatting.noun_for(n, noun, plural):<13}"

        lines = [
            user_text(about.name, style="bold").truncate(name_width, ellipsis=True),
            Content.assemble(
                left(about.features, "feature"),
                (f"✗ {blocked} blocked", "$gap-many" if blocked else ""),
            ),
            Content.assemble(
                left(about.capabilities, "capability", "capabilities"),
                (f"◆ {contested} contested", "$contested" if contested else ""),
            ),
            Content(f"{left(about.risks, 'risk')}{about.incomplete} incomplete"),
            Content(
                left(about.policies, "policy", "policies")
                + formatting.count(about.decisions, "decision")
            ),
        ]
        if about.description:  # shown when the panel is tall enough; cut otherwise
            lines += [Content(""), user_text(about.description, multiline=True, style="italic")]
        return Content("\n").join(lines)

    def _ranked(self, summary: OverviewSummary) -> None:
        rows = []
        for row in summary.ranked[: self._rows(TOP_FEATURES)]:
            marker = ("✗ blocked", "$gap-many") if row.blocked else ("✓ ready  ", "$gap-none")
            line = Content.assemble(
                f"{row.rank:>2}. {formatting.number(row.score):>5} ",
                marker,
                " ",
                ("⚠ ", "bold $band-critical") if row.at_a_loss else "",  # loss > net value
                user_text(row.title),
            )
            rows.append((f"features:{row.id}", line))
        panel = self.query_one("#ranked", OverviewList)
        panel.set_rows(rows, first_steps(summary.about))

    def _blocked(self, summary: OverviewSummary) -> None:
        currency = summary.about.currency
        panel = self.query_one("#blocked", OverviewList)
        value = formatting.money(summary.blocked_value, currency)
        panel.border_title = self._title(Content.assemble("Blocked value: ", user_text(value)))
        rows = [
            (
                f"capabilities:{lever.id}",
                Content.assemble(
                    user_text(f"{formatting.money(lever.unlocked_value, currency):>7} "),
                    f"{formatting.times(lever.leverage):>6} ",
                    user_text(lever.name),
                ),
            )
            for lever in summary.levers[: self._rows(TOP_CAPABILITIES)]
        ]
        self._fill(
            "#blocked",
            rows,
            "no capability gaps"
            if summary.about.capabilities
            else "no capabilities yet: m, then N",
        )

    def _risks(self, summary: OverviewSummary) -> None:
        currency, at_a_loss = summary.about.currency, summary.at_a_loss
        panel = self.query_one("#risks", OverviewList)
        panel.border_subtitle = (
            Content.styled(
                f"⚠ {formatting.count(at_a_loss, 'feature')}: loss > net value",
                "bold $band-critical",
            )
            if at_a_loss
            else ""
        )
        rows = [
            (
                f"risks:{r.id}",
                Content.assemble(
                    (f"{r.band:<8}", BAND_STYLE[r.band]),
                    user_text(f" {formatting.money(r.expected_loss, currency):>7} "),
                    user_text(r.title),
                ),
            )
            for r in summary.risks[: self._rows(TOP_RISKS)]
        ]
        self._fill(
            "#risks",
            rows,
            "no open risks" if summary.about.risks else "no risks yet: r, then n adds one",
        )

    def _decisions(self, decisions: tuple[DecisionRow, ...]) -> None:
        rows = [
            (
                f"decisions:{d.id}",
                Content.assemble(
                    f"{d.date} {OUTCOME_GLYPH[d.outcome]} {d.outcome:<10} ",
                    user_text(d.title),
                ),
            )
            for d in decisions[: self._rows(LAST_DECISIONS)]
        ]
        self._fill("#decisions", rows, "no decisions yet: D records one")

    def _activity(self) -> None:
        rows = [
            (
                f"activity:{entry.action}",
                Content.assemble(
                    f"{formatting.when(entry.at)} ",
                    user_text(entry.actor, style="bold"),
                    f" {formatting.describe_changes(entry.changes)}",
                ),
            )
            for entry in self.state.workspace.activity(self._rows(ACTIVITY_ROWS))
        ]
        self._fill("#activity", rows, "no activity yet")

    def _fill(self, selector: str, rows: list[tuple[str, Content]], empty: str) -> None:
        panel = self.query_one(selector, OverviewList)
        panel.set_rows(rows, Content.styled(empty, "italic $text-muted"))

    @on(OverviewList.Selected)
    def _open(self, event: OverviewList.Selected) -> None:
        kind, _, record_id = event.key.partition(":")
        if kind != "activity" and record_id:
            self.roadmap.jump(kind, record_id)


# What an empty workspace needs, in order, and the keys that do it.
STEPS = (
    ("capabilities", "capabilities", "m, then N"),
    ("features", "features", "m, then n"),
    ("participants", "participants", "s, then P"),
)


def first_steps(about: About) -> Content:
    """The Top ranked panel with no ranked feature: what to do next, with the keys."""
    if about.features and about.capabilities and about.participants:
        return Content.styled("no complete features yet: s, then a digit scores", "italic")
    lines = [Content.styled("First steps:", "bold")]
    for field, label, keys in STEPS:
        done = getattr(about, field) > 0
        lines.append(
            Content.assemble(
                ("✓ " if done else "· ", "$gap-none" if done else ""),
                f"{label:<13}",
                (keys, "$text-muted" if done else "bold $accent"),
            )
        )
    lines.append(Content.assemble("· ", f"{'scores':<13}", ("s, then a digit", "bold $accent")))
    return Content("\n").join(lines)
