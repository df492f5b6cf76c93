"""The help screen (f1): every key of the screen under it, readable at 80×24."""

from __future__ import annotations

from itertools import takewhile
from pathlib import Path

from textual.widgets import DataTable

from roadmap_tui.screens.help import HelpScreen
from support import app_for, screen_lines


def rows(table: DataTable) -> list[tuple[str, str]]:
    return [
        tuple(c.plain.strip() for c in table.get_row_at(i))  # type: ignore[misc]
        for i in range(table.row_count)
    ]


async def test_one_key_range_is_one_short_line_and_end_keeps_the_keys_in_view(
    sample_db: Path,
) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        keys = dict(rows(table))
        assert keys.get("0-9", "").startswith("Vote"), "ten digits, one key label"
        assert "+ / =" in keys
        # a long description wraps onto the next lines, whole
        listed = rows(table)
        at = listed.index(("0-9", keys["0-9"]))
        more = takewhile(lambda row: not row[0], listed[at + 1 :])
        wrapped = " ".join([listed[at][1], *(what for _, what in more)])
        assert wrapped == "Vote: Score the cell as the current participant"
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1
        lines = screen_lines(app)
        assert any(rows(table)[-1][1][:20] in line for line in lines), "the last line in view"
        # every description wraps beside the keys: nothing is out of sight to the right
        assert table.max_scroll_x == 0
        first_section = rows(table)[0][1]
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0
        assert any(first_section in line for line in screen_lines(app))


async def test_the_score_help_says_what_every_abbreviation_means(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "f1", "end")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "What the abbreviations mean" in text
        for short in ("Δ", "#", "score", "2 miss", "◆", "·"):
            assert any(keys == short for keys, _ in rows(app.screen.query_one(DataTable)))
        assert "incomplete: two criteria still have no value" in text
