"""The Overview kept in the workspace file: the next start draws it before reading a record,
then checks it against the records (issue 10, B1)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from roadmap_tui import overview_summary
from roadmap_tui.cli import main
from roadmap_tui.errors import WorkspaceError
from roadmap_tui.models import Participant
from roadmap_tui.overview_summary import OverviewSummary
from roadmap_tui.screens import overview
from roadmap_tui.state import WorkspaceState
from roadmap_tui.workspace import Workspace
from support import ACTOR, SAMPLES, app_for, screen_text

SIZE = (120, 40)


async def first_start(path: Path) -> str:
    """Open the app once (it computes the Overview and keeps it); what it showed."""
    app = app_for(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.state.overview_from_file, "a new file keeps no Overview yet"
        return screen_text(app)


@pytest.fixture(autouse=True)
def check_on_demand(monkeypatch: pytest.MonkeyPatch) -> None:
    # The check reads the records a moment after the first frame; the tests make that moment.
    monkeypatch.setattr(overview, "CHECK_AFTER_SECONDS", 3600)


async def test_the_next_start_draws_the_kept_overview_before_any_record(sample_db: Path) -> None:
    shown = await first_start(sample_db)
    app = app_for(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.state.overview_from_file
        assert "plan" not in app.state.__dict__, "no record was read"
        assert screen_text(app) == shown
        kept: list[object] = []
        app.workspace.keep = lambda *args: kept.append(args)  # type: ignore[method-assign]
        assert app.state.check_overview() is False, "the records say the same"
        assert kept == [], "the file already holds it: nothing is written"
        assert "plan" in app.state.__dict__ and not app.state.overview_from_file
        await pilot.press("s")  # the other screens read the records as before
        await pilot.press("o")
        assert screen_text(app) == shown


async def test_a_kept_overview_the_records_contradict_is_replaced(sample_db: Path) -> None:
    shown = await first_start(sample_db)
    with Workspace.open(sample_db, actor=ACTOR) as ws:  # as an older app might have kept it
        version = ws.content_version()
        kept = OverviewSummary.from_json(ws.kept("overview", version) or "")
        assert kept is not None
        stale = kept._replace(about=kept.about._replace(name="Kept by an older app"))
        ws.keep("overview", version, stale.to_json())
    app = app_for(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Kept by an older app" in screen_text(app)
        app.screen._check()
        await pilot.pause()
        assert screen_text(app) == shown
    with Workspace.open(sample_db, actor=ACTOR) as ws:
        assert ws.kept("overview", version) == OverviewSummary.to_json(app.state.overview)


async def test_after_a_change_the_start_draws_the_kept_overview_saying_it_is_updating(
    sample_db: Path,
) -> None:
    shown = await first_start(sample_db)
    assert "updating" not in shown
    with Workspace.open(sample_db, actor="kim") as ws:
        ws.save(
            Participant(id="kim", name="Kim Ode"), base=None
        )  # another session, while nobody looked
        ws.save(Participant(id="lee", name="Lee Ode"), base=None)
    app = app_for(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = screen_text(app)
        assert "plan" not in app.state.__dict__, "the first frame waits for no record"
        # every panel drawn from the kept numbers says they may be old (issue 21)
        for title in ("Workspace", "Top ranked", "Blocked value", "Top risks", "Recent deci"):
            line = next(line for line in first.splitlines() if title in line)
            assert "updating…" in line, line
        assert "added participant kim" in first, "the activity is read, not kept"
        app.screen._check()
        await pilot.pause()
        assert "updating" not in screen_text(app)
    with Workspace.open(sample_db, actor=ACTOR) as ws:  # kept, current, for the next start
        assert ws.kept("overview", ws.content_version()) == app.state.overview.to_json()


async def test_an_outdated_overview_is_checked_only_when_shown(sample_db: Path) -> None:
    await first_start(sample_db)
    with Workspace.open(sample_db, actor="kim") as ws:
        ws.save(Participant(id="kim", name="Kim Ode"), base=None)
    app = app_for(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        overview_screen = app.screen
        await pilot.press("s")  # at the first frame: the Score screen does not wait for it
        overview_screen._check()
        assert app.state.overview_outdated, "not checked while the Score screen is shown"
        await pilot.press("o")
        assert "updating…" in screen_text(app)
        app.screen._check()
        await pilot.pause()
        assert not app.state.overview_outdated
        assert "updating" not in screen_text(app)


async def test_closing_keeps_a_current_overview_when_the_start_found_it_outdated(
    sample_db: Path,
) -> None:
    await first_start(sample_db)
    with Workspace.open(sample_db, actor="kim") as ws:
        ws.save(Participant(id="kim", name="Kim Ode"), base=None)
    app = app_for(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")  # and quit there, never back on the Overview
    with Workspace.open(sample_db, actor=ACTOR) as ws:
        kept = OverviewSummary.from_json(ws.kept("overview", ws.content_version()) or "")
    assert kept is not None and kept.about.participants == app.state.overview.about.participants


async def test_a_damaged_kept_overview_is_computed_again(sample_db: Path) -> None:
    shown = await first_start(sample_db)
    with Workspace.open(sample_db, actor=ACTOR) as ws:
        ws.keep("overview", ws.content_version(), '[1, ["not", "an", "overview"]]')
    app = app_for(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.state.overview_from_file
        assert screen_text(app) == shown


def test_a_busy_file_gets_no_kept_overview_and_the_overview_still_shows(sample_db: Path) -> None:
    other = sqlite3.connect(sample_db, isolation_level=None)
    with Workspace.open(sample_db, actor=ACTOR) as ws:
        other.execute("BEGIN IMMEDIATE")  # another session is writing
        with pytest.raises(WorkspaceError, match="busy"):
            ws.keep("overview", ws.content_version(), "[]")
        assert WorkspaceState(ws).overview.ranked, "computed, just not kept"
        other.execute("ROLLBACK")
        assert ws.kept("overview", ws.content_version()) is None
        assert ws._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000, "waits again"
    other.close()


async def test_closing_after_a_change_keeps_the_overview_for_the_next_start(
    sample_db: Path,
) -> None:
    app = app_for(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")  # not on the Overview: the change does not recompute it
        assert app.write(lambda ws: ws.save(Participant(id="kim", name="Kim Ode"), base=None))
        await pilot.pause()
        assert "overview" not in app.state.__dict__
    again = app_for(sample_db)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.state.overview_from_file, "kept when the first app closed"
        assert "added participant kim" in screen_text(again)
        assert again.state.check_overview() is False


def test_a_value_kept_at_an_older_version_does_not_replace_a_newer_one(sample_db: Path) -> None:
    with Workspace.open(sample_db, actor=ACTOR) as ws:
        ws.keep("overview", 7, "seven")
        ws.keep("overview", 6, "six")  # a session that had not seen the last change
        assert ws.kept("overview", 7) == "seven" and ws.kept("overview", 6) is None
        ws.keep("overview", 8, "eight")
        assert ws.kept("overview", 8) == "eight"


def test_the_cli_keeps_the_overview_of_what_it_writes(tmp_path: Path) -> None:
    path = tmp_path / "w.db"

    def kept() -> OverviewSummary | None:
        with Workspace.open(path, actor=ACTOR) as ws:
            return OverviewSummary.from_json(ws.kept("overview", ws.content_version()) or "")

    assert CliRunner().invoke(main, ["new", str(path), "--as", ACTOR]).exit_code == 0
    empty = kept()
    assert empty is not None and empty.ranked == ()
    source = SAMPLES / "grocery-forecasting.toml"
    args = ["import", str(source), "--into", str(path), "--as", ACTOR]
    assert CliRunner().invoke(main, args).exit_code == 0
    imported = kept()
    assert imported is not None and imported.ranked and imported.about.features > 0


CLOSED = "Individualised prices"  # the sample's largest loss, closed


async def test_a_closed_risk_is_not_among_the_top_risks(sample_db: Path) -> None:
    shown = await first_start(sample_db)
    assert CLOSED not in shown  # closed risks count in no total (SPEC, the Risks screen)
    assert "Personalised offers sent to members" in shown  # the largest that counts


async def test_a_summary_kept_by_an_older_app_is_not_drawn(sample_db: Path) -> None:
    await first_start(sample_db)
    with Workspace.open(sample_db, actor=ACTOR) as ws:  # format 1 listed closed risks first
        version = ws.content_version()
        kept = OverviewSummary.from_json(ws.kept("overview", version) or "")
        assert kept is not None
        row = overview_summary.RiskRow("pricing-discrimination", "critical", 1.6e6, CLOSED)
        old = kept._replace(risks=(row, *kept.risks))
        ws.keep("overview", version, json.dumps([1, old]))
    app = app_for(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.state.overview_from_file, "computed again from the records"
        assert CLOSED not in screen_text(app)
