"""The benchmarks still run: a quick pass of each, checked for figures, not for speed.

Speed is judged by the benchmarks' own ratios (README, "Performance"), never by a
timed test; this only keeps `python -m benchmarks` from rotting. One test a
benchmark, so a parallel run (pytest -n) runs them side by side.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
BENCHMARKS = ("B1", "B2", "B3", "B4", "B5", "B6")


def benchmarks(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def test_every_benchmark_has_its_test() -> None:
    usage = benchmarks("--help").stdout
    assert re.search(r"--only \{([^}]*)\}", usage)[1].split(",") == list(BENCHMARKS), usage


SLOW = ("B4", "B6")  # 10-20 s each: first in a run (conftest), the rest fills the time beside


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n for n in BENCHMARKS]
)
def test_a_quick_run_of_each_benchmark_writes_its_figures(name: str, tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    run = benchmarks("--quick", "--only", name, "--json", str(out), "--workdir", str(tmp_path))
    assert run.returncode in (0, 1), run.stderr[-2000:]  # 1: a target missed, not a failure
    results = json.loads(out.read_text())
    assert {r["name"].split()[0] for r in results["results"]} == {name}
    assert results["machine"]["cores"] >= 1
    for result in results["results"]:
        assert math.isfinite(result["ratio"]) and result["ratio"] > 0, result
        assert result["what"] in run.stdout, "each result is printed as well as saved"
