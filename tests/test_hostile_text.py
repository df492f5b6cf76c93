"""Hostile text on every screen (DESIGN.md, "Text is data").

Markup (`[/]`, `a[/`, `[@click=app.quit]`), ESC/OSC/CSI/DCS sequences, C1
controls, wide, combining, right-to-left and zero-width characters and a
5,000-character title, in every user-text field a screen shows: no crash, no
control sequence from the data reaches the terminal (checked on the bytes the
app writes to a real pty), and the text is shown literally, with control
characters as visible pictures (ESC -> ␛).

The Pilot scenarios are `async def` functions run by plain tests through
`asyncio.run`, so they need no async plugin.
"""

from __future__ import annotations

import asyncio
import re
import signal
import time
from collections.abc import Awaitable, Callable
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import TypeVar

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.content import Content
from textual.markup import MarkupError
from textual.widgets import DataTable

from hostile import (
    ACTOR,
    C1,
    DESCRIPTION,
    EDITOR,
    ESCAPES,
    HOSTILE,
    JUMP_ID,
    JUMP_TITLE,
    LIVE_ACTOR,
    LIVE_TITLE,
    MARKUP_ACTION,
    MARKUP_BROKEN,
    OSC,
    PLANTED,
    WORKSPACE_NAME,
    as_title,
    hostile_workspace,
    pty_app,
)
from roadmap_tui.app import RoadmapApp
from roadmap_tui.commands import WorkspaceCommands
from roadmap_tui.models import Feature, Risk
from roadmap_tui.safetext import printable
from roadmap_tui.screens import SCREENS
from roadmap_tui.screens.help import HelpScreen
from roadmap_tui.widgets.overview_list import OverviewList
from roadmap_tui.widgets.readiness_grid import ReadinessGrid
from roadmap_tui.widgets.text import cell, user_text
from roadmap_tui.workspace import Workspace
from support import app_for, fixed_clock, screen_text

T = TypeVar("T")
SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# SPEC section 1: bidi controls, zero-width characters, the word joiner and the BOM are named
DISPLAY_CHANGING = {*range(0x200B, 0x200E), *range(0x202A, 0x202F), 0x2060,
                    *range(0x2066, 0x206A), 0xFEFF}  # fmt: skip


def is_control(char: str) -> bool:
    return bool(CONTROL.fullmatch(char))


# == 1. the one helper, table-driven ===========================================================

ALL_CONTROLS = "".join(map(chr, [*range(0x20), *range(0x7F, 0xA0)]))
CASES = {
    **HOSTILE,
    "workspace_name": WORKSPACE_NAME,
    "description": DESCRIPTION,
    "actor": ACTOR,
    "editor": EDITOR,
    "palette_target": JUMP_TITLE,
    "live_title": LIVE_TITLE,
    "every_control": f"<{ALL_CONTROLS}>",
    "markup_only": "[b]x[/b] [@click=app.quit]q[/] [/] a[/ \\[escaped] [link='x']y[/link]",
    "plain": "Demand forecasting v2 — 漢字 ok",
}


def picture(char: str) -> str:
    """The visible stand-in safetext documents: control pictures, ␡ for DEL, � for C1, and
    a display-changing character named by its code point."""
    code = ord(char)
    if code in DISPLAY_CHANGING:
        return f"⟨U+{code:04X}⟩"
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"


@pytest.mark.parametrize("multiline", [False, True], ids=["line", "multiline"])
@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_printable_replaces_each_control_character_and_keeps_the_rest(
    text: str, multiline: bool
) -> None:
    kept = {"\n", "\t"} if multiline else set()
    out = printable(text, multiline=multiline)
    assert not {c for c in out if is_control(c) or ord(c) in DISPLAY_CHANGING} - kept
    shown = [(is_control(c) or ord(c) in DISPLAY_CHANGING) and c not in kept for c in text]
    assert out == "".join(picture(c) if s else c for c, s in zip(text, shown, strict=True))
    assert printable(out, multiline=multiline) == out  # idempotent: pictures are not controls


def test_printable_names_what_would_change_how_text_displays() -> None:
    # "evil.exe" reversed by U+202E would display as "exe.live" (issue 22, item 9)
    assert printable("Hq \u202eexe.live\u202c") == "Hq ⟨U+202E⟩exe.live⟨U+202C⟩"
    assert printable("a\u200bb\u2066c\ufeff") == "a⟨U+200B⟩b⟨U+2066⟩c⟨U+FEFF⟩"
    assert printable("שלום \u00ad") == "שלום \u00ad", "RTL letters and a soft hyphen are text"


def test_printable_makes_escape_the_escape_picture() -> None:
    assert printable("\x1b[2J") == "\u241b[2J"
    assert printable("\x9b2J") == "\ufffd2J"
    assert printable("a\nb\tc", multiline=True) == "a\nb\tc"
    assert printable("a\nb\tc\r") == "a\u240ab\u2409c\u240d"


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_user_text_and_cell_are_literal(text: str) -> None:
    content = user_text(text)
    assert content.plain == printable(text)
    assert not content.spans, "no markup was parsed into styles or actions"
    styled = user_text(text, style="bold")
    assert styled.plain == printable(text)
    assert [(s.start, s.end) for s in styled.spans] in ([], [(0, len(styled.plain))])
    assert user_text(text, multiline=True).plain == printable(text, multiline=True)

    rich_text = cell(text)
    assert rich_text.plain == printable(text)
    assert not rich_text.spans
    assert rich_text.no_wrap and rich_text.overflow == "ellipsis"

    for segment in content.render_segments():
        assert not CONTROL.search(segment.text), segment
    # What Rich writes for the cell: its own SGR codes, and nothing else that is a control.
    buffer = StringIO()
    Console(file=buffer, force_terminal=True, color_system="truecolor", width=6000).print(
        cell(text, "bold red")
    )
    written = re.sub(r"\x1b\[[0-9;]*m", "", buffer.getvalue())
    assert not CONTROL.search(written.rstrip("\n")), repr(written)


@pytest.mark.parametrize(
    "text", [MARKUP_ACTION, MARKUP_BROKEN, "[b]x[/b]", "[@click=app.quit]q[/]", "[/]", "a[/"]
)
def test_markup_in_user_text_is_kept_where_markup_parsing_would_change_it(text: str) -> None:
    assert user_text(text).plain == text
    assert cell(text).plain == text
    try:  # the hazard is real: parsed as markup, the text changes (or does not parse at all)
        parsed = Content.from_markup(text).plain
    except MarkupError:
        parsed = None
    assert parsed != text
    assert Content("[b]x[/b]").plain == "[b]x[/b]"


# == helpers for the app ======================================================================


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(scenario())


def prefix(text: str, cells: int) -> str:
    """The longest start of `printable(text)` that fits in `cells` terminal cells."""
    shown = printable(text)
    for end in range(len(shown), 0, -1):
        if cell_len(shown[:end]) <= cells:
            return shown[:end]
    return ""


def assert_sane(app: RoadmapApp) -> str:
    """The app is still running and nothing on screen is a control character; the text."""
    assert app.is_running and app.return_code is None, "the app quit or crashed"
    text = screen_text(app)
    found = CONTROL.findall(text.replace("\n", ""))
    assert not found, f"control characters on screen: {found}"
    return text


def assert_shows(text: str, value: str, cells: int, where: str) -> None:
    expected = prefix(value, cells)
    assert expected in text, f"{where}: {expected!r} is not on screen:\n{text}"


async def wait_until(pilot, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    limit = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < limit, "timed out"
        await pilot.pause(0.05)


async def eventually(pilot, check: Callable[[], T], timeout: float = 10.0) -> T:
    """`check()` once it passes (a loaded machine may need a few frames); its last error if not."""
    limit = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > limit:
                raise
        await pilot.pause(0.05)


# Text fields of each table's rows that are on screen at 80 columns (more fit at 120).
NARROW_FIELDS = {"features": ("title",), "capabilities": ("name",), "criteria": ("name",),
                 "participants": ("name",), "risks": ("title",), "policies": ("title",),
                 "decisions": ("title",)}  # fmt: skip
WIDE_FIELDS = {**NARROW_FIELDS, "participants": ("name", "role"), "policies": ("title", "owner")}


def check_screen(app: RoadmapApp, size: tuple[int, int]) -> str:
    """The screen on show displays its records' hostile text literally; returns its text."""
    text = assert_sane(app)
    wide = size[0] >= 120
    first_line = text.splitlines()[0]
    assert_shows(first_line, WORKSPACE_NAME, 40 if wide else 12, "nav bar")
    assert "[@click=app." in first_line
    plan = app.state.plan
    if app.current_mode == "overview":
        for panel in app.screen.query(OverviewList):
            kind, _, record_id = (panel.keys[0] if panel.keys else "").partition(":")
            if kind == "activity":
                assert_shows(text, ACTOR, 20 if wide else 8, "activity")
            elif kind:
                record = next(r for r in getattr(plan, kind) if r.id == record_id)
                value = getattr(record, "title", None) or record.name
                assert_shows(text, value, 24 if wide else 8, f"overview {panel.id}")
        assert_shows(text, WORKSPACE_NAME, 30 if wide else 20, "workspace panel")
    else:
        fields = WIDE_FIELDS if wide else NARROW_FIELDS
        for table in app.screen.query(DataTable):
            kind = table.id or ""
            if kind not in fields:
                continue
            assert table.row_count, f"the {kind} table is still empty"
            row_id = table.ordered_rows[0].key.value
            record = next(r for r in getattr(plan, kind) if r.id == row_id)
            for field in fields[kind]:
                assert_shows(text, getattr(record, field), 24 if wide else 12, f"{kind}.{field}")
    return text


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    return hostile_workspace(tmp_path, fixed_clock)


# == 2. every screen, the help, in-app Pilot ==================================================


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_every_screen_and_the_help_show_hostile_text_literally(
    hostile_db: Path, size: tuple[int, int]
) -> None:
    async def scenario() -> None:
        app = app_for(hostile_db, EDITOR)
        async with app.run_test(size=size) as pilot:
            seen = [await eventually(pilot, lambda: check_screen(app, size))]
            for info in [*SCREENS[1:], SCREENS[0]]:
                await pilot.press(info.key)
                await wait_until(pilot, lambda: app.current_mode == info.mode)  # noqa: B023
                seen.append(await eventually(pilot, lambda: check_screen(app, size)))
                if info.mode == "map":  # the grid shows a title's start; walk it for the rest
                    grid = app.screen.query_one(ReadinessGrid)
                    for _ in grid.columns:
                        await pilot.press("right")
                        seen.append(await eventually(pilot, lambda: assert_sane(app)))
                    for _ in grid.rows:
                        await pilot.press("down")
                        seen.append(await eventually(pilot, lambda: assert_sane(app)))
                await pilot.press("f1")
                await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
                assert "Keys" in await eventually(pilot, lambda: assert_sane(app))
                await pilot.press("escape")
                await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen))
            everything = "\n".join(seen)
            for name, value in HOSTILE.items():  # each string is somewhere, literally
                if prefix(value, 30) not in everything:  # or as the title it became
                    assert_shows(everything, as_title(value), 30, name)
            for literal in (
                "Hqa[@click=app.quit]quit[/] [b]bold[/b]",
                "Hqb a[/ [/] [red]x $accent [link=",
                printable(ESCAPES),
                printable(C1),
                printable(OSC)[:30],
                "Hqc\u241b[2J\u241b[5;31mred\u241b]0;pwned-title\u2407t",
                "Hqf\u2407bel\u2408bs cr nl\u2409tab\u2400nul\u2421del",  # a title is one line
            ):
                assert literal in everything, literal
            assert app.is_running and app.return_code is None

    run(scenario)


def test_clicking_the_literal_markup_runs_no_action(hostile_db: Path) -> None:
    async def scenario() -> None:
        app = app_for(hostile_db, EDITOR)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("m")
            await pilot.pause()
            lines = screen_text(app).splitlines()
            targets = [(lines[0].index("[@click") + 3, 0)]  # the workspace name in the nav bar
            row = next(y for y, line in enumerate(lines) if "Hqa[@click=app.quit]quit[/]" in line)
            targets.append((lines[row].index("quit[/]") + 1, row))  # the feature title
            for x, y in targets:
                await pilot.click(offset=(x, y))
                await pilot.pause()
                assert app.is_running and app.return_code is None, f"a click at {x},{y} quit"
            assert app.current_mode == "map"

    run(scenario)


# == the command palette ======================================================================


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_palette_finds_a_hostile_title_shows_it_literally_and_jumps(
    hostile_db: Path, size: tuple[int, int]
) -> None:
    hit = printable(f"Decision: {JUMP_TITLE} ({JUMP_ID})")

    async def scenario() -> None:
        app = app_for(hostile_db, EDITOR)
        async with app.run_test(size=size) as pilot:
            await pilot.press("ctrl+p")
            await wait_until(pilot, lambda: "Search for commands" in screen_text(app))
            await pilot.press(*"hqy[@click")
            await wait_until(pilot, lambda: "Decision: Hqy" in screen_text(app))
            text = assert_sane(app)
            assert_shows(text, hit, 60, "palette hit")
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.current_mode == "decisions")
            table = app.screen.query_one("#decisions", DataTable)
            await wait_until(pilot, lambda: app.screen.focused is table)
            row = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            assert row.value == JUMP_ID
            text = assert_sane(app)
            assert_shows(text, JUMP_TITLE, 12 if size[0] < 120 else 40, "decisions table")

    run(scenario)


@contextmanager
def deadline(seconds: float):
    """Raise TimeoutError in the main thread after `seconds`, even inside a busy loop."""

    def expire(signum, frame):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_the_palette_stays_responsive_with_a_5000_character_title(hostile_db: Path) -> None:
    """Typing "go t" (to go to a screen) must not freeze the app on a long title.

    Textual's fuzzy matcher enumerates every way the query's letters occur in
    order in the candidate; the palette matches "Feature: <5,000 characters>",
    so the search runs on the event loop for minutes and the app hangs.
    """

    async def scenario() -> None:
        app = app_for(hostile_db, EDITOR)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            provider = WorkspaceCommands(app.screen)
            started = time.monotonic()
            try:
                with deadline(3.0):
                    hits = [hit async for hit in provider.search("go t")]
            except TimeoutError:
                pytest.fail(
                    "searching the palette for 'go t' took more than 3 s with a 5,000-character "
                    "title in the workspace (the app's event loop is blocked meanwhile)"
                )
            assert time.monotonic() - started < 3.0
            assert any("Go to" in hit.text for hit in hits)

    run(scenario)


# == changes made in the app and by another session ===========================================


def test_hostile_text_written_here_and_by_another_session_is_shown_literally(
    hostile_db: Path,
) -> None:
    async def scenario() -> None:
        app = app_for(hostile_db, actor=EDITOR)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            # A write in this app, by the hostile EDITOR.
            read = app.state.plan.features[0]
            feature: Feature = read.model_copy()
            feature.title = LIVE_TITLE
            app.workspace.save(feature, base=read)
            app.changed()
            await pilot.pause()
            text = assert_sane(app)
            assert_shows(text, EDITOR, 30, "activity after an edit here")
            await pilot.press("m")
            await pilot.pause()
            assert_shows(assert_sane(app), LIVE_TITLE, 18, "map after an edit here")  # grid title

            # A write by another session on the same file, noticed by polling.
            await pilot.press("r")
            await pilot.pause()
            with Workspace.open(hostile_db, actor=LIVE_ACTOR, clock=fixed_clock) as other:
                risk: Risk = other.risks()[0].model_copy()
                risk.title = f"Hqt{JUMP_TITLE}"
                other.save(risk, base=other.risks()[0])
            expected = prefix(risk.title, 40)
            await wait_until(pilot, lambda: expected in screen_text(app))
            assert_sane(app)
            await pilot.press("o")
            await pilot.pause()
            assert_shows(assert_sane(app), LIVE_ACTOR, 20, "activity after another session")

    run(scenario)


# == the export toast: the file name is text too ==============================================


@pytest.mark.parametrize(
    "name",
    ["ws-[b]bold[@click=app.quit]q.db", 'ws-[link="].db'],
    ids=["markup", "malformed-markup"],
)
def test_the_export_toast_shows_the_file_name_literally(tmp_path: Path, name: str) -> None:
    path = hostile_workspace(tmp_path, fixed_clock, name=name)
    wrote = f"Wrote {Path(name).with_suffix('.toml').name}"

    async def scenario() -> None:
        app = app_for(path, EDITOR)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await pilot.pause()
            app.action_export()
            await pilot.pause()
            await pilot.press("enter")  # the export dialog: the default path, next to the file
            await app.workers.wait_for_complete()
            await wait_until(pilot, lambda: "Wrote" in screen_text(app), timeout=5)
            toast = [line for line in assert_sane(app).splitlines() if "Wrote" in line]
            assert wrote in toast[0], f"the file name was parsed as markup: {toast[0]!r}"

    try:
        run(scenario)
    except MarkupError as error:
        pytest.fail(f"the app crashed on a workspace file name: MarkupError: {error}")
    assert path.with_suffix(".toml").exists()


# == 3. the bytes the app writes to a real terminal ===========================================


def encoded(text: str) -> bytes:
    return printable(text).encode()


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_no_planted_sequence_reaches_a_real_terminal(
    hostile_db: Path, size: tuple[int, int]
) -> None:
    app = pty_app(hostile_db, EDITOR, size)
    try:
        app.wait_for(b"Top ranked", timeout=30)
        # EDITOR is none of the participants: asked once whom to vote as, every name shown
        # as text; enter joins as the first participant.
        app.wait_for(b"Who is voting here?")
        app.wait_for(b"Blocked value", since=app.send(b"\r"))  # drawn again, where it was
        steps = [
            (b"m", b"feature \\ capability"),
            (b"s", b"score feature"),
            (b"r", b"The risk register"),
            (b"p", b"The policy library"),
            (b"d", b"Decision log"),
            (b"m", b"feature \\ capability"),
        ]
        for key, marker in steps:
            app.wait_for(marker, since=app.send(key))
        # Another session renames the first feature, as a hostile actor; the app shows it.
        mark = len(app.output)
        with Workspace.open(hostile_db, actor=LIVE_ACTOR, clock=fixed_clock) as other:
            feature = other.features()[0].model_copy()
            feature.title = LIVE_TITLE
            other.save(feature, base=other.features()[0])
        app.wait_for(encoded(LIVE_TITLE)[:18], since=mark)  # the grid shows a title's start
        app.wait_for(encoded(LIVE_ACTOR)[:16], since=app.send(b"o"))
        app.wait_for(b"esc closes", since=app.send(b"\x1bOP"))  # f1
        app.wait_for(b"Top ranked", since=app.send(b"\x1b"))  # escape
        app.wait_for(b"Search for commands", since=app.send(b"\x10"))  # ctrl+p
        app.wait_for(encoded("jump[/] a[/ \x1b]52;c;"), since=app.send(b"hqy[@click"))
        app.wait_for(b"Decision log", since=app.send(b"\r"))
        app.send(b"\x11")  # ctrl+q
        status = app.wait_exit(timeout=30)
    finally:
        app.close()
    output = bytes(app.output)

    assert status == 0, output[-2000:]
    assert b"Traceback" not in output, output[-3000:]
    for what, sequence in PLANTED.items():
        assert sequence not in output, f"{what} from the data reached the terminal"
    c1 = re.findall(rb"\xc2[\x80-\x9f]", output)
    assert not c1, f"C1 control characters reached the terminal: {c1}"
    raw = {chr(code) for code in DISPLAY_CHANGING if chr(code).encode() in output}
    assert not raw, f"characters that change how text displays reached the terminal: {raw}"
    # ...and the data was on screen, as visible pictures.
    for shown in (
        "Hqc\u241b[2J",
        "Hqd\u241b]52;c;",
        "Hqe\ufffd2J",
        "Hqf\u2407bel",
        "Hqk\u241bP+q544e",
        "Hqz[@click=app.quit]\u241b]5",
        "Hqa[@click=app.quit]quit[/] [b]bold[/b]",
        "Hqb a[/ [/] [red]x",
        "Hqg 漢字テスト",
        "Hqh Ze\u0301\u0301\u0301",
        "Hqi ⟨U+202E⟩evil.exe⟨U+202C⟩",
        "Hqj z⟨U+200B⟩w",
        "Hql A very long",
        "Hqw[@click=app.",
    ):
        assert shown.encode() in output, f"{shown!r} was not written"
