"""Run the benchmarks: `.venv/bin/python -m benchmarks [--quick] [--only B2 B4] [--json FILE]`."""

from __future__ import annotations

import argparse
import compileall
import importlib
import sys
import tempfile
from pathlib import Path

import roadmap_tui

from .results import Result, report, save

BENCHMARKS = {
    "B1": "startup",
    "B2": "keystroke",
    "B3": "exchange",
    "B4": "bytes",
    "B5": "memory",
    "B6": "first_vote",
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=list(BENCHMARKS))
    parser.add_argument(
        "--quick", action="store_true", help="small workspaces, few repeats: a smoke run"
    )
    parser.add_argument("--json", type=Path, default=Path("benchmarks/latest.json"))
    parser.add_argument(
        "--workdir", type=Path, help="keep the synthetic workspaces here (default: a temp dir)"
    )
    args = parser.parse_args()
    # The app's bytecode, as an installed package has it: with PYTHONDONTWRITEBYTECODE set
    # (as on the CI machines) every start would compile the modules edited since.
    compileall.compile_dir(Path(roadmap_tui.__file__).parent, quiet=1)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as temp:
        workdir = args.workdir or Path(temp)
        workdir.mkdir(parents=True, exist_ok=True)
        for key in args.only:
            module = importlib.import_module(f".{BENCHMARKS[key]}", __package__)
            print(f"-- {key} {BENCHMARKS[key]}", file=sys.stderr, flush=True)
            results += module.run(workdir, quick=args.quick)
    print(report(results))
    save(results, args.json)
    print(f"written to {args.json}")
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
