"""Policies: the library by category, a policy's Markdown body, full-text search, coverage.

The list on the left is the library grouped by category; typing in the search
box turns it into the ranked hits of `Workspace.search_policies`, with the
matching words highlighted, as you type. The selected policy is shown on the
right: its owner, version, review date and capabilities, then its body
rendered as Markdown, whose links are shown (and listed with their targets)
but never opened. The coverage panel lists capabilities no policy applies to,
categories without a policy, and reviews that are overdue or due soon.

"Today" comes from the workspace's clock (the audit log's), read once when the
screen is built, so a test that fixes the clock fixes the review status; the
TODAY class attribute pins it outright. Exports never read it.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from dataclasses import dataclass
from typing import ClassVar

from markdown_it import MarkdownIt
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ..errors import SearchError
from ..models import Capability, Plan, Policy, PolicyCategory, choices
from ..safetext import printable
from ..widgets.form import SafeInput
from ..widgets.text import user_text
from ..workspace import Marked, PolicyHit
from .base import WorkspaceScreen
from .confirm_delete import ConfirmDelete
from .policy_form import policy_form

DUE_SOON_DAYS = 30  # a review this close is flagged before it is overdue
COVERAGE_AUTO_HEIGHT = 32  # the coverage panel shows by default from this terminal height
COVERAGE_ROWS = 7  # the coverage lists grow to this many rows, then scroll
SNIPPET_LEAD = 12  # characters of context kept before a hit's first match
MATCH_STYLE = "bold underline $accent"  # a matched word: never colour alone
CATEGORY_PREFIX = "category:"  # option ids of the category headings
LIBRARY = "The policy library"  # the list's title (tests/test_hostile_text.py waits for it)
OVERDUE, DUE_SOON = "⚠", "◷"

# -- coverage and review status: pure functions of the plan and the date -------------------


@dataclass(frozen=True)
class Coverage:
    uncovered: list[Capability]  # capabilities no policy applies to, by name
    empty_categories: list[str]  # policy categories with no policy, in declared order
    overdue: list[Policy]  # review date before today, most overdue first
    due_soon: list[Policy]  # review date within DUE_SOON_DAYS from today (inclusive)


def coverage(plan: Plan, today: dt.date) -> Coverage:
    covered = {cap for policy in plan.policies for cap in policy.applies_to}
    used = {policy.category for policy in plan.policies}
    dated = sorted(
        (p for p in plan.policies if p.review_by is not None),
        key=lambda p: (p.review_by, p.id),
    )
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    return Coverage(
        uncovered=sorted(
            (c for c in plan.capabilities if c.id not in covered),
            key=lambda c: (c.name.casefold(), c.id),
        ),
        empty_categories=[c for c in choices(PolicyCategory) if c not in used],
        overdue=[p for p in dated if p.review_by < today],  # type: ignore[operator]
        due_soon=[p for p in dated if today <= p.review_by <= soon],  # type: ignore[operator]
    )


def review_status(policy: Policy, today: dt.date) -> tuple[str, str]:
    """What to say about a policy's review date, and the style to say it in."""
    due = policy.review_by
    if due is None:
        return "no review date", "italic $text-muted"
    days = (due - today).days
    span = count(abs(days), "day", "days")
    if days < 0:
        return f"{OVERDUE} review overdue: due {due} ({span} ago)", "bold $error"
    if days == 0:
        return f"{DUE_SOON} review due today ({due})", "bold $warning"
    if days <= DUE_SOON_DAYS:
        return f"{DUE_SOON} review due {due} (in {span})", "$warning"
    return f"✓ review by {due} (in {span})", ""


def review_glyph(policy: Policy, today: dt.date) -> tuple[str, str]:
    due = policy.review_by
    if due is not None and due < today:
        return OVERDUE, "$error"
    if due is not None and (due - today).days <= DUE_SOON_DAYS:
        return DUE_SOON, "$warning"
    return " ", ""


def count(n: int, one: str, many: str) -> str:
    """'1 capability', '3 capabilities', '' for none."""
    return "" if not n else f"{n} {one if n == 1 else many}"


# -- user text with search matches -----------------------------------------------------------

_SPACES = re.compile(r"[ \t\r\n]+")
# Markdown syntax a snippet reads better without: line-start markers, emphasis, code ticks.
_SYNTAX = re.compile(r"(?m)^[ \t]*(?:#{1,6}|[-*+>]|\d{1,9}[.)])[ \t]+|\*\*|__|`")


def marked_content(marked: Marked, style: str = "", *, lead: int | None = None) -> Content:
    """Matched runs styled MATCH_STYLE; every run made printable on its own.

    The runs come from the store as data, so a control character in the text
    (say \\x02) is shown as its picture and can never pass for a match marker.
    With `lead` (a snippet): Markdown syntax is dropped, line breaks become
    spaces, and the text before the first match is cut to its last `lead`
    characters or fewer (from a word's start), so the match is in view.
    """
    runs = list(marked.runs)
    if lead is not None:
        runs = [(_SYNTAX.sub("", text), matched) for text, matched in runs]
    runs = [(_SPACES.sub(" ", text), matched) for text, matched in runs]
    if lead is not None and runs and not runs[0][1] and any(m for _, m in runs):
        text = runs[0][0]
        if len(text) > lead + 1:
            tail = text[-lead:]
            cut = tail.find(" ")
            runs[0] = ("…" + (tail[cut:] if 0 <= cut < len(tail) - 1 else tail), False)
    return Content.assemble(
        *(
            user_text(text, style=f"{style} {MATCH_STYLE}".strip() if matched else style)
            for text, matched in runs
        )
    )


# -- the Markdown body: rendered, links listed, never followed ---------------------------------


class PolicyMarkdown(Markdown):
    """A policy body as Markdown. A clicked link is never opened: the screen says where it goes.

    The text reaches the widget through `printable` (control characters as
    pictures). Link targets only ever reach Markdown's own `link(...)` action,
    written with repr(), which this widget answers without opening anything.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, open_links=False)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.prevent_default()  # Markdown's own handler would call app.open_url


def links(markdown: str) -> list[tuple[str, str]]:
    """(text, target) of every link and image in `markdown`, as the Markdown widget parses it."""
    found: list[tuple[str, str]] = []
    for token in MarkdownIt("gfm-like").parse(markdown):
        label: list[str] | None = None
        href = ""
        for child in token.children or ():
            if child.type == "link_open":
                label, href = [], str(child.attrs.get("href", ""))
            elif child.type == "link_close" and label is not None:
                found.append(("".join(label), href))
                label = None
            elif child.type == "image":
                found.append((child.content or "image", str(child.attrs.get("src", ""))))
            elif label is not None:
                label.append(child.content)
    return found


# -- the screen ----------------------------------------------------------------------------------


class PoliciesScreen(WorkspaceScreen):
    CSS_PATH = "../styles/policies.tcss"
    MODE = "policies"
    TODAY: ClassVar[dt.date | None] = None  # pinned by tests; else the workspace clock's date
    BINDINGS = [
        Binding("slash", "search", "Search", key_display="/",
                tooltip="Search titles, bodies and owners; results follow as you type"),
        Binding("n", "new", "New", tooltip="Add a policy"),
        Binding("e", "edit", "Edit", tooltip="Edit the selected policy"),
        Binding("X", "delete", "Delete", key_display="X",
                tooltip="Delete the selected policy (asks first)"),
        Binding("c", "coverage", "Coverage",
                tooltip="Show or hide capabilities and categories without a policy, "
                "and reviews overdue or due soon"),
        Binding("escape", "back", "Back", show=False,
                tooltip="Leave the body, or clear the search and go back to the library"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.today = self.TODAY or dt.date.today()  # replaced on mount by the workspace clock's
        self._coverage_choice: bool | None = None  # None: by the terminal's height
        self._hits: list[PolicyHit] = []
        self._search_message = ""
        self._selected: str | None = None
        self._shown: tuple[str, Policy | None] | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="policy-top"):
            yield SafeInput(placeholder="/ search policies", id="policy-search", compact=True)
            yield Static(id="policy-status")
        with Horizontal(id="policy-main"):
            library = OptionList(id="policy-list")
            library.border_title = LIBRARY
            yield library
            with Vertical(id="policy-detail"):
                yield Static(id="policy-head")
                with VerticalScroll(id="policy-body"):
                    yield PolicyMarkdown(id="policy-markdown")
                    yield Static(id="policy-links")
        with Horizontal(id="policy-coverage"):
            for list_id, title in (
                ("coverage-capabilities", "No policy applies"),
                ("coverage-categories", "Empty categories"),
                ("coverage-reviews", "Reviews due"),
            ):
                panel = OptionList(id=list_id, classes="coverage-list")
                panel.border_title = title
                yield panel

    def on_mount(self) -> None:
        if self.TODAY is None:
            self.today = self.state.workspace.clock().astimezone().date()
        super().on_mount()
        self.query_one("#policy-list", OptionList).focus()

    # -- filling ----------------------------------------------------------------------------

    def show(self) -> None:
        if self.search_text:
            self._search()
        else:
            self._fill_library()
        self._fill_coverage()
        self._fill_status()
        self._show_policy(self._selected)

    @property
    def search_text(self) -> str:
        return self.query_one("#policy-search", Input).value

    def _policy(self, policy_id: str | None) -> Policy | None:
        return next((p for p in self.state.plan.policies if p.id == policy_id), None)

    def _fill_library(self) -> None:
        by_category: dict[str, list[Policy]] = {}
        for policy in sorted(self.state.plan.policies, key=lambda p: (p.title.casefold(), p.id)):
            by_category.setdefault(policy.category, []).append(policy)
        options: list[Option] = []
        for category in choices(PolicyCategory):
            policies = by_category.get(category, [])
            if not policies:
                continue
            heading = Content.styled(f"{category} · {len(policies)}", "bold $primary")
            options.append(Option(heading, id=f"{CATEGORY_PREFIX}{category}", disabled=True))
            for policy in policies:
                glyph, style = review_glyph(policy, self.today)
                options.append(
                    Option(
                        Content.assemble(" ", (glyph, style), " ", user_text(policy.title)),
                        id=policy.id,
                    )
                )
        if not options:
            options.append(
                Option(Content.styled("No policies yet: n adds one", "italic"), disabled=True)
            )
        self._set_options(LIBRARY, options)

    def _search(self, *, best: bool = False) -> None:
        """Fill the list with the hits; `best` moves the cursor to the first (a new query)."""
        if best:
            self._selected = None
        try:
            self._hits = self.state.workspace.search_policies(self.search_text)
            count = len(self._hits)
            self._search_message = f"{count} match{'es' if count != 1 else ''}" if count else ""
        except SearchError as error:
            self._hits = []
            self._search_message = str(error)
        options = [self._hit_option(hit) for hit in self._hits]
        if not options:
            lines = textwrap.wrap(self._search_message, 28) or ["No policy matches."]
            empty = Content("\n").join(user_text(line, style="italic") for line in lines)
            options.append(Option(empty, disabled=True))
        self._set_options("Search results", options)

    def _hit_option(self, hit: PolicyHit) -> Option:
        title = marked_content(hit.title, "bold")
        lines = [title]
        if hit.owner.matches:
            lines.append(Content.assemble("  owner ", marked_content(hit.owner)))
        lines.append(
            Content.assemble("  ", marked_content(hit.snippet, "$text-muted", lead=SNIPPET_LEAD))
        )
        return Option(Content("\n").join(lines), id=hit.id)

    def _set_options(self, title: str, options: list[Option]) -> None:
        listing = self.query_one("#policy-list", OptionList)
        listing.border_title = title
        listing.clear_options()
        listing.add_options(options)
        ids = [o.id for o in options if not o.disabled]
        keep = self._selected if self._selected in ids else (ids[0] if ids else None)
        if keep is not None:
            listing.highlighted = listing.get_option_index(keep)
        self._selected = keep

    def _fill_status(self) -> None:
        status = self.query_one("#policy-status", Static)
        if self.search_text:
            failed = bool(self._search_message) and not self._hits
            status.update(
                user_text(self._search_message or "no match", style="$error" if failed else "")
            )
            return
        cov = coverage(self.state.plan, self.today)
        parts: list[Content] = []
        if cov.overdue:
            parts.append(Content.styled(f"{OVERDUE} {len(cov.overdue)} overdue", "$error"))
        gaps = [
            count(len(cov.uncovered), "capability", "capabilities"),
            count(len(cov.empty_categories), "category", "categories"),
        ]
        if any(gaps):
            parts.append(Content("no policy: " + ", ".join(g for g in gaps if g)))
        if not parts:
            parts.append(Content.styled("✓ all covered, no review overdue", "$success"))
        status.update(Content(" · ").join(parts))

    def _fill_coverage(self) -> None:
        cov = coverage(self.state.plan, self.today)
        self._fill_panel(
            "#coverage-capabilities",
            [Option(user_text(c.name), id=c.id) for c in cov.uncovered],
            "✓ every capability has a policy",
        )
        self._fill_panel(
            "#coverage-categories",
            [Option(user_text(c), id=f"{CATEGORY_PREFIX}{c}") for c in cov.empty_categories],
            "✓ every category has a policy",
        )
        reviews = [
            Option(
                Content.assemble((f"{glyph} {p.review_by} ", style), user_text(p.title)),
                id=p.id,
            )
            for ps, glyph, style in (
                (cov.overdue, OVERDUE, "$error"),
                (cov.due_soon, DUE_SOON, "$warning"),
            )
            for p in ps
        ]
        self._fill_panel("#coverage-reviews", reviews, "✓ no review due")
        longest = max(len(cov.uncovered), len(cov.empty_categories), len(reviews), 1)
        self.query_one("#policy-coverage").styles.height = min(longest, COVERAGE_ROWS) + 2
        self._place_coverage()

    def _fill_panel(self, selector: str, options: list[Option], empty: str) -> None:
        panel = self.query_one(selector, OptionList)
        panel.clear_options()
        panel.add_options(options or [Option(Content.styled(empty, "$success"), disabled=True)])
        if options:
            panel.highlighted = 0

    def _place_coverage(self) -> None:
        shown = self._coverage_choice
        if shown is None:
            shown = self.app.size.height >= COVERAGE_AUTO_HEIGHT
        self.query_one("#policy-coverage").display = shown

    def on_resize(self) -> None:
        self._place_coverage()

    # -- the selected policy ----------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#policy-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and not event.option.disabled:
            self._selected = event.option.id
            self._show_policy(event.option.id)

    def _show_policy(self, policy_id: str | None) -> None:
        policy = self._policy(policy_id)
        key = (policy_id or "", policy)
        if key == self._shown:
            return
        self._shown = key
        detail = self.query_one("#policy-detail")
        head = self.query_one("#policy-head", Static)
        link_list = self.query_one("#policy-links", Static)
        body = self.query_one(PolicyMarkdown)
        self.query_one("#policy-body", VerticalScroll).scroll_home(animate=False)
        if policy is None:
            detail.border_title = "Policy"
            head.update(Content.styled("No policy selected.", "italic $text-muted"))
            link_list.display = False
            body.update("")
            return
        detail.border_title = user_text(policy.id)
        names = {c.id: c.name for c in self.state.plan.capabilities}
        status, style = review_status(policy, self.today)
        applies = [user_text(names.get(cap, cap)) for cap in policy.applies_to]
        head.update(
            Content("\n").join([
                user_text(policy.title, style="bold"),
                Content.assemble(
                    user_text(policy.category, style="$primary"),
                    " · v", user_text(policy.version or "—"),
                    " · owner ", user_text(policy.owner or "—"),
                ),
                Content.styled(status, style),
                Content.assemble("applies to ", Content(", ").join(applies))
                if applies
                else Content.styled("applies to no capability", "italic $text-muted"),
            ])
        )  # fmt: skip
        text = printable(policy.body, multiline=True)
        targets = links(text)
        link_list.display = bool(targets)
        link_list.update(
            Content("\n").join([
                Content.styled("Links (shown, never opened)", "bold"),
                *(
                    Content.assemble("↗ ", user_text(label or "link"), " → ",
                                     user_text(href, style="underline"))
                    for label, href in targets
                ),
            ])
        )  # fmt: skip
        body.update(text if text.strip() else "*No body yet: e edits the policy.*")

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.roadmap.tell(f"{event.href} (links in policies are not opened)", title="Link")

    # -- search -----------------------------------------------------------------------------

    @on(Input.Changed, "#policy-search")
    def _query_changed(self) -> None:
        if self.search_text:
            self._search(best=True)
        else:
            self._hits, self._search_message = [], ""
            self._fill_library()
        self._fill_status()
        self._show_policy(self._selected)

    @on(Input.Submitted, "#policy-search")
    def _query_done(self) -> None:
        self.query_one("#policy-list", OptionList).focus()

    def action_search(self) -> None:
        self.query_one("#policy-search", Input).focus()

    def action_back(self) -> None:
        """From the body (or coverage) back to the list; from the list or search, clear it."""
        search = self.query_one("#policy-search", Input)
        listing = self.query_one("#policy-list", OptionList)
        if search.value and self.focused in (search, listing):
            search.value = ""  # Input.Changed brings the library back
        listing.focus()

    @on(OptionList.OptionSelected, "#policy-list")
    def _read_body(self) -> None:
        self.query_one("#policy-body", VerticalScroll).focus()

    # -- coverage -----------------------------------------------------------------------------

    def action_coverage(self) -> None:
        shown = self.query_one("#policy-coverage").display
        self._coverage_choice = not shown
        self._place_coverage()

    @on(OptionList.OptionSelected, "#coverage-capabilities")
    def _open_capability(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.roadmap.jump("capabilities", event.option.id)

    @on(OptionList.OptionSelected, "#coverage-categories")
    def _new_in_category(self, event: OptionList.OptionSelected) -> None:
        category = (event.option.id or "").removeprefix(CATEGORY_PREFIX)
        if category in choices(PolicyCategory):
            self._open_form(None, category=category)

    @on(OptionList.OptionSelected, "#coverage-reviews")
    def _open_review(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.select("policies", event.option.id)

    # -- records ------------------------------------------------------------------------------

    def action_new(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        policy = self._policy(self._selected)
        if policy is not None:
            self._open_form(policy)

    def _open_form(self, policy: Policy | None, *, category: str | None = None) -> None:
        workspace = self.state.workspace

        def saved(result: Policy | None) -> None:
            if result is not None:
                self.roadmap.changed()
                self.select("policies", result.id)

        form = policy_form(
            policy,
            workspace.save,
            capabilities=self.state.plan.capabilities,
            current=lambda id: workspace.get("policies", id),  # type: ignore[arg-type,return-value]
            category=category,
        )
        self.app.push_screen(form, saved)

    def action_delete(self) -> None:
        policy = self._policy(self._selected)
        if policy is None:
            return
        references = self.state.workspace.references("policies", policy.id)

        def answered(delete: bool | None) -> None:
            if delete:
                self.roadmap.write(lambda ws: ws.delete("policies", policy.id))

        self.app.push_screen(ConfirmDelete("policy", policy.id, policy.title, references), answered)

    def selection(self) -> dict[str, list[str]]:
        """A decision recorded here is about the selected policy (or coverage capability)."""
        capabilities = self.query_one("#coverage-capabilities", OptionList)
        if self.focused is capabilities and capabilities.highlighted is not None:
            option = capabilities.get_option_at_index(capabilities.highlighted)
            return {"capabilities": [option.id]} if option.id and not option.disabled else {}
        policy = self._policy(self._selected)
        return {"policies": [policy.id]} if policy is not None else {}

    def select(self, kind: str, id: str) -> None:
        if kind != "policies":
            return
        self._refresh_if_stale()  # a record just saved here may not be in the library yet
        self._selected = id
        search = self.query_one("#policy-search", Input)
        if search.value:
            with search.prevent(Input.Changed):
                search.value = ""
            self._hits, self._search_message = [], ""
            self._fill_status()
        self._fill_library()
        self._show_policy(id)
        self.query_one("#policy-list", OptionList).focus()
