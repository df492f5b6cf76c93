"""The command palette: add records, record a decision, export and import, choose the
scoring model, jump to any record by id or name, switch screens, change theme.

What was typed found as it is in an entry ranks before the fuzzy matches, so
"risk" lists "New risk" and the risks named "…risk…" first. Record names are
user text: their hits are built as literal Content, never through the matcher's
markup highlighting (DESIGN.md, "Text is data").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from .host import Hosted
from .safetext import printable
from .screens import KIND_SCREEN, SCREEN_BY_MODE, SCREENS
from .themes import THEME_NAMES

NOUN = {
    "features": "Feature",
    "capabilities": "Capability",
    "criteria": "Criterion",
    "participants": "Participant",
    "risks": "Risk",
    "policies": "Policy",
    "decisions": "Decision",
}


@dataclass(frozen=True)
class Entry:
    text: str  # what the query is matched against (plain, printable)
    help: str  # markup-free help line: ids are slugs, never arbitrary text
    run: Callable[[], object]


class WorkspaceCommands(Hosted, Provider):
    """Screens, app actions and every record of the workspace."""

    def _run(self, action: str) -> Callable[[], object]:
        """The app's action (as a key binding names it), run when the entry is chosen."""
        return partial(self.app.run_action, action)

    def _theme(self, name: str) -> None:
        self.app.theme = name

    def _actions(self) -> list[Entry]:
        run = self._run
        entries = [
            Entry(f"Go to {i.title}", f"key {i.key}: {i.what}", run(f"go({i.mode!r})"))
            for i in SCREENS
        ]
        entries += [
            Entry(f"Theme: {name}", "remembered for this workspace", partial(self._theme, name))
            for name in THEME_NAMES
        ]
        entries += [
            Entry("New feature", "the feature form, on the Map (n there)", run("new('features')")),
            Entry("Quick add feature", "a title alone (a on the Map and Score)",
                  run("quick_add('features')")),
            Entry("New capability", "the capability form, on the Map (N there)",
                  run("new('capabilities')")),
            Entry("New participant", "someone who votes", run("new('participants')")),
            Entry("Participants", "P on Score: who votes, their votes; add, edit, delete",
                  run("participants")),
            Entry("New criterion", "the criterion form, on Score (N there)",
                  run("new('criteria')")),
            Entry("New risk", "the risk form, on Risks (n there)", run("new('risks')")),
            Entry("New policy", "the policy form, on Policies (n there)", run("new('policies')")),
            Entry("Record decision", "D: about what is selected, with today's numbers",
                  run("record_decision")),
            Entry("Scoring model", "weighted, RICE or WSJF (M on Score)",
                  partial(self.roadmap.run_on_screen, "score", "model")),
            Entry("Keys and help", "f1 or ?", run("help")),
            Entry("Export…", "ctrl+e: TOML, decisions only, or Markdown", run("export")),
            Entry("Import…", "ctrl+o: preview, then apply all or nothing", run("import")),
        ]  # fmt: skip
        return entries

    def _records(self) -> list[Entry]:
        plan = self.roadmap.state.plan
        entries = []
        for kind, noun in NOUN.items():
            screen = SCREEN_BY_MODE[KIND_SCREEN[kind]].title
            for record in getattr(plan, kind):
                name = getattr(record, "title", None) or getattr(record, "name", "")
                entries.append(
                    Entry(
                        f"{noun}: {_shortened(printable(name))} ({record.id})",
                        f"on the {screen} screen",
                        partial(self.roadmap.jump, kind, record.id),
                    )
                )
        return entries

    async def discover(self) -> Hits:
        for entry in self._actions():
            yield DiscoveryHit(Content(entry.text), entry.run, text=entry.text, help=entry.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        typed = re.compile(re.escape(query.strip()), re.IGNORECASE) if query.strip() else None
        for entry in [*self._actions(), *self._records()]:
            found = typed.search(entry.text) if typed else None
            score = matcher.match(entry.text)
            if found:  # above every fuzzy score (at most 1), the fuzzy order among them
                content = Content(entry.text).stylize(matcher.match_style, *found.span())
                yield Hit(1 + score, content, entry.run, entry.text, entry.help)
            elif score > 0:
                yield Hit(score, _highlight(matcher, entry.text), entry.run, entry.text, entry.help)


NAME_LIMIT = 80


def _shortened(name: str) -> str:
    # The fuzzy matcher tries every placement of the query's letters: its cost explodes on
    # a pasted 5,000-character title. The palette shows one line anyway.
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…"


def _highlight(matcher, text: str) -> Content:
    # Matcher.highlight parses its input as markup; this stylizes literal Content instead.
    content = Content(text)
    _, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
