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
