"""What every benchmark returns, and how the run prints and saves it."""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Result:
    name: str  # "B2 score keystroke"
    what: str  # the ratio's meaning, in words
    ratio: float  # measured / baseline (or the figure the target bounds)
    target: str  # "<= 1.5"
    passed: bool
    figures: dict[str, float | int | str] = field(default_factory=dict)


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    """Seconds per call of `action`, `repeat` times."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        out.append(time.perf_counter() - start)
    return out


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> dict[str, str | int]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": len(__import__("os").sched_getaffinity(0)),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "commit": commit or "unknown",
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def report(results: list[Result]) -> str:
    lines = []
    for r in results:
        mark = "ok  " if r.passed else "MISS"
        lines.append(f"{mark} {r.name}: {r.what} = {r.ratio:.2f} (target {r.target})")
        lines += [f"       {key}: {value}" for key, value in r.figures.items()]
    return "\n".join(lines)


def save(results: list[Result], path: Path) -> None:
    path.write_text(
        json.dumps({"machine": machine(), "results": [asdict(r) for r in results]}, indent=2) + "\n"
    )
