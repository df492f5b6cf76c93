"""The UI-free core never imports textual (DESIGN.md, layers): the CLI's export and import
work without the UI, and the domain can be tested without a terminal. pyproject's import-linter
contracts check the same on the static import graph; this checks what a run really loads."""

from __future__ import annotations

import subprocess
import sys

from roadmap_tui.state import WorkspaceState
from roadmap_tui.workspace import Workspace

CORE = (
    "models", "scoring", "risk", "policy", "workspace", "exchange", "tomlwriter", "safetext", "cli",
    "scoreboard", "decisions", "report", "storage", "formatting", "starter", "state",
    "overview_summary", "record_rows", "schema", "lazy", "collector", "ordering", "tomldepth",
    "errors", "ids", "voters", "serve", "merge",
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


# Modules the first frame does without (issue 10, B1). pydantic and the models' validators
# are a third of a start-up: a start that finds the Overview kept draws it first and loads
# them for the check just after. secrets (policy search) loads hashlib; importlib.resources
# is for the bundled samples.
LATE = {"pydantic", "secrets", "importlib.resources"}


def test_the_first_frame_from_a_kept_overview_imports_none_of_the_late_modules(
    sample_db,
) -> None:
    with Workspace.open(sample_db, actor="ann") as ws:
        assert WorkspaceState(ws).overview.ranked  # computed, and kept in the file
    probe = f"""
import asyncio, sys
import roadmap_tui.cli
from roadmap_tui.app import make_app
from roadmap_tui.screens import overview
overview.CHECK_AFTER_SECONDS = 3600  # the probe runs the check itself

async def main():
    app = make_app({str(sample_db)!r}, actor="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        print(app.state.overview_from_file, len(app.screen.query_one("#ranked").keys))
        print(sorted({LATE!r} & set(sys.modules)))
        app.state.check_overview()
        print("pydantic" in sys.modules, len(app.state.plan.features))

asyncio.run(main())
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    drawn, before, after = result.stdout.splitlines()
    assert drawn == "True 10", "the Overview was drawn from the file, its 10 rows filled"
    assert before == "[]", "none of these for the first frame"
    assert after.startswith("True ") and int(after.split()[1]) > 0, "the check read the records"
