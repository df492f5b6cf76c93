"""Full garbage collections wait for an idle room (collector.py)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from roadmap_tui import collector
from roadmap_tui.collector import IdleCollector, bulk
from support import app_for


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(collector.time, "monotonic", lambda: now[0])
    return now


def test_a_full_collection_runs_only_when_due_and_idle(
    clock: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[int] = []
    counts = [(0, 0, 0)]
    monkeypatch.setattr(collector.gc, "get_count", lambda: counts[0])
    monkeypatch.setattr(collector.gc, "collect", lambda: runs.append(1) or 0)
    idle = IdleCollector()
    due = idle._due_after
    clock[0] += collector.IDLE_SECONDS
    assert not idle.collect_if_idle(), "idle, but Python would not collect yet"
    counts[0] = (0, 0, due)
    idle.busy()
    clock[0] += collector.IDLE_SECONDS - 0.1
    assert not idle.collect_if_idle(), "due, but someone changed something just now"
    clock[0] += 0.1
    assert idle.collect_if_idle() and runs == [1]
    # a room that never pauses still gets one, once it has waited LONGEST_WAIT
    for _ in range(int(collector.LONGEST_WAIT)):
        idle.busy()
        clock[0] += 1
        assert not idle.collect_if_idle()
    idle.busy()
    clock[0] += 1
    assert idle.collect_if_idle() and runs == [1, 1]


async def test_the_app_defers_full_collections_while_it_runs(sample_db: Path) -> None:
    before = gc.get_threshold()
    app = app_for(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.get_threshold()[:2] == before[:2]
        assert gc.get_threshold()[2] > 1_000_000  # the timer runs them, when idle
        stamp = app.collector._last_busy
        await pilot.press("s")
        assert app.collector._last_busy > stamp, "a key keeps the room busy"
    assert gc.get_threshold() == before


async def test_start_up_runs_without_collections_until_the_first_frame(sample_db: Path) -> None:
    with bulk():  # as the CLI starts the app
        assert not gc.isenabled()
        app = app_for(sample_db)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled(), "the first frame resumes them"
            assert gc.get_freeze_count() > 0, "what start-up built waits for a full collection"
            app.collector._last_busy -= collector.IDLE_SECONDS
            app.collector._due_after = 0
            assert app.collector.collect_if_idle()
            assert gc.get_freeze_count() == 0, "the full collection looks at everything"
        assert gc.isenabled() and gc.get_freeze_count() == 0


def test_bulk_pauses_the_collector_and_restores_it() -> None:
    assert gc.isenabled()
    with bulk():
        assert not gc.isenabled()
        with bulk():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block does not resume what the outer paused
    assert gc.isenabled()
    with pytest.raises(RuntimeError), bulk():
        raise RuntimeError
    assert gc.isenabled()


def test_bulk_leaves_a_paused_collector_paused() -> None:
    gc.disable()
    try:
        with bulk():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
