"""The benchmarks still run: a quick pass of all six, checked for figures, not for speed.

Speed is judged by the benchmarks' own ratios (README, "Performance"), never by a
timed test; this only keeps `python -m benchmarks` from rotting.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_a_quick_run_of_every_benchmark_writes_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out),
         "--workdir", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert run.returncode in (0, 1), run.stderr[-2000:]  # 1: a target missed, not a failure
    results = json.loads(out.read_text())
    names = {r["name"].split()[0] for r in results["results"]}
    assert names == {"B1", "B2", "B3", "B4", "B5", "B6"}
    assert results["machine"]["cores"] >= 1
    for result in results["results"]:
        assert math.isfinite(result["ratio"]) and result["ratio"] > 0, result
        assert result["what"] in run.stdout, "each result is printed as well as saved"
