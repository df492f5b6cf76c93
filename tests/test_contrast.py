"""Readable colours in every theme, in truecolor and at 256 colours (over SSH), without SSH.

tests/test_ssh.py found these over a real SSH session (TERM=xterm-256color, no
COLORTERM): panel subtitles drawn in the border colour, the score matrix's
cursor digit in its normal colour on the cursor, the current tab's key letter
orange on blue, borders and unticked boxes black on black, pale placeholders.
Here the app runs headless in each theme and the same parts are read back from
what it draws (each cell's colours as Textual composes them), then checked
against WCAG 2: 4.5:1 for text, 3:1 for borders and boxes (1.4.11); both in
truecolor and after Rich reduces the colours to the xterm palette
(rich.color.Color.downgrade to EIGHT_BIT), which is what a terminal over SSH gets.
A ticked box must differ from an unticked one by its ✓, also under NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.color import Color as RichColor
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.content import Content
from textual.errors import NoWidget
from textual.filter import Monochrome
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, SelectionList

from contrast import MIN_TEXT, MIN_UI, contrasts, eight_bit
from roadmap_tui.screens import SCREENS
from roadmap_tui.themes import THEME_NAMES
from roadmap_tui.widgets.form import ConfirmDiscard
from roadmap_tui.widgets.heat_map import HeatMap
from roadmap_tui.widgets.navbar import NavTab
from roadmap_tui.widgets.readiness_grid import ReadinessGrid
from roadmap_tui.widgets.score_matrix import ScoreMatrix
from support import app_for, make_sample, screen_strips

RGB = tuple[int, int, int]
SIZE = (120, 40)


# -- the theme's colours ------------------------------------------------------------------------

# (foreground, background, minimum): pairs of theme variables that the screens draw.
VARIABLE_PAIRS = [
    ("text-muted", "background", MIN_TEXT),  # panel subtitles, help text
    ("text-muted", "surface", MIN_TEXT),
    ("text-muted", "panel", MIN_TEXT),
    ("text-disabled", "surface", MIN_TEXT),  # placeholders ("/ filter", "search policies")
    ("text-disabled", "panel", MIN_TEXT),
    ("block-cursor-foreground", "block-cursor-background", MIN_TEXT),  # a cell under the cursor
    ("accent", "panel", MIN_TEXT),  # the nav bar's key letters
    ("accent", "nav-current", MIN_TEXT),  # ... and the current tab's
    ("auto 90%", "nav-current", MIN_TEXT),  # ... and its title
    ("panel-border", "background", MIN_UI),  # a panel without the focus
    ("panel-border", "surface", MIN_UI),
    ("check-box", "surface", MIN_UI),  # an unticked box in a form's list
    ("check-box", "panel", MIN_UI),
    ("success", "surface", MIN_UI),  # a ticked box
    ("success", "panel", MIN_UI),
    ("background", "success", MIN_UI),  # its X
    ("check-box-cursor", "block-cursor-background", MIN_UI),  # a box on the cursor row
    ("block-cursor-background", "check-box-cursor", MIN_UI),  # its X
]


def resolve(value: str, under: Color) -> Color:
    """A theme variable's colour as drawn on `under`: 'auto 87%' and '#rrggbb 30%' blended."""
    name, _, percent = value.partition(" ")
    alpha = float(percent.rstrip("%")) / 100 if percent else 1.0
    color = under.get_contrast_text(1.0) if name == "auto" else Color.parse(name)
    return under + color.multiply_alpha(alpha)


def rgb(color: Color | RichColor) -> RGB:
    if isinstance(color, RichColor):
        return color.get_truecolor()
    return color.rgb


@pytest.mark.parametrize("theme", THEME_NAMES)
async def test_theme_colours(tmp_path: Path, theme: str) -> None:
    app = app_for(make_sample(tmp_path), theme=theme)
    async with app.run_test(size=SIZE):
        variables = app.theme_variables
    background = Color.parse(variables["background"])
    failures = []
    for fg_name, bg_name, minimum in VARIABLE_PAIRS:
        bg = resolve(variables[bg_name], background)
        fg = resolve(variables.get(fg_name, fg_name), bg)
        true, eight = contrasts(rgb(fg), rgb(bg))
        if min(true, eight) < minimum:
            failures.append(
                f"${fg_name} {fg.hex} on ${bg_name} {bg.hex}: "
                f"{true:.2f} (truecolor), {eight:.2f} (256 colours) < {minimum}"
            )
    assert not failures, f"{theme}:\n" + "\n".join(failures)


# -- what the app draws -------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    char: str
    fg: RGB | None  # None: the terminal's default colour
    bg: RGB | None
    style: Style

    @property
    def visible(self) -> bool:
        return bool(self.char.strip())

    @property
    def colors(self) -> tuple[RGB, RGB]:
        assert self.fg and self.bg, f"{self.char!r} in the terminal's default colour"
        return self.fg, self.bg


def drawn(app: App, *, no_color: bool = False) -> list[list[Cell]]:
    """The screen as the app draws it, a Cell per column, reverse video applied.

    With no_color, through the filter Textual applies under NO_COLOR (greys only).
    """
    rows = []
    background = Color.parse(app.theme_variables["background"])
    for strip in screen_strips(app):
        segments = list(strip)
        if no_color:
            segments = Monochrome().apply(segments, background)
        row = []
        for segment in segments:
            style = segment.style or Style()
            fg, bg = (style.bgcolor, style.color) if style.reverse else (style.color, style.bgcolor)
            fg, bg = fg and rgb(fg), bg and rgb(bg)
            for char in segment.text:
                row.append(Cell(char, fg, bg, style))
                if cell_len(char) == 2:
                    row.append(Cell("", fg, bg, style))
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Pair:
    where: str
    text: str
    fg: RGB
    bg: RGB
    minimum: float

    def failure(self) -> str | None:
        true, eight = contrasts(self.fg, self.bg)
        if min(true, eight) >= self.minimum:
            return None
        return (
            f"{self.where}: {self.text!r} #{bytes(self.fg).hex()} on #{bytes(self.bg).hex()}: "
            f"{true:.2f} (truecolor), {eight:.2f} (256 colours) < {self.minimum}"
        )


def pairs(where: str, cells: list[Cell], minimum: float) -> Iterator[Pair]:
    """One Pair per colour pair among the visible characters of `cells`."""
    seen: dict[tuple[RGB, RGB], str] = {}
    for cell in cells:
        if cell.visible:
            assert cell.fg and cell.bg, f"{where}: {cell.char!r} in the terminal's default colour"
            seen[cell.fg, cell.bg] = seen.get((cell.fg, cell.bg), "") + cell.char
    for (fg, bg), text in seen.items():
        yield Pair(where, text, fg, bg, minimum)


def shown(widget: Widget) -> Region | None:
    """The part of the widget on screen (not scrolled away in its container), if any."""
    try:
        region = widget.screen.find_widget(widget).visible_region
    except NoWidget:
        return None
    return region if region.area else None


def find(row: list[Cell], text: str, start: int, end: int) -> list[Cell]:
    """The cells of `text` (or of its start, when it was cut short) in row[start:end]."""
    line = "".join(cell.char or "\0" for cell in row[start:end])
    needle = text.strip()[:8]
    at = line.find(needle)
    assert at >= 0, f"{needle!r} not found in {line!r}"
    return row[start + at : min(start + at + len(text.strip()), end - 1)]


def label_text(label: object) -> str:
    # A border title set as Content reads back as its markup.
    return label.plain if isinstance(label, Content) else Content.from_markup(str(label)).plain


def border_labels(screen: Screen, cells: list[list[Cell]], where: str) -> Iterator[Pair]:
    """Every panel's or box's border (3:1) and its title and subtitle (4.5:1)."""
    for widget in screen.query("*"):
        region = widget.region
        title, subtitle = widget.border_title, widget.border_subtitle
        if shown(widget) != region or not (title or subtitle) or not widget.styles.border_top[0]:
            continue  # (a panel scrolled partly out of sight is not checked)
        name = f"{where}: {widget.__class__.__name__}#{widget.id or ''}"
        top, bottom = cells[region.y], cells[region.bottom - 1]
        yield from pairs(f"{name} border", [top[region.x], bottom[region.right - 1]], MIN_UI)
        for label, row, part in ((title, top, "title"), (subtitle, bottom, "subtitle")):
            if label:
                text = label_text(label)
                found = find(row, text, region.x, region.right)
                yield from pairs(f"{name} {part}", found, MIN_TEXT)


def nav_tabs(screen: Screen, cells: list[list[Cell]], where: str) -> Iterator[Pair]:
    """The tabs' text; and the current tab must stand apart from the others at 256 colours."""
    backgrounds: dict[bool, set[int]] = {True: set(), False: set()}
    for tab in screen.query(NavTab):
        region = shown(tab)
        if region is not None:
            current = tab.has_class("-active")
            row = cells[region.y][region.x : region.right]
            backgrounds[current] |= {eight_bit(cell.bg) for cell in row if cell.bg}
            yield from pairs(f"{where}: nav tab{' (the current screen)' * current}", row, MIN_TEXT)
    assert len(backgrounds[True]) == 1, f"{where}: the current tab in {backgrounds[True]}"
    assert not backgrounds[True] & backgrounds[False], f"{where}: current tab not told apart"


def placeholders(screen: Screen, cells: list[list[Cell]], where: str) -> Iterator[Pair]:
    for field in screen.query(Input):
        region = shown(field)
        if region is not None and field.placeholder and not field.value:
            found = find(cells[region.y], field.placeholder, region.x, region.right + 1)
            yield from pairs(f"{where}: placeholder of #{field.id}", found, MIN_TEXT)
    for select in screen.query(Select):  # its prompt ("status", "any band") when not chosen
        region = shown(select)
        if region is not None and select.is_blank():
            found = find(cells[region.y], str(select.prompt), region.x, region.right + 1)
            yield from pairs(f"{where}: prompt of #{select.id}", found, MIN_TEXT)


def cursor_cells(grid: ScoreMatrix | ReadinessGrid, cells: list[list[Cell]]) -> list[Cell]:
    """The cells drawn in the cursor's background: the focused grid's current cell."""
    name = "score-matrix--cursor" if isinstance(grid, ScoreMatrix) else "readiness-grid--cursor"
    cursor = rgb(grid.get_component_rich_style(name).bgcolor)
    region = grid.region
    found = [
        cell
        for row in cells[region.y : region.bottom]
        for cell in row[region.x : region.right]
        if cell.bg == cursor and cell.visible
    ]
    assert found, f"no cursor drawn in {grid.__class__.__name__}"
    return found


def check(found: list[Pair]) -> None:
    failures = [failure for pair in found if (failure := pair.failure()) is not None]
    assert not failures, f"{len(failures)} unreadable:\n" + "\n".join(failures)


async def visit(pilot, key: str) -> Screen:
    await pilot.press(key)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen


# -- the screens --------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", THEME_NAMES)
async def test_screens_read_well(tmp_path: Path, theme: str) -> None:
    """Borders, titles, subtitles, the nav bar and placeholders, on every screen."""
    app = app_for(make_sample(tmp_path), theme=theme)
    found: list[Pair] = []
    subtitles = 0
    async with app.run_test(size=SIZE) as pilot:
        for info in SCREENS:
            screen = await visit(pilot, info.key)
            cells, where = drawn(app), f"{theme}, {info.title}"
            found += border_labels(screen, cells, where)
            found += nav_tabs(screen, cells, where)
            found += placeholders(screen, cells, where)
            subtitles += sum(1 for w in screen.query("*") if w.border_subtitle and shown(w))
        # The dialogs: help, activity, export, and the Score screen's model picker.
        dialogs = {"Help": ["f1"], "Activity": ["A"], "Export": ["ctrl+e"], "Model": ["s", "M"]}
        for title, keys in dialogs.items():
            for key in keys:
                screen = await visit(pilot, key)
            found += border_labels(screen, drawn(app), f"{theme}, {title}")
            await visit(pilot, "escape")
    assert subtitles >= 3, "expected the Overview's and the Risks' subtitles"
    assert any("(the current screen)" in pair.where for pair in found)
    assert any("placeholder" in pair.where for pair in found)
    assert any("prompt" in pair.where for pair in found)
    checked = {title for title in dialogs if any(f", {title}:" in p.where for p in found)}
    assert checked == set(dialogs), f"no box found in {set(dialogs) - checked}"
    check(found)


@pytest.mark.parametrize("theme", THEME_NAMES)
async def test_cursors_read_well(tmp_path: Path, theme: str) -> None:
    """The cell under the cursor: Map grid, Score matrix (plain, contested, mine), heat map."""
    app = app_for(make_sample(tmp_path), theme=theme)
    found: list[Pair] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = await visit(pilot, "m")
        grid = screen.query_one(ReadinessGrid)
        grid.focus()
        await pilot.pause()
        found += pairs(f"{theme}, Map: grid cursor", cursor_cells(grid, drawn(app)), MIN_TEXT)

        screen = await visit(pilot, "s")
        matrix = screen.query_one(ScoreMatrix)
        matrix.focus()
        await visit(pilot, "v")  # a participant: their own votes are underlined ("mine")
        seen: dict[str, list[Cell]] = {}
        for row, feature in enumerate(matrix.row_ids):
            for col, cell in enumerate(screen.matrix_row(feature).cells):
                if cell is None:
                    continue
                kind = "contested" if cell.contested else "mine" if cell.mine else "plain"
                if kind in seen:
                    continue
                matrix.cursor = (col, row)
                await pilot.pause()
                seen[kind] = cursor_cells(matrix, drawn(app))
                found += pairs(f"{theme}, Score: cursor on a {kind} cell", seen[kind], MIN_TEXT)
        assert set(seen) == {"contested", "mine", "plain"}, f"sample lacks cells: {set(seen)}"
        # Under the cursor a contested value keeps its ◆ and the participant's own its underline.
        assert "◆" in "".join(cell.char for cell in seen["contested"])
        assert all(cell.style.underline for cell in seen["mine"])
        assert not any(cell.style.underline for cell in seen["plain"])

        screen = await visit(pilot, "r")
        heat_map = screen.query_one(HeatMap)
        heat_map.focus()
        await pilot.pause()
        region = heat_map.region
        cursor = [
            cell
            for row in drawn(app)[region.y : region.bottom]
            for cell in row[region.x : region.right]
            if cell.style.reverse and cell.visible
        ]
        assert cursor, "no heat map cursor drawn"
        found += pairs(f"{theme}, Risks: heat map cursor", cursor, MIN_TEXT)
    check(found)


@dataclass(frozen=True)
class Box:
    """A checklist item's or a checkbox's box as drawn: ▐X▌ (the sides in the box's colour)."""

    name: str  # "ticked box on the cursor", "unticked checkbox", ...
    side: Cell
    mark: Cell

    @property
    def ticked(self) -> bool:
        return self.name.startswith("ticked")


def boxes(screen: Screen, cells: list[list[Cell]]) -> Iterator[Box]:
    for picker in screen.query(SelectionList):
        visible = shown(picker)
        if visible is None:
            continue
        x = picker.region.x
        for y in range(visible.y, visible.bottom):
            line = cells[y][x : x + 3]
            if "".join(cell.char for cell in line) not in ("▐✓▌", "▐ ▌"):
                continue
            index = picker.scroll_offset.y + y - picker.region.y
            value = picker.get_option_at_index(index).value
            ticked = "ticked" if value in picker.selected else "unticked"
            cursor = " on the cursor" if picker.has_focus and picker.highlighted == index else ""
            yield Box(f"{ticked} box{cursor}", line[0], line[1])
    for checkbox in screen.query(Checkbox):
        visible = shown(checkbox)
        if visible is not None and visible.y == checkbox.region.y:
            line = cells[visible.y][visible.x : visible.x + 3]
            assert "".join(cell.char for cell in line) in ("▐✓▌", "▐ ▌")
            yield Box(f"{'ticked' if checkbox.value else 'unticked'} checkbox", line[0], line[1])


def check_boxes(app: App, where: str, seen: set[str]) -> list[Pair]:
    """Each box stands out (3:1); a ticked one shows its ✓ (3:1), an unticked one none.

    Also under NO_COLOR, where only greys are left: the ✓ must still tell them apart.
    """
    found: list[Pair] = []
    for no_color in (False, True):
        place = f"{where}{' (NO_COLOR)' if no_color else ''}"
        for box in boxes(app.screen, drawn(app, no_color=no_color)):
            seen.add(box.name)
            found.append(Pair(f"{place}: {box.name}", "▐", *box.side.colors, MIN_UI))
            if box.ticked:
                found.append(Pair(f"{place}: the ✓ of a {box.name}", "✓", *box.mark.colors, MIN_UI))
            else:  # an empty box is empty, whatever the colours
                assert box.mark.char == " ", f"{place}: a mark in an {box.name}"
    return found


@pytest.mark.parametrize("theme", THEME_NAMES)
async def test_checkboxes_read_well(tmp_path: Path, theme: str) -> None:
    """Checklists (the decision form) and checkboxes (the criterion form)."""
    app = app_for(make_sample(tmp_path), theme=theme)
    found: list[Pair] = []
    async with app.run_test(size=SIZE) as pilot:
        await visit(pilot, "m")
        form = await visit(pilot, "D")  # a decision about the Map's feature: one box ticked
        pickers = list(form.query(SelectionList))
        assert pickers, "the decision form has no checklist"
        seen: set[str] = set()
        found += check_boxes(app, f"{theme}, decision form", seen)
        pickers[0].focus()
        await pilot.pause()
        found += check_boxes(app, f"{theme}, decision form", seen)
        await pilot.press("space")  # ticks or unticks the item on the cursor row
        await pilot.pause()
        found += check_boxes(app, f"{theme}, decision form", seen)
        expected = {"ticked box", "unticked box", "ticked box on the cursor"}
        assert expected | {"unticked box on the cursor"} <= seen, seen

        if isinstance(await visit(pilot, "escape"), ConfirmDiscard):
            await visit(pilot, "y")  # discard the change
        await visit(pilot, "s")
        form = await visit(pilot, "e")  # the criterion form: "Higher is better"
        checkbox = form.query_one(Checkbox)
        for _ in range(2):
            found += check_boxes(app, f"{theme}, criterion form", seen)
            checkbox.value = not checkbox.value
            await pilot.pause()
        assert {"ticked checkbox", "unticked checkbox"} <= seen, seen
    check(found)
