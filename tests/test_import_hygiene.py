"""The UI-free core never imports textual (DESIGN.md, layers): the CLI's export and import
work without the UI, and the domain can be tested without a terminal."""

from __future__ import annotations

import subprocess
import sys

CORE = (
    "models", "scoring", "risk", "workspace", "exchange", "tomlwriter", "safetext", "cli",
    "scoreboard", "decisions", "report", "storage", "formatting", "starter",
)  # fmt: skip


def test_core_modules_do_not_import_textual() -> None:
    imports = "; ".join(f"import roadmap_tui.{name}" for name in CORE)
    probe = f"{imports}; import sys; print(sorted(m for m in sys.modules if 'textual' in m))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_opening_reading_and_voting_do_not_import_sqlite_utils(sample_db) -> None:
    # sqlite-utils builds and migrates the schema; opening a workspace, reading it, a
    # session's presence and a vote use prepared SQL, which keeps start-up lean (issue 10).
    probe = f"""
import sys
from roadmap_tui.models import Score
from roadmap_tui.workspace import Workspace
ws = Workspace.open({str(sample_db)!r}, actor="ann")
plan, votes = ws.plan(), list(ws.votes())
session = ws.join()
ws.heartbeat(session)
ws.present(session), ws.activity(), ws.content_version(), ws.preference("theme")
first = plan.scores[0]
ws.clear_score(first.feature, first.criterion, first.participant)
ws.set_score(first)
assert ws.audit(2)[0].op == "create" and ws.audit(2)[1].op == "delete"
ws.leave(session)
print("sqlite_utils" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
