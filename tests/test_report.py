"""The Markdown decision report holds every decision with its numbers, safely."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from roadmap_tui.cli import main
from roadmap_tui.exchange import read_toml
from roadmap_tui.models import Decision, Feature, Plan, SnapshotRow, WorkspaceInfo
from roadmap_tui.report import markdown_report

SAMPLES = Path(__file__).parent.parent / "sample_workspaces"


def test_every_decision_is_in_the_report_with_its_snapshot() -> None:
    plan = read_toml(SAMPLES / "grocery-forecasting.toml")
    report = markdown_report(plan)
    headings = [line for line in report.splitlines() if line.startswith("## ")]
    assert len(headings) == len(plan.decisions)
    ordered = sorted(plan.decisions, key=lambda d: (d.date, d.id))
    assert headings == [f"## {d.date.isoformat()}: {d.title}" for d in ordered]
    for d in plan.decisions:
        assert f"- Id: `{d.id}`" in report
        for row in d.snapshot:
            rank = str(row.rank) if row.rank is not None else "—"
            score = f"{row.score:,.1f}" if row.score is not None else "—"
            assert f"| {score} | {rank} |" in report
        for item in d.follow_ups:
            assert f"- [ ] {item}" in report
    for section in ("### Context", "### Decision", "### Consequences", "### Follow-ups"):
        assert report.count(section) == len(plan.decisions), section
    assert report == markdown_report(plan), "deterministic"


def test_hostile_text_cannot_break_the_table_or_reach_a_terminal() -> None:
    plan = Plan(
        workspace=WorkspaceInfo(name="w\x1b[2J"),
        features=[Feature(id="x", title="a | b\x9b \u202eexe.live")],
        decisions=[
            Decision(
                id="d",
                title="T",
                date=dt.date(2026, 1, 1),
                outcome="approved",
                features=[],
                snapshot=[SnapshotRow(feature="x", score=1)],
            )
        ],
    )
    report = markdown_report(plan)
    assert "\x1b" not in report and "\x9b" not in report and "\u202e" not in report
    # a title reversed by U+202E would read as something else in a wiki: it is named
    assert "| a \\| b\ufffd ⟨U+202E⟩exe.live |" in report


def test_cli_writes_the_report(tmp_path: Path) -> None:
    db, out = tmp_path / "w.db", tmp_path / "decisions.md"
    runner = CliRunner()
    assert (
        runner.invoke(
            main, ["new", str(db), "--from", str(SAMPLES / "bank-fraud-credit.toml")]
        ).exit_code
        == 0
    )
    result = runner.invoke(main, ["export", str(db), "--format", "markdown", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# Decision records: Northgate Bank")
