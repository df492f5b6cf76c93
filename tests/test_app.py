"""The app shell driven by Pilot: navigation, palette, help, themes, size, live refresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color as TextualColor
from textual.widgets import DataTable, Input

from roadmap_tui.models import Participant
from roadmap_tui.screens import SCREENS
from roadmap_tui.screens.help import HelpScreen
from roadmap_tui.widgets.navbar import NavTab
from roadmap_tui.widgets.overview_list import OverviewList
from roadmap_tui.widgets.readiness_grid import ReadinessGrid
from roadmap_tui.workspace import Workspace
from support import ACTOR, app_for, make_file, screen_strips, screen_text


async def test_every_screen_is_one_key_away_even_from_a_table(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        for info in [*SCREENS[1:], SCREENS[0], *SCREENS[1:]]:
            await pilot.press(info.key)
            assert app.current_mode == info.mode
            focused = app.screen.focused
            if info.mode != "overview":
                # a list, table or grid has the focus, and the next letter still gets through
                assert focused is not None and not isinstance(focused, Input), focused
            assert info.title in screen_text(app).splitlines()[0]


async def test_a_click_on_a_tab_goes_to_its_screen(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        for info in [*SCREENS[1:], SCREENS[0]]:
            tabs = {tab.mode: tab for tab in app.screen.query(NavTab)}
            assert await pilot.click(tabs[info.mode])
            await pilot.pause()
            assert app.current_mode == info.mode


async def test_overview_shows_ranking_blocked_value_risks_and_decisions(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        state = app.state
        ranked = sorted(
            (r.rank, fid) for fid, r in state.evaluation.features.items() if r.rank is not None
        )
        shown = list(app.screen.query_one("#ranked", OverviewList).keys)
        # at least the top 5; a 40-line terminal has room for 10
        assert len(shown) == 10
        assert shown == [f"features:{fid}" for _, fid in ranked[:10]]
        text = screen_text(app)
        blocked = sum(
            f.expected_uplift
            for f in state.plan.features
            if state.evaluation.features[f.id].readiness.blocked
        )
        assert f"Blocked value: €{blocked / 1e6:.1f}M" in text  # 3 significant digits
        risks = list(app.screen.query_one("#risks", OverviewList).keys)
        open_risks = {r.id for r in state.plan.risks if r.status != "closed"}
        losses = sorted(
            ((rid, a) for rid, a in state.assessments.items() if rid in open_risks),
            key=lambda item: -item[1].expected_loss,
        )
        assert risks == [f"risks:{rid}" for rid, _ in losses[: len(risks)]] and len(risks) >= 3
        decisions = list(app.screen.query_one("#decisions", OverviewList).keys)
        newest = sorted(state.plan.decisions, key=lambda d: (d.date, d.id), reverse=True)
        assert decisions == [f"decisions:{d.id}" for d in newest[:10]]
        assert "02 Nov 09:30 facilitator" in text  # activity: when, who, what


async def test_enter_on_an_overview_row_opens_it_on_its_screen(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        risks = app.screen.query_one("#risks", OverviewList)
        risks.focus()
        await pilot.pause()
        footer = {key.description for key in app.screen.query("FooterKey")}
        assert "Open" in footer, "the footer says what Enter does on a list"
        first = risks.keys[0]
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "risks"
        table = app.screen.query_one("#risks", DataTable)
        assert app.screen.focused is table
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert f"risks:{row_key}" == first


async def test_palette_finds_a_record_by_name_and_jumps_to_it(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"weather feed")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "risks"
        table = app.screen.query_one("#risks", DataTable)
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert key == "weather-feed-lapse"


async def test_palette_switches_screens_and_themes(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"go to policies")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "policies"
        await pilot.press("ctrl+p", *"theme: roadmap-contrast")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "roadmap-contrast"


async def test_help_lists_the_screen_keys_and_this_screens_keys(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        rows = [
            " ".join(c.plain.strip() for c in app.screen.query_one(DataTable).get_row_at(i)).strip()
            for i in range(app.screen.query_one(DataTable).row_count)
        ]
        for info in SCREENS:
            assert any(row.startswith(f"{info.key} {info.title}:") for row in rows), info
        assert any(row.startswith("f1 / ? Help") for row in rows)
        assert "Overview screen" in rows and any(row.startswith("^p") for row in rows)
        assert any(row.startswith("^t Theme") for row in rows)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_theme_cycles_and_is_remembered_per_workspace(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "roadmap-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "roadmap-projector"
    again = app_for(sample_db)
    async with again.run_test(size=(80, 24)):
        assert again.theme == "roadmap-projector"
    chosen = app_for(sample_db, theme="roadmap-contrast")
    async with chosen.run_test(size=(80, 24)):
        assert chosen.theme == "roadmap-contrast"


@pytest.mark.parametrize("size", [(79, 24), (80, 23), (40, 12)])
async def test_below_80x24_a_message_replaces_the_layout(sample_db: Path, size) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.resize_terminal(*size)
        await pilot.pause()
        notice = app.screen.query_one("#too-small")
        assert notice.display and not app.screen.query_one(".screen-body").display
        assert f"this one is {size[0]}×{size[1]}" in screen_text(app)
        await pilot.press("m")
        assert app.screen.query_one("#too-small").display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not app.screen.query_one("#too-small").display
        assert app.screen.query_one(".screen-body").display


@pytest.mark.parametrize("key", ["m", "r", "p", "d"])
async def test_the_focus_comes_back_where_it_was_after_a_too_small_terminal(
    sample_db: Path, key: str
) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        focused = app.screen.focused
        assert focused is not None and not isinstance(focused, Input)  # the list, grid, table
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen.focused is focused
        await pilot.press("o", key)  # away and back: a screen key is a key, not filter text
        await pilot.pause()
        assert app.screen.focused is focused


async def test_another_sessions_change_arrives_without_a_key(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        generation = app.state.generation
        with Workspace.open(sample_db, actor="someone-else") as other:
            other.save(Participant(id="zoe", name="Zoe Visitor"), base=None)
        for _ in range(20):
            await pilot.pause(0.1)
            if app.state.generation != generation:
                break
        await pilot.pause()
        assert "zoe" in [p.id for p in app.state.plan.participants]
        assert "zoe" in app.screen.board.participants  # the Score screen reloaded its board


async def test_no_color_is_respected(sample_db: Path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        assert app.no_color
        background = TextualColor.parse(app.theme_variables["background"])
        colours = set()
        for strip in screen_strips(app):
            segments = list(strip)
            for line_filter in app._filters:  # what the app writes passes these filters
                segments = line_filter.apply(segments, background)
            colours |= {s.style.color for s in segments if s.style and s.style.color}
        assert colours, "nothing was drawn"
        # Only greys remain; every coloured state also has a glyph or a word.
        for colour in colours:
            r, g, b = colour.get_truecolor()
            assert r == g == b, colour


async def test_the_overview_shows_who_else_is_here_and_forgets_the_gone(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        with Workspace.open(sample_db, actor="Bo Visitor") as other:
            session = other.join()
            app.screen._fill_presence()
            await pilot.pause()
            subtitle = str(app.screen.query_one("#activity").border_subtitle)
            assert "also here: Bo Visitor" in subtitle
            generation = app.state.generation
            other.heartbeat(session)  # presence writes do not reload the workspace's data
            await pilot.pause(0.7)
            assert app.state.generation == generation
            other.leave(session)
            app.screen._fill_presence()
            await pilot.pause()
            assert "Bo Visitor" not in str(app.screen.query_one("#activity").border_subtitle)
    with Workspace.open(sample_db, actor="reader") as ws:
        assert ws.present("") == [], "the app left when it closed"


async def test_a_write_by_another_process_shows_within_a_second(sample_db: Path) -> None:
    import subprocess
    import sys
    import time

    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        script = (
            "import sys; from roadmap_tui.workspace import Workspace;"
            "from roadmap_tui.models import Feature;"
            "ws = Workspace.open(sys.argv[1], actor='remote');"
            "ws.save(Feature(id='remote-idea', title='Idea from another terminal'), base=None);"
            "ws.close()"
        )
        subprocess.run([sys.executable, "-c", script, str(sample_db)], check=True, timeout=60)
        written = time.monotonic()
        grid = app.screen.query_one(ReadinessGrid)
        while "remote-idea" not in grid.row_ids and time.monotonic() - written < 5:
            await pilot.pause(0.05)
        elapsed = time.monotonic() - written
        assert "remote-idea" in grid.row_ids
        print(f"another process's write shown after {elapsed:.2f} s")
        assert elapsed < 1.0


async def test_a_network_filesystem_is_warned_about(sample_db: Path, monkeypatch) -> None:
    monkeypatch.setattr("roadmap_tui.app.network_warning", lambda path: "on nfs4: careful")
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert any("on nfs4: careful" in n.message for n in app._notifications)


async def test_page_keys_on_a_list_not_yet_laid_out_do_nothing() -> None:
    # Textual 8.2.8's OptionList indexed its line map before layout (KeyError); see textual_fixes.
    from textual.app import App
    from textual.widgets import OptionList

    import roadmap_tui.textual_fixes  # noqa: F401

    class One(App[None]):
        def compose(self):
            yield OptionList("a", "b", "c")

    app = One()
    async with app.run_test(size=(40, 10)) as pilot:
        options = app.query_one(OptionList)
        options._index_to_line.clear()  # as it is between opening and the first layout
        options.highlighted = 1
        options.action_page_down()
        options.action_page_up()
        await pilot.pause()
        assert app.is_running and options.highlighted == 1


async def test_a_second_dismiss_of_the_same_screen_does_nothing() -> None:
    # Textual 8.2.8 ran the callback again and popped the screen under it; see textual_fixes.
    from textual.app import App
    from textual.screen import ModalScreen
    from textual.widgets import Label

    import roadmap_tui.textual_fixes  # noqa: F401

    class Ask(ModalScreen[str]):
        def compose(self):
            yield Label("?")

    answers: list[str | None] = []

    class Two(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ModalScreen())  # the screen under the one dismissed twice
            self.push_screen(Ask(), answers.append)

    app = Two()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        ask = app.screen
        first, second = ask.dismiss("yes"), ask.dismiss("again")
        await first
        await second  # already complete: nothing to wait for
        await pilot.pause()
        assert answers == ["yes"]
        assert len(app.screen_stack) == 2 and type(app.screen) is ModalScreen


@pytest.mark.timeout(20)  # unpatched, the timer never yields: only the timeout ends it
@pytest.mark.parametrize("delay", [-0.5, 0.0])
async def test_a_timer_whose_time_ran_out_fires_once_at_once(delay: float) -> None:
    # Textual 8.2.8 looped for ever on a negative interval (a toast mounted after its time
    # left ran out), and divided by zero on 0 (a one-shot timer must not skip: late, it is
    # still due); see textual_fixes.
    from textual.app import App

    import roadmap_tui.textual_fixes  # noqa: F401

    fired: list[float] = []
    app = App[None]()
    async with app.run_test(size=(40, 10)) as pilot:
        app.set_timer(delay, lambda: fired.append(delay))
        await pilot.pause(0.1)
        assert fired == [delay] and app.is_running


async def test_the_overview_counts_in_the_singular_for_one(tmp_path: Path) -> None:
    from roadmap_tui.models import Capability, Feature, Plan, Policy, WorkspaceInfo

    path = tmp_path / "one.db"
    plan = Plan(
        workspace=WorkspaceInfo(name="One of each"),
        capabilities=[Capability(id="fs", name="Feature store")],
        features=[Feature(id="a", title="Alpha")],
        policies=[Policy(id="p", title="Rollback")],
    )
    make_file(path, plan)
    async with app_for(path).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(pilot.app)
        for said in ("1 feature ", "1 capability ", "0 risks", "1 policy ", "0 decisions"):
            assert said in text, said
        assert "1 features" not in text and "1 policies" not in text


async def test_an_empty_workspace_says_the_next_step_on_every_screen(tmp_path: Path) -> None:
    from roadmap_tui.models import Plan, WorkspaceInfo

    path = tmp_path / "empty.db"
    Workspace.create(path, Plan(workspace=WorkspaceInfo(name="Empty")), actor=ACTOR).close()
    async with app_for(path).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(pilot.app)
        for step in ("First steps:", "capabilities m, then N", "features     m, then n",
                     "scores       s, then a digit", "no risks yet: r, then n adds one",
                     "no decisions yet: D records one"):  # fmt: skip
            assert step in text, step
        said = {
            "m": ("No features yet: n adds one", "no capabilities yet: N adds one"),
            "r": ("No risks yet: n adds one",),
            "d": ("No decisions yet: D records one",),
        }
        for key, lines in said.items():
            await pilot.press(key)
            await pilot.pause()
            text = screen_text(pilot.app)
            assert all(line in text for line in lines), (key, text)
            assert "matches" not in text and "passes the filters" not in text, key
