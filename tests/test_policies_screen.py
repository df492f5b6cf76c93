"""The Policies screen: the library by category, the Markdown body (links shown, never
opened), search as you type with highlighted snippets, coverage, and the editor."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Input, OptionList, Select, SelectionList, Static

from roadmap_tui.app import RoadmapApp
from roadmap_tui.models import Capability, Decision, Plan, Policy, WorkspaceInfo
from roadmap_tui.policy import coverage
from roadmap_tui.screens import SCREENS
from roadmap_tui.screens.confirm_delete import ConfirmDelete
from roadmap_tui.screens.policies import PoliciesScreen
from roadmap_tui.screens.policy_form import MarkdownTextArea, PolicyForm
from roadmap_tui.widgets.form import RecordForm
from roadmap_tui.widgets.form_values import field_id
from roadmap_tui.widgets.policy_view import (
    MATCH_STYLE,
    PolicyMarkdown,
    links,
    marked_content,
    review_status,
)
from roadmap_tui.workspace import Marked, Workspace
from support import ACTOR, app_for, make_file, screen_text, stored

TODAY = dt.date(2026, 11, 2)  # the fixed clock's date (support.MOMENT)
LINKY = """## Links

Read [the runbook](https://runbooks.example/rollback) first.
Then [quit now](app.quit) or [click](@click=app.quit) or ![chart](app.bell).

[@click=app.quit]boom[/] and [b]not bold[/b] \x1b[31mred\x07 \x02fake\x03
"""


def small_workspace(folder: Path) -> Path:
    path = folder / "policies.db"
    plan = Plan(
        workspace=WorkspaceInfo(name="Small"),
        capabilities=[
            Capability(id="fs", name="Feature store"),
            Capability(id="serving", name="Online serving"),
            Capability(id="lonely", name="Lonely capability"),
        ],
        policies=[
            Policy(id="rollback", title="Rollback of models", category="rollback",
                   owner="Priya", version="2.0", review_by=dt.date(2026, 10, 1),
                   applies_to=["serving"], body="Roll back **first**, investigate later."),
            Policy(id="lineage", title="Feature lineage", category="feature-lineage",
                   owner="Jonas", review_by=dt.date(2026, 11, 20), applies_to=["fs"],
                   body="Every feature has one definition. Drift is watched."),
            Policy(id="links", title="Links and markup", category="other", owner="Ann",
                   review_by=dt.date(2027, 6, 30), body=LINKY),
        ],
    )  # fmt: skip
    make_file(path, plan)
    return path


async def open_policies(app: RoadmapApp, pilot) -> PoliciesScreen:
    await pilot.press("p")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, PoliciesScreen)
    return screen


def listing(screen: PoliciesScreen) -> OptionList:
    return screen.query_one("#policy-list", OptionList)


def option_ids(options: OptionList) -> list[str]:
    return [options.get_option_at_index(i).id or "" for i in range(options.option_count)]


def head_text(screen: PoliciesScreen) -> str:
    return str(screen.query_one("#policy-head", Static).content)


# -- the library and the selected policy -------------------------------------------------------


async def test_library_is_grouped_by_category_and_shows_the_selected_policy(
    tmp_path: Path,
) -> None:
    app = app_for(small_workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_policies(app, pilot)
        options = listing(screen)
        assert option_ids(options) == [
            "category:feature-lineage", "lineage",
            "category:rollback", "rollback",
            "category:other", "links",
        ]  # fmt: skip
        assert options.get_option_at_index(0).disabled  # headings are not selectable
        assert screen.focused is options and options.highlighted == 1
        assert screen.today == TODAY  # the workspace clock's date
        head = head_text(screen)
        assert "Feature lineage" in head and "feature-lineage · v1.0 · owner Jonas" in head
        assert "◷ review due 2026-11-20 (in 18 days)" in head
        assert "applies to Feature store" in head
        await pilot.press("down")
        await pilot.pause()
        assert screen._selected == "rollback"
        head = head_text(screen)
        assert "⚠ review overdue: due 2026-10-01 (32 days ago)" in head
        assert "applies to Online serving" in head
        text = screen_text(app)
        assert "Rollback of models" in text and "Roll back first, investigate later." in text


async def test_the_body_is_markdown_with_links_listed_and_markup_literal(tmp_path: Path) -> None:
    app = app_for(small_workspace(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_policies(app, pilot)
        screen.select("policies", "links")
        await pilot.pause()
        text = screen_text(app)
        assert "Read the runbook first." in text  # the link text, rendered
        assert "[@click=app.quit]boom[/] and [b]not bold[/b] ␛[31mred␇ ␂fake␃" in text
        assert "↗ the runbook → https://runbooks.example/rollback" in text
        assert "↗ quit now → app.quit" in text
        assert "↗ click → @click=app.quit" in text
        assert "↗ chart → app.bell" in text
        markdown = screen.query_one(PolicyMarkdown)
        assert markdown._open_links is False


async def test_clicking_a_link_or_markup_never_opens_or_runs_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    bells: list[int] = []
    told: list[str] = []
    app = app_for(small_workspace(tmp_path))
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))
    monkeypatch.setattr(app, "tell", lambda message, **kw: told.append(message))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_policies(app, pilot)
        screen.select("policies", "links")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        targets = []
        for word in ("the runbook", "quit now", "click", "chart", "boom"):
            row = next(y for y, line in enumerate(lines) if word in line and "↗" not in line)
            targets.append((cell_len(lines[row][: lines[row].index(word)]) + 1, row))
        for x, y in targets:
            await pilot.click(offset=(x, y))
            await pilot.pause()
            assert app.is_running and app.return_code is None, f"a click at {x},{y} quit"
        assert opened == []
        assert bells == []
        assert len(told) == 4  # one per link and the image; the literal markup is no link
        assert any("https://runbooks.example/rollback" in m and "not opened" in m for m in told)
        assert any(m.startswith("app.quit ") for m in told)
        assert any(m.startswith("@click=app.quit ") for m in told)


async def test_a_link_click_message_is_answered_without_opening(tmp_path: Path) -> None:
    app = app_for(small_workspace(tmp_path))
    opened: list[str] = []
    app.open_url = lambda url, **kw: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_policies(app, pilot)
        markdown = screen.query_one(PolicyMarkdown)
        for href in ("https://evil.example/", "app.quit", "screen.dismiss", "javascript:x"):
            markdown.post_message(markdown.LinkClicked(markdown, href))
            await pilot.pause()
        assert opened == [] and app.is_running


def test_links_lists_every_link_and_image() -> None:
    assert links(LINKY) == [
        ("the runbook", "https://runbooks.example/rollback"),
        ("quit now", "app.quit"),
        ("click", "@click=app.quit"),
        ("chart", "app.bell"),
    ]
    assert links("see https://x.example now") == [("https://x.example", "https://x.example")]
    assert links("no links [here]") == []


# -- search ----------------------------------------------------------------------------------


async def test_search_updates_as_you_type_ranked_like_the_store(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_policies(app, pilot)
        library = option_ids(listing(screen))
        await pilot.press("slash")
        assert screen.focused is screen.query_one("#policy-search", Input)
        await pilot.press("f", "o")
        await pilot.pause()
        after_two = option_ids(listing(screen))
        await pilot.press("r", "e", "c")
        await pilot.pause()
        expected = [hit.id for hit in app.workspace.search_policies("forec")]
        assert expected and option_ids(listing(screen)) == expected != after_two
        assert listing(screen).border_title == "Search results"
        status = str(screen.query_one("#policy-status", Static).content)
        assert status == f"{len(expected)} matches"
        assert screen._selected == expected[0]  # the best hit is shown
        best = next(p for p in app.state.plan.policies if p.id == expected[0])
        assert head_text(screen).startswith(best.title)
        await pilot.press("enter")
        assert screen.focused is listing(screen)
        await pilot.press("enter")  # read the hit's body
        assert screen.focused is screen.query_one("#policy-body")
        await pilot.press("escape")  # back to the hits, the search kept
        assert screen.focused is listing(screen)
        assert option_ids(listing(screen)) == expected
        await pilot.press("escape")  # clears the search: the library is back
        await pilot.pause()
        assert screen.query_one("#policy-search", Input).value == ""
        assert option_ids(listing(screen)) == library


async def test_hits_highlight_matches_and_control_text_cannot_fake_one(tmp_path: Path) -> None:
    app = app_for(small_workspace(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_policies(app, pilot)
        screen.query_one("#policy-search", Input).value = "fake "
        await pilot.pause()
        assert option_ids(listing(screen)) == ["links"]
        prompt = listing(screen).get_option_at_index(0).prompt
        assert isinstance(prompt, Content)
        highlighted = [
            prompt.plain[s.start : s.end] for s in prompt.spans if MATCH_STYLE in str(s.style)
        ]
        assert highlighted == ["fake"]
        assert "␂fake␃" in prompt.plain and "\x02" not in prompt.plain


def test_marked_content_styles_only_the_matched_runs() -> None:
    marked = Marked((("## Rules\n- a \x02b\x03 ", False), ("drift", True), ("\nend", False)))
    content = marked_content(marked, lead=40)
    assert content.plain == "Rules a ␂b␃ drift end"
    styled = [content.plain[s.start : s.end] for s in content.spans if MATCH_STYLE in str(s.style)]
    assert styled == ["drift"]
    long = Marked((("word " * 20, False), ("needle", True)))
    assert marked_content(long, lead=12).plain == "… word word needle"
    assert marked_content(long).plain.startswith("word word")  # titles keep their start


HOSTILE_TYPED = ['"', '"unbalanced', "*", "-", "NEAR(", "AND", "OR", "(((", "a) OR (b",
                 "col:thing", "^", "🚀", "x" * 5000, "drift " * 900, "\x00\x1b[2J\x07\x9b",
                 "[@click=app.quit]q[/]", "[b]", "$accent"]  # fmt: skip


async def test_hostile_queries_in_the_box_give_results_or_a_message(tmp_path: Path) -> None:
    app = app_for(small_workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_policies(app, pilot)
        search = screen.query_one("#policy-search", Input)
        for query in HOSTILE_TYPED:
            search.value = query
            await pilot.pause()
            assert app.is_running and app.return_code is None, query
            status = str(screen.query_one("#policy-status", Static).content)
            assert status, query
            assert "\n" not in status and not any(ord(c) < 32 for c in status)
            if query in ("*", "-", "(((", "^", "🚀", '"'):
                assert status.startswith("nothing to search for"), status
            if query.startswith("drift drift"):
                assert status.startswith("too many words"), status
        search.value = "drift"
        await pilot.pause()
        assert option_ids(listing(screen)) == ["lineage"]


async def test_typing_a_screen_key_in_the_search_box_stays_there(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_policies(app, pilot)
        await pilot.press("slash", *"dposmr", "space", *"necX")
        await pilot.pause()
        assert app.screen is screen and app.current_mode == "policies"
        assert screen.query_one("#policy-search", Input).value == "dposmr necX"


# -- coverage and review dates ---------------------------------------------------------------


def test_coverage_of_a_plan() -> None:
    plan = Plan(
        workspace=WorkspaceInfo(name="C"),
        capabilities=[Capability(id="b", name="Beta"), Capability(id="a", name="alpha"),
                      Capability(id="c", name="Covered")],
        policies=[
            Policy(id="p1", title="One", category="privacy", applies_to=["c"],
                   review_by=dt.date(2026, 11, 1)),
            Policy(id="p2", title="Two", category="privacy", review_by=dt.date(2026, 11, 2)),
            Policy(id="p3", title="Three", category="rollback", review_by=dt.date(2026, 12, 2)),
            Policy(id="p4", title="Four", category="rollback", review_by=dt.date(2026, 12, 3)),
            Policy(id="p0", title="Zero", category="rollback", review_by=dt.date(2025, 1, 1)),
            Policy(id="p5", title="Five", category="fairness"),
        ],
    )  # fmt: skip
    cov = coverage(plan, TODAY)
    assert [c.id for c in cov.uncovered] == ["a", "b"]  # by name, case-insensitively
    assert cov.empty_categories == [
        "data-provenance", "feature-lineage", "model-versioning", "access-control",
        "monitoring", "incident-response", "other",
    ]  # fmt: skip
    assert [p.id for p in cov.overdue] == ["p0", "p1"]  # most overdue first
    assert [p.id for p in cov.due_soon] == ["p2", "p3"]  # today up to 30 days ahead


@pytest.mark.parametrize(
    ("due", "said"),
    [
        (None, "no review date"),
        (dt.date(2026, 11, 1), "⚠ review overdue: due 2026-11-01 (1 day ago)"),
        (dt.date(2026, 11, 2), "◷ review due today (2026-11-02)"),
        (dt.date(2026, 12, 2), "◷ review due 2026-12-02 (in 30 days)"),
        (dt.date(2026, 12, 3), "✓ review by 2026-12-03 (in 31 days)"),
    ],
)
def test_review_status(due: dt.date | None, said: str) -> None:
    assert review_status(Policy(id="p", title="P", review_by=due), TODAY)[0] == said


async def test_coverage_panel_lists_gaps_and_toggles(tmp_path: Path) -> None:
    app = app_for(small_workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_policies(app, pilot)
        panel = screen.query_one("#policy-coverage")
        assert not panel.display  # 24 lines: hidden until asked for
        status = str(screen.query_one("#policy-status", Static).content)
        assert status == "⚠ 1 overdue · no policy: 1 capability, 7 categories"
        await pilot.press("c")
        await pilot.pause()
        assert panel.display
        assert option_ids(screen.query_one("#coverage-capabilities", OptionList)) == ["lonely"]
        categories = option_ids(screen.query_one("#coverage-categories", OptionList))
        assert "category:privacy" in categories and "category:rollback" not in categories
        assert option_ids(screen.query_one("#coverage-reviews", OptionList)) == [
            "rollback", "lineage"
        ]  # fmt: skip
        await pilot.press("c")
        await pilot.pause()
        assert not panel.display


async def test_coverage_is_shown_when_there_is_room(tmp_path: Path) -> None:
    app = app_for(small_workspace(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_policies(app, pilot)
        assert screen.query_one("#policy-coverage").display


async def test_today_can_be_pinned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PoliciesScreen, "TODAY", dt.date(2027, 1, 1))
    app = app_for(small_workspace(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_policies(app, pilot)
        assert screen.today == dt.date(2027, 1, 1)
        assert option_ids(screen.query_one("#coverage-reviews", OptionList)) == [
            "rollback", "lineage"
        ]  # fmt: skip
        assert "⚠ review overdue: due 2026-11-20 (42 days ago)" in head_text(screen)


async def test_coverage_entries_lead_somewhere(tmp_path: Path) -> None:
    app = app_for(small_workspace(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_policies(app, pilot)
        reviews = screen.query_one("#coverage-reviews", OptionList)
        reviews.focus()
        await pilot.press("enter")  # the first overdue review: rollback
        await pilot.pause()
        assert screen._selected == "rollback" and screen.focused is listing(screen)
        categories = screen.query_one("#coverage-categories", OptionList)
        categories.focus()
        categories.highlighted = option_ids(categories).index("category:privacy")
        await pilot.press("enter")  # a new policy in the empty category
        await pilot.pause()
        assert isinstance(app.screen, PolicyForm)
        category = app.screen.query_one(f"#{field_id('category')}").query_one(Select)
        assert category.value == "privacy"
        await pilot.press("escape")
        await pilot.pause()
        capabilities = screen.query_one("#coverage-capabilities", OptionList)
        capabilities.focus()
        await pilot.press("enter")  # the uncovered capability, on the Map
        await pilot.pause()
        assert app.current_mode == "map"


# -- the editor ----------------------------------------------------------------------------------


def form_input(app: RoadmapApp, name: str) -> Input:
    return app.screen.query_one(f"#{field_id(name)}").query_one(".field-input", Input)


def field_error(app: RoadmapApp, name: str) -> str:
    return str(app.screen.query_one(f"#{field_id(name)}").query_one(".field-error").content)


async def test_new_policy_is_saved_only_when_valid_then_selected_and_searchable(
    tmp_path: Path,
) -> None:
    path = small_workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_policies(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PolicyForm)
        form_input(app, "id").value = "privacy-rules"
        form_input(app, "title").value = "Privacy rules for quokkas"
        form.query_one(f"#{field_id('category')}").query_one(Select).value = "privacy"
        form_input(app, "review_by").value = "next spring"
        body = form.query_one(MarkdownTextArea)
        body.text = "## Scope\n\nEvery **quokka** is pseudonymised."
        picker = form.query_one(SelectionList)
        picker.select("fs")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "must be a date like 2027-03-31" in field_error(app, "review_by")
        assert [p.id for p in stored(path).policies] == ["lineage", "links", "rollback"]
        form_input(app, "review_by").value = "2027-05-31"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        saved = next(p for p in stored(path).policies if p.id == "privacy-rules")
        assert saved == Policy(
            id="privacy-rules", title="Privacy rules for quokkas", category="privacy",
            review_by=dt.date(2027, 5, 31), applies_to=["fs"],
            body="## Scope\n\nEvery **quokka** is pseudonymised.",
        )  # fmt: skip
        assert screen._selected == "privacy-rules"
        assert "category:privacy" in option_ids(listing(screen))
        await pilot.press("slash", *"quokk")
        await pilot.pause()
        assert option_ids(listing(screen)) == ["privacy-rules"]


async def test_edit_toggles_capabilities_and_keeps_what_was_not_touched(tmp_path: Path) -> None:
    path = small_workspace(tmp_path)
    with Workspace.open(path, actor=ACTOR) as ws:
        policy = ws.get("policies", "lineage")
        assert isinstance(policy, Policy)
        ws.save(
            policy.model_copy(update={"applies_to": ["serving", "fs"]}), base=policy
        )  # unsorted
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_policies(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PolicyForm)
        picker = form.query_one(SelectionList)
        assert set(picker.selected) == {"fs", "serving"}
        form_input(app, "owner").value = "Jonas Weber"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = next(p for p in stored(path).policies if p.id == "lineage")
        assert saved.owner == "Jonas Weber" and saved.applies_to == ["serving", "fs"]
        await pilot.press("e")
        await pilot.pause()
        picker = app.screen.query_one(SelectionList)
        picker.focus()
        picker.highlighted = [picker.get_option_at_index(i).value
                              for i in range(picker.option_count)].index("lonely")  # fmt: skip
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = next(p for p in stored(path).policies if p.id == "lineage")
        assert saved.applies_to == ["fs", "lonely", "serving"]  # in the picker's (name) order
        assert "applies to Feature store, Lonely capability, Online serving" in head_text(
            app.screen  # type: ignore[arg-type]
        )


async def test_the_body_editor_highlights_markdown_and_draws_controls_safely(
    tmp_path: Path,
) -> None:
    app = app_for(small_workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_policies(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        body = app.screen.query_one(MarkdownTextArea)
        body.text = "## Head\n- item **bold** `code` [l](u)\n```\n# not a heading\n```\nx\x1by"
        heading, item, _, fenced, _, control = (body.get_line(i) for i in range(6))
        assert heading.spans and any(s.style.bold for s in heading.spans)  # type: ignore[union-attr]
        styled = {item.plain[s.start : s.end] for s in item.spans}
        assert {"-", "**bold**", "`code`", "[l](u)"} <= styled
        assert fenced.spans and not any(s.style.bold for s in fenced.spans)  # type: ignore[union-attr]
        assert control.plain == "x␛y"


async def test_cancel_keeps_the_store_unchanged(tmp_path: Path) -> None:
    path = small_workspace(tmp_path)
    before = stored(path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_policies(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        form_input(app, "title").value = "Changed"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, PoliciesScreen)
    assert stored(path) == before


async def test_delete_asks_then_removes_from_library_and_search(tmp_path: Path) -> None:
    path = small_workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_policies(app, pilot)
        await pilot.press("X")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete) and app.screen.record_id == "lineage"
        await pilot.press("n")
        await pilot.pause()
        assert "lineage" in [p.id for p in stored(path).policies]
        await pilot.press("X", "y")
        await pilot.pause()
        assert "lineage" not in [p.id for p in stored(path).policies]
        assert "lineage" not in option_ids(listing(screen))
        assert app.workspace.search_policies("drift") == []


async def test_a_policy_a_decision_names_cannot_be_deleted(tmp_path: Path) -> None:
    path = small_workspace(tmp_path)
    with Workspace.open(path, actor=ACTOR) as ws:
        ws.save(
            Decision(id="d1", title="D", date=TODAY, outcome="approved", policies=["lineage"]),
            base=None,
        )
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_policies(app, pilot)
        await pilot.press("X")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete) and app.screen.refused
        await pilot.press("y")
        await pilot.pause()
    assert "lineage" in [p.id for p in stored(path).policies]


# -- moving around ---------------------------------------------------------------------------


async def test_enter_reads_the_body_and_escape_comes_back(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_policies(app, pilot)
        await pilot.press("enter")
        assert screen.focused is screen.query_one("#policy-body")
        await pilot.press("down", "pagedown")
        await pilot.pause()
        assert screen.query_one("#policy-body").scroll_y > 0
        await pilot.press("escape")
        assert screen.focused is listing(screen)


async def test_palette_jump_selects_the_policy(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"rollback-forecasts")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "policies"
        screen = app.screen
        assert isinstance(screen, PoliciesScreen) and screen._selected == "rollback-forecasts"
        options = listing(screen)
        assert options.get_option_at_index(options.highlighted or 0).id == "rollback-forecasts"


async def test_another_sessions_edit_reaches_the_list_and_the_search(tmp_path: Path) -> None:
    path = small_workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_policies(app, pilot)
        screen.query_one("#policy-search", Input).value = "wombat"
        await pilot.pause()
        assert "wombats" not in option_ids(listing(screen))
        assert str(screen.query_one("#policy-status", Static).content) == "no match"
        with Workspace.open(path, actor="other") as other:
            other.save(Policy(id="wombats", title="Wombat handling", category="privacy"), base=None)
        for _ in range(40):  # the app polls PRAGMA data_version every half second
            await pilot.pause(0.05)
            if "wombats" in option_ids(listing(screen)):
                break
        assert option_ids(listing(screen)) == ["wombats"]


def test_keys_do_not_clash_and_say_what_they_do() -> None:
    global_keys = {"ctrl+p", "ctrl+q"}
    for binding in RoadmapApp.BINDINGS:
        global_keys.update(binding.key.split(","))  # type: ignore[union-attr]
    assert {info.key for info in SCREENS} | {"f1", "question_mark", "ctrl+t"} <= global_keys
    keys = set()
    for binding in PoliciesScreen.BINDINGS:
        assert binding.description and binding.tooltip, binding  # type: ignore[union-attr]
        keys.update(binding.key.split(","))  # type: ignore[union-attr]
    assert not keys & global_keys


async def test_a_decision_recorded_here_is_about_the_selected_policy(tmp_path: Path) -> None:
    app = app_for(small_workspace(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_policies(app, pilot)
        assert screen.selection() == {"policies": ["lineage"]}
        await pilot.press("D")  # the app's key: record a decision about what is selected
        await pilot.pause()
        assert isinstance(app.screen, RecordForm) and app.screen.model is Decision
        assert app.screen.defaults["policies"] == ["lineage"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        screen.query_one("#coverage-capabilities", OptionList).focus()
        await pilot.pause()
        assert screen.selection() == {"capabilities": ["lonely"]}
        screen.query_one("#policy-search", Input).value = "*"
        await pilot.pause()
        listing(screen).focus()
        await pilot.pause()
        assert screen.selection() == {}  # nothing found, nothing selected
