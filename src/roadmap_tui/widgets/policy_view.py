"""The policy screen's panels: one policy in detail, the coverage lists, search matches.

A policy's body is rendered as Markdown whose links are shown (and listed with
their targets) but never opened; its head says the review status in words.
"""

from __future__ import annotations

import datetime as dt
import re

from markdown_it import MarkdownIt
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ..models import Policy
from ..policy import Coverage, Review, review, review_glyph, review_said
from ..safetext import printable
from ..workspace import Marked
from .text import user_text

MATCH_STYLE = "bold underline $accent"  # a matched word: never colour alone
CATEGORY_PREFIX = "category:"  # option ids of the category headings
COVERAGE_ROWS = 7  # the coverage lists grow to this many rows, then scroll
REVIEW_STYLES = {
    Review.NONE: "italic $text-muted",
    Review.OVERDUE: "bold $error",
    Review.DUE_TODAY: "bold $warning",
    Review.DUE_SOON: "$warning",
    Review.LATER: "",
}
GLYPH_STYLES = {Review.OVERDUE: "$error", Review.DUE_TODAY: "$warning", Review.DUE_SOON: "$warning"}


def review_status(policy: Policy, today: dt.date) -> tuple[str, str]:
    """What to say about a policy's review date, and the style to say it in."""
    return review_said(policy, today), REVIEW_STYLES[review(policy, today)]


def titled(policy: Policy, today: dt.date) -> Content:
    """A policy in a list: its review glyph, then its title."""
    state = review(policy, today)
    glyph = (review_glyph(state), GLYPH_STYLES.get(state, ""))
    return Content.assemble(" ", glyph, " ", user_text(policy.title))


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


class PolicyDetail(Vertical):
    """The selected policy: its head (title, category, owner, review, capabilities), then
    its body as Markdown, then the links the body holds."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[Policy | None, dict[str, str], dt.date] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="policy-head")
        with VerticalScroll(id="policy-body"):
            yield PolicyMarkdown(id="policy-markdown")
            yield Static(id="policy-links")

    def show(self, policy: Policy | None, names: dict[str, str], today: dt.date) -> None:
        """Show `policy` (None: none is selected); `names`: capability names by id."""
        if (policy, names, today) == self._shown:
            return
        self._shown = (policy, names, today)
        head = self.query_one("#policy-head", Static)
        link_list = self.query_one("#policy-links", Static)
        body = self.query_one(PolicyMarkdown)
        self.query_one("#policy-body", VerticalScroll).scroll_home(animate=False)
        if policy is None:
            self.border_title = "Policy"
            head.update(Content.styled("No policy selected.", "italic $text-muted"))
            link_list.display = False
            body.update("")
            return
        self.border_title = user_text(policy.id)
        status, style = review_status(policy, today)
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


class CoveragePanels(Horizontal):
    """Three lists side by side: capabilities no policy applies to, empty categories, and
    reviews overdue or due soon. Each grows to COVERAGE_ROWS rows, then scrolls."""

    LISTS = (
        ("coverage-capabilities", "No policy applies"),
        ("coverage-categories", "Empty categories"),
        ("coverage-reviews", "Reviews due"),
    )

    def compose(self) -> ComposeResult:
        for list_id, title in self.LISTS:
            panel = OptionList(id=list_id, classes="coverage-list")
            panel.border_title = title
            yield panel

    def fill(self, cov: Coverage) -> None:
        self._fill(
            "#coverage-capabilities",
            [Option(user_text(c.name), id=c.id) for c in cov.uncovered],
            "✓ every capability has a policy",
        )
        self._fill(
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
                (cov.overdue, review_glyph(Review.OVERDUE), GLYPH_STYLES[Review.OVERDUE]),
                (cov.due_soon, review_glyph(Review.DUE_SOON), GLYPH_STYLES[Review.DUE_SOON]),
            )
            for p in ps
        ]
        self._fill("#coverage-reviews", reviews, "✓ no review due")
        longest = max(len(cov.uncovered), len(cov.empty_categories), len(reviews), 1)
        self.styles.height = min(longest, COVERAGE_ROWS) + 2

    def _fill(self, selector: str, options: list[Option], empty: str) -> None:
        panel = self.query_one(selector, OptionList)
        panel.clear_options()
        panel.add_options(options or [Option(Content.styled(empty, "$success"), disabled=True)])
        if options:
            panel.highlighted = 0
