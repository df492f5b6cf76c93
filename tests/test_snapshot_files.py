"""Every snapshot file belongs to a snapshot test.

Run alone, syrupy fails a run that leaves a snapshot unused (a test renamed or
removed, its old picture left behind); under pytest-xdist it cannot, as each
worker sees only its share of the tests. This says it for any run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).parent
SNAPSHOTS = TESTS / "__snapshots__"


def test_every_snapshot_file_has_its_test() -> None:
    modules = sorted(folder.name for folder in SNAPSHOTS.iterdir() if folder.is_dir())
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         *(f"tests/{module}.py" for module in modules)],
        cwd=TESTS.parent, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stdout[-2000:] + collected.stderr[-2000:]
    tests = {
        f"{Path(path).stem}/{name}"
        for path, _, name in (line.partition("::") for line in collected.stdout.splitlines())
        if name
    }
    files = {f"{svg.parent.name}/{svg.stem}" for svg in SNAPSHOTS.glob("*/*.svg")}
    assert files, f"no snapshot files under {SNAPSHOTS}"
    assert not files - tests, f"snapshot files no test uses: {sorted(files - tests)}"
