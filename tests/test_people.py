"""Who votes: the join dialog, the participants panel, and what the Score screen says."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList, Static

from roadmap_tui.app import RoadmapApp
from roadmap_tui.screens.join import JoinScreen
from roadmap_tui.screens.participants import ParticipantsScreen
from roadmap_tui.widgets.form import RecordForm
from roadmap_tui.workspace import Workspace
from support import app_for, make_empty, screen_text


async def shows(pilot, text: str) -> bool:
    """Whether `text` is on the screen within a second (a dialog is drawn a frame later)."""
    for _ in range(20):
        if text in screen_text(pilot.app):
            return True
        await pilot.pause(0.05)
    return False


def voting_as(app: RoadmapApp) -> str:
    status = str(app.screen.query_one("#score-status", Static).content)
    return status.split(" · ")[0]


def participants(path: Path) -> dict[str, str]:
    with Workspace.open(path, actor="reader") as workspace:
        return {p.id: p.name for p in workspace.participants()}


def votes_of(path: Path, participant: str) -> int:
    with Workspace.open(path, actor="reader") as workspace:
        return sum(1 for vote in workspace.votes() if vote[2] == participant)


async def type_into_form(pilot, **values: str) -> None:
    """Type into the open form's fields by name, replacing what they held."""
    form = pilot.app.screen
    assert isinstance(form, RecordForm)
    for name, value in values.items():
        field = form.query_one(f"#field-{name} Input", Input)
        field.focus()
        field.value = ""
        await pilot.press(*value)
    await pilot.press("ctrl+s")
    await pilot.pause()


# -- the join dialog ----------------------------------------------------------------------------


async def test_a_stranger_is_asked_once_and_can_add_themselves(sample_db: Path) -> None:
    app = app_for(sample_db, actor="Kim Lee", join=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, JoinScreen)
        text = screen_text(app)
        assert "Kim Lee" in text and "Ana Ruiz" in text and "facilitator" in text
        options = app.screen.query_one(OptionList)
        await pilot.press(*["down"] * (options.option_count - 2), "enter")
        await pilot.pause()
        assert participants(sample_db)["kim-lee"] == "Kim Lee"
        await pilot.press("s")
        await pilot.pause()
        assert voting_as(app) == "Voting as Kim Lee"
        await pilot.press("o", "s")  # asked once: the session remembers
        assert not any(isinstance(s, JoinScreen) for s in app.screen_stack)
        assert voting_as(app) == "Voting as Kim Lee"


async def test_a_stranger_can_join_as_a_participant(sample_db: Path) -> None:
    app = app_for(sample_db, actor="kim", join=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # the second participant by name: Jonas Weber
        await pilot.press("s")
        await pilot.pause()
        assert voting_as(app) == "Voting as Jonas Weber"
        await pilot.press("1")
        assert votes_of(sample_db, "jonas-weber") == 56  # his vote replaced, not a new one
        assert "kim" not in participants(sample_db)


async def test_escape_is_the_facilitator_and_says_so(sample_db: Path) -> None:
    app = app_for(sample_db, actor="kim", join=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert await shows(pilot, "You vote as the facilitator")
        await pilot.press("s")
        await pilot.pause()
        assert voting_as(app) == "Voting as the consensus (facilitator)"


@pytest.mark.parametrize("actor", ["Ana Ruiz", "ana-ruiz", "ana ruiz", " ANA RUIZ", "facilitator"])
async def test_a_participant_or_the_facilitator_is_not_asked(sample_db: Path, actor) -> None:
    app = app_for(sample_db, actor=actor, join=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, JoinScreen)
        await pilot.press("s")
        await pilot.pause()
        who = "the consensus (facilitator)" if actor == "facilitator" else "Ana Ruiz"
        assert voting_as(app) == f"Voting as {who}"


async def test_a_workspace_without_participants_asks_nothing(tmp_path: Path) -> None:
    app = app_for(make_empty(tmp_path), actor="kim", join=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, JoinScreen)
        await pilot.press("s")
        await pilot.pause()
        assert voting_as(app) == "Voting as the consensus (facilitator)"


async def test_the_dialog_shows_a_hostile_name_as_text(sample_db: Path) -> None:
    actor = "[@click=app.quit]x\x1b]0;t\x07"
    app = app_for(sample_db, actor=actor, join=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "[@click=app.quit]x␛]0;t␇" in screen_text(app)


# -- the participants panel ---------------------------------------------------------------------


async def open_panel(pilot) -> ParticipantsScreen:
    await pilot.press("s")
    await pilot.pause()
    await pilot.press("P")
    await pilot.pause()
    panel = pilot.app.screen
    assert isinstance(panel, ParticipantsScreen)
    return panel


def panel_rows(panel: ParticipantsScreen) -> list[str]:
    table = panel.query_one(DataTable)
    return [" ".join(str(c).strip() for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_the_panel_lists_participants_with_their_votes(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_panel(pilot)
        assert await shows(pilot, "Participants")
        assert panel_rows(panel)[0] == "Ana Ruiz Product lead, Loyalty & D… 56"  # cut, said so


async def test_add_rename_and_delete_a_participant_with_votes(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_panel(pilot)
        await pilot.press("n")
        await pilot.pause()
        await type_into_form(pilot, name="Zoe Park", id="zoe-park", role="Analyst")
        assert app.screen is panel
        assert "Zoe Park Analyst 0" in panel_rows(panel)
        await pilot.press("e")  # the cursor is on the one just added
        await pilot.pause()
        await type_into_form(pilot, name="Zoë Park", role="Lead analyst")
        assert "Zoë Park Lead analyst 0" in panel_rows(panel)
        assert participants(sample_db)["zoe-park"] == "Zoë Park"
        await pilot.press("escape")
        app.screen.select("participants", "zoe-park")  # as the palette's jump does
        await pilot.press("3", "right", "4")
        assert votes_of(sample_db, "zoe-park") == 2
        await pilot.press("P")
        await pilot.pause()
        assert "Zoë Park Lead analyst 2" in panel_rows(app.screen)
        await pilot.press("X")
        await pilot.pause()
        assert await shows(pilot, "2 scores → deleted with it")
        await pilot.press("n")  # keep: nothing changes
        assert "zoe-park" in participants(sample_db)
        await pilot.press("X", "y")
        await pilot.pause()
        assert "zoe-park" not in participants(sample_db)
        assert votes_of(sample_db, "zoe-park") == 0
        assert not any(row.startswith("Zoë") for row in panel_rows(app.screen))


async def test_a_participant_in_a_decision_is_not_deleted(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(pilot)
        await pilot.press("X")
        await pilot.pause()
        assert await shows(pilot, "cannot be deleted")
        await pilot.press("y")
        assert "ana-ruiz" in participants(sample_db)


async def test_deleting_whom_you_vote_as_makes_you_the_facilitator(sample_db: Path) -> None:
    app = app_for(sample_db, actor="Kim", join=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "down", "down", "enter")  # after the four: add me
        await pilot.pause()
        panel = await open_panel(pilot)
        assert any(row.startswith("Kim") for row in panel_rows(panel))
        table = panel.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("kim"))
        await pilot.press("X", "y", "escape")
        await pilot.pause()
        assert voting_as(app) == "Voting as the consensus (facilitator)"


async def test_an_empty_workspace_gets_its_first_participant(tmp_path: Path) -> None:
    path = make_empty(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_panel(pilot)
        assert await shows(pilot, "No participants yet")
        await pilot.press("n")
        await pilot.pause()
        await type_into_form(pilot, name="", id="")  # nothing is saved until it is valid
        assert isinstance(app.screen, RecordForm)
        assert participants(path) == {}
        await type_into_form(pilot, name="Ana", id="ana")
        assert app.screen is panel
        assert participants(path) == {"ana": "Ana"}
        assert panel_rows(panel) == ["Ana  0"]
