"""The policy editor: every field of SPEC section 1, with a capability picker and a Markdown body.

Built on RecordForm, so nothing is saved until the policy validates. Two fields
get their own widget here: applies_to is a checklist of the workspace's
capabilities (space toggles one), and the body is a TextArea that highlights
Markdown (headings, lists, emphasis, code, links) by itself, without
tree-sitter, drawing control characters as pictures like every SafeTextArea.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.widget import Widget

from ..models import Capability, Policy, PolicyCategory, choices
from ..widgets.form import RecordForm, Save
from ..widgets.form_fields import FormField, SafeTextArea
from ..widgets.form_values import Field, Item, Raw


def policy_fields(capabilities: Sequence[Capability]) -> tuple[Item, ...]:
    """The editor's fields; applies_to is a checklist of the workspace's capabilities."""
    options = tuple(
        (c.id, c.name) for c in sorted(capabilities, key=lambda c: (c.name.casefold(), c.id))
    )
    return (
        Field("title", "Title"),
        Field("id", "Id", help="made from the title; a-z, 0-9, . _ -"),
        Field("category", "Category", "choice", choices=choices(PolicyCategory)),
        Field("owner", "Owner"),
        Field("version", "Version", help="e.g. 1.0"),
        Field("review_by", "Review by", "date", help="the next review, or empty"),
        Field("applies_to", "Applies to", "list", help="space toggles", options=options),
        Field("body", "Body", "multiline", help="Markdown"),
    )


# -- body: Markdown, highlighted -----------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_HEADING = re.compile(r"^( {0,3}#{1,6})(?=\s|$)")
_LIST = re.compile(r"^\s*([-*+]|\d{1,9}[.)])(?=\s)")
_QUOTE = re.compile(r"^ {0,3}>.*")
_CODE = re.compile(r"`[^`]+`")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM = re.compile(r"(?<![*_\w])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![*_\w])")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)]*)\)")
_URL = re.compile(r"<?https?://[^\s>)]+>?")


class MarkdownTextArea(SafeTextArea):
    """A SafeTextArea that highlights Markdown line by line (fences need the lines above)."""

    def _styles(self) -> dict[str, Style]:
        theme = self.app.theme_variables

        def color(name: str) -> str:
            return Color.parse(theme[name]).hex6

        return {
            "heading": Style(color=color("primary"), bold=True),
            "marker": Style(color=color("accent"), bold=True),
            "code": Style(color=color("warning")),
            "strong": Style(bold=True),
            "em": Style(italic=True),
            "link": Style(color=color("secondary"), underline=True),
            "quote": Style(italic=True),
        }

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        styles = self._styles()
        plain = line.plain
        earlier = self.document.lines[:line_index]
        in_fence = sum(1 for text in earlier if _FENCE.match(text)) % 2 == 1
        if in_fence or _FENCE.match(plain):
            line.stylize(styles["code"])
            return line
        if heading := _HEADING.match(plain):
            line.stylize(styles["heading"])
            line.stylize(styles["marker"], 0, heading.end())
            return line
        if _QUOTE.match(plain):
            line.stylize(styles["quote"])
        if bullet := _LIST.match(plain):
            line.stylize(styles["marker"], bullet.start(1), bullet.end(1))
        for pattern, name in ((_STRONG, "strong"), (_EM, "em"), (_CODE, "code")):
            for found in pattern.finditer(plain):
                line.stylize(styles[name], found.start(), found.end())
        for pattern in (_LINK, _URL):
            for found in pattern.finditer(plain):
                line.stylize(styles["link"], found.start(), found.end())
        return line


class MarkdownField(FormField):
    """The body: a taller MarkdownTextArea (its height is set in styles/policies.tcss)."""

    def _input(self, spec: Field, raw: Raw) -> Widget:
        return MarkdownTextArea(str(raw), classes="field-input", compact=True, soft_wrap=True)


# -- the form --------------------------------------------------------------------------------------


class PolicyForm(RecordForm[Policy]):
    """RecordForm over policy_fields, with the Markdown body."""

    CSS_PATH = ["../styles/forms.tcss", "../styles/policies.tcss"]

    def __init__(
        self,
        title: str,
        initial: Policy | None,
        on_save: Save[Policy],
        *,
        capabilities: Sequence[Capability],
        current: Callable[[str], Policy | None] | None = None,
        defaults: Mapping[str, object] | None = None,
    ) -> None:
        fields = policy_fields(capabilities)
        super().__init__(
            title, Policy, fields, initial, on_save, current=current, defaults=defaults
        )

    def _field(self, spec: Field) -> FormField:
        field = super()._field(spec)
        if spec.name == "body":
            return MarkdownField(spec, field.initial_raw)
        return field


def policy_form(
    initial: Policy | None,
    on_save: Save[Policy],
    *,
    capabilities: Sequence[Capability],
    current: Callable[[str], Policy | None] | None = None,
    category: str | None = None,
) -> PolicyForm:
    """A form for a new policy (`initial` None, optionally in `category`) or an existing one."""
    title = "New policy" if initial is None else f"Edit policy {initial.id}"
    defaults = {"category": category} if category else {}
    return PolicyForm(
        title, initial, on_save, capabilities=capabilities, current=current, defaults=defaults
    )
