"""The Overview's lists: a cursor row moved by keys or the mouse, Enter or a click opens it."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content

from roadmap_tui.widgets.overview_list import OverviewList

ROWS = [(f"kind:{i}", Content(f"row {i}")) for i in range(4)]


class ListApp(App[None]):
    CSS = "OverviewList { border: round $primary; }"  # as on the Overview: rows start at y=1

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    def compose(self) -> ComposeResult:
        yield OverviewList(id="list")

    def on_mount(self) -> None:
        rows = self.query_one(OverviewList)
        rows.set_rows(ROWS, Content("none"))
        rows.focus()

    def on_overview_list_selected(self, event: OverviewList.Selected) -> None:
        self.opened.append(event.key)


async def test_keys_move_the_cursor_within_the_rows_and_enter_opens_it() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        rows = app.query_one(OverviewList)
        await pilot.press("down", "down", "enter")
        assert rows.highlighted == 2 and app.opened == ["kind:2"]
        await pilot.press("end", "down", "enter", "home", "up", "enter")
        assert app.opened == ["kind:2", "kind:3", "kind:0"]


async def test_a_click_opens_the_row_under_it_not_the_border_or_the_space_below() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        rows = app.query_one(OverviewList)
        await pilot.click(OverviewList, offset=(2, 2))
        assert app.opened == ["kind:1"] and rows.highlighted == 1
        await pilot.click(OverviewList, offset=(2, 6))  # below the rows
        await pilot.click(OverviewList, offset=(2, 0))  # the border
        assert app.opened == ["kind:1"]
        await pilot.hover(OverviewList, offset=(2, 1))
        assert rows._hover == 0
        await pilot.hover(OverviewList, offset=(2, 0))
        assert rows._hover is None


async def test_new_rows_keep_the_cursor_row_or_the_last_and_none_have_no_cursor() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        rows = app.query_one(OverviewList)
        await pilot.press("end")
        rows.set_rows(ROWS[:2], Content("none"))
        assert rows.highlighted == 1 and rows.keys == ("kind:0", "kind:1")
        rows.set_rows([], Content("nothing yet"))
        await pilot.press("enter", "down")
        assert rows.highlighted is None and rows.keys == () and app.opened == []
        assert "nothing yet" in str(rows.render())
