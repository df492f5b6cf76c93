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
import textwrap
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ..errors import SearchError
from ..formatting import count
from ..models import Policy, PolicyCategory, choices
from ..policy import OVERDUE, coverage
from ..widgets.form_fields import SafeInput
from ..widgets.policy_view import (
    CATEGORY_PREFIX,
    CoveragePanels,
    PolicyDetail,
    marked_content,
    titled,
)
from ..widgets.text import user_text
from ..workspace import PolicyHit
from .base import WorkspaceScreen
from .confirm_delete import delete_after_asking
from .policy_form import policy_form

COVERAGE_AUTO_HEIGHT = 32  # the coverage panel shows by default from this terminal height
SNIPPET_LEAD = 12  # characters of context kept before a hit's first match
LIBRARY = "The policy library"  # the list's title (tests/test_hostile_text.py waits for it)


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

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="policy-top"):
            yield SafeInput(placeholder="/ search policies", id="policy-search", compact=True)
            yield Static(id="policy-status")
        with Horizontal(id="policy-main"):
            library = OptionList(id="policy-list")
            library.border_title = LIBRARY
            yield library
            yield PolicyDetail(id="policy-detail")
        yield CoveragePanels(id="policy-coverage")

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
            options.extend(Option(titled(policy, self.today), id=policy.id) for policy in policies)
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
            count(n, noun, plural)
            for n, noun, plural in (
                (len(cov.uncovered), "capability", "capabilities"),
                (len(cov.empty_categories), "category", "categories"),
            )
            if n
        ]
        if gaps:
            parts.append(Content("no policy: " + ", ".join(gaps)))
        if not parts:
            parts.append(Content.styled("✓ all covered, no review overdue", "$success"))
        status.update(Content(" · ").join(parts))

    def _fill_coverage(self) -> None:
        self.query_one(CoveragePanels).fill(coverage(self.state.plan, self.today))
        self._place_coverage()

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
        names = {c.id: c.name for c in self.state.plan.capabilities}
        self.query_one(PolicyDetail).show(self._policy(policy_id), names, self.today)

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
        delete_after_asking(self, "policies", policy.id, policy.title)

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
