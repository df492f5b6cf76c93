"""Keys typed in one burst are handled in the order they were typed (keys_in_order.py).

The keys are posted to the app all at once, as a burst read from a terminal arrives;
Pilot's press waits between keys and would hide the problem.
"""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from roadmap_tui.keys_in_order import KeysInOrder
from support import app_for


class Fields(KeysInOrder, App[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield Input(id="second")


class PlainFields(App[None]):
    compose = Fields.compose


def burst(app: App, keys: str) -> None:
    for key in keys.split():
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def typed(app: App, keys: str) -> tuple[str, str]:
    async with app.run_test() as pilot:
        await pilot.pause()
        burst(app, keys)
        for _ in range(3):
            await pilot.pause()
        return app.query_one("#first", Input).value, app.query_one("#second", Input).value


async def test_a_backspace_in_a_burst_deletes_before_the_next_key_types() -> None:
    assert await typed(Fields(), "a b c backspace x") == ("abx", "")


async def test_keys_after_tab_in_a_burst_go_to_the_next_field() -> None:
    assert await typed(Fields(), "a tab b c") == ("a", "bc")


async def test_a_plain_textual_app_handles_them_out_of_order() -> None:
    # What the mixin is for: if Textual ever keeps the order itself, it can go.
    assert await typed(PlainFields(), "a b c backspace x") != ("abx", "")


async def test_keys_behind_one_that_opens_a_screen_go_to_that_screen(tmp_path) -> None:
    from support import make_empty

    app = app_for(make_empty(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        burst(app, "a C h u r n enter")  # quick add: the title typed right behind `a`
        for _ in range(5):
            await pilot.pause()
        assert [f.title for f in app.state.plan.features] == ["Churn"]


async def test_keys_behind_a_priority_key_that_opens_a_screen_go_to_it(tmp_path) -> None:
    from support import make_empty

    app = app_for(make_empty(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "m N S e r v i n g ctrl+s")  # a screen, a form, its name, saved
        for _ in range(8):
            await pilot.pause()
        assert [c.name for c in app.state.plan.capabilities] == ["Serving"]
        burst(app, "ctrl+p M a p")  # the palette, opened by a priority binding
        for _ in range(5):
            await pilot.pause()
        assert app.screen.query_one("Input").value == "Map"


async def test_keys_behind_enter_in_a_quick_add_go_to_the_screen_under_it(tmp_path) -> None:
    from support import make_empty

    app = app_for(make_empty(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        burst(app, "a C h u r n enter s")  # added, then on to the Score screen
        for _ in range(8):
            await pilot.pause()
        assert [f.title for f in app.state.plan.features] == ["Churn"]
        assert app.current_mode == "score"


async def test_keys_behind_enter_on_the_score_matrix_go_to_the_value_editor(tmp_path) -> None:
    """enter posts a message whose handler shows the editor and gives it the focus: the
    digits behind it are the value, not votes on the matrix."""
    from roadmap_tui.models import Feature, Plan, WorkspaceInfo
    from roadmap_tui.widgets.score_matrix import ScoreMatrix
    from support import make_empty

    seed = Plan(workspace=WorkspaceInfo(name="seed"), features=[Feature(id="f", title="F")])
    app = app_for(make_empty(tmp_path, seed))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        burst(app, "enter 1 2 backspace enter")  # the value 1, typed fast
        for _ in range(5):
            await pilot.pause()
        screen, matrix = app.screen, app.screen.query_one(ScoreMatrix)
        feature, criterion = matrix.current
        assert screen.board.vote_of(feature, criterion, screen.participant) == 1
        assert screen.query_one("#score-editor").has_class("-hidden"), "saved and closed"
        assert screen.focused is matrix


async def test_keys_behind_a_form_saved_with_ctrl_s_go_to_the_screen_under_it(tmp_path) -> None:
    from support import make_empty

    app = app_for(make_empty(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        burst(app, "n C h u r n ctrl+s s")  # the feature form, saved, then the Score screen
        for _ in range(8):
            await pilot.pause()
        assert [f.title for f in app.state.plan.features] == ["Churn"]
        assert app.current_mode == "score"
