"""The command palette does things: each "New …", the decision, export, import, the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette

from roadmap_tui.app import RoadmapApp
from roadmap_tui.screens.help import HelpScreen
from roadmap_tui.screens.model_picker import ModelPicker
from roadmap_tui.screens.participants import ParticipantsScreen
from roadmap_tui.screens.quick_add import QuickAdd
from roadmap_tui.screens.transfer import ExportScreen, ImportScreen
from roadmap_tui.widgets.form import RecordForm
from support import app_for, make_empty, type_keys


async def search(pilot, query: str) -> list[str]:
    """What the palette lists for `query`, top first (the first line of each hit)."""
    await type_keys(pilot, "ctrl+p", *query)
    await pilot.pause(0.4)  # the palette gathers hits for a quarter of a second
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    hits = palette.query_one(CommandList)
    return [
        str(hits.get_option_at_index(i).prompt).split("\n")[0] for i in range(hits.option_count)
    ]


# (what is typed, the screen it ends on, what opens there: a form's title or a dialog's class)
ACTIONS = [
    ("New feature", "map", "New feature"),
    ("New capability", "map", "New capability"),
    ("New criterion", "score", "New criterion"),
    ("New risk", "risks", "New risk"),
    ("New policy", "policies", "New policy"),
    ("New participant", "overview", "New participant"),
    ("Record decision", "overview", "Record a decision"),
    ("Export", "overview", ExportScreen),
    ("Import", "overview", ImportScreen),
    ("Scoring model", "score", ModelPicker),
    ("Quick add feature", "overview", QuickAdd),
    ("Participants", "overview", ParticipantsScreen),
    ("Keys and help", "overview", HelpScreen),
]


@pytest.mark.parametrize("sample", [True, False], ids=["sample", "empty"])
@pytest.mark.parametrize(("query", "mode", "opens"), ACTIONS, ids=[a[0] for a in ACTIONS])
async def test_each_action_is_found_by_its_words_and_opens_its_dialog(
    sample_db: Path, tmp_path: Path, sample: bool, query: str, mode: str, opens
) -> None:
    app = app_for(sample_db if sample else make_empty(tmp_path))  # fmt: skip
    async with app.run_test(size=(80, 24)) as pilot:
        hits = await search(pilot, query.lower())
        assert hits[0].startswith(query), hits[:3]
        await pilot.press("enter")
        for _ in range(20):  # switching screen, then the action on it
            await pilot.pause(0.05)
            if not isinstance(app.screen, CommandPalette) and app.screen.is_modal:
                break
        assert app.current_mode == mode
        if isinstance(opens, str):
            assert isinstance(app.screen, RecordForm) and app.screen.form_title == opens
        else:
            assert isinstance(app.screen, opens)


async def test_typed_text_found_as_it_is_ranks_before_fuzzy_matches(sample_db: Path) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        hits = await search(pilot, "risk")
        exact = [i for i, hit in enumerate(hits) if "risk" in hit.lower()]
        assert "New risk" in hits
        assert any(hit.startswith("Risk: ") for hit in hits)
        assert exact == list(range(len(exact))), hits  # every exact hit before the fuzzy ones
        assert len(exact) < len(hits)  # and there are fuzzy ones ("r… i… s… k…")


async def test_a_records_name_still_jumps_to_it(sample_db: Path) -> None:
    app: RoadmapApp = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        hits = await search(pilot, "jonas")
        assert hits[0] == "Participant: Jonas Weber (jonas-weber)"
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "score"
        assert "Voting as Jonas Weber" in str(app.screen.query_one("#score-status").content)
