"""Durability with real processes (DESIGN.md, "Live and shared use"); no mocks.

- crash: a child applies edits through the Workspace API and acknowledges each one on
  stdout after its call returned; it is SIGKILLed at random moments, and every
  acknowledged edit must then be in the file, whole, and the file must pass
  `PRAGMA integrity_check` and open as a workspace.
- concurrent writers: three processes edit one file at once (new records, or each its own
  field of one feature, read and saved as a person does); no edit is lost and no
  "busy"/"locked" error reaches a caller.
- a reader process sees another process's commit through `data_version()`.

The child processes run tests/durability_child.py with this interpreter.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from durability_child import CRITERION, FEATURE, field_value, participant_id
from roadmap_tui.models import Criterion, Feature, Plan, WorkspaceInfo
from roadmap_tui.workspace import Workspace

CHILD = Path(__file__).with_name("durability_child.py")
LINE_TIMEOUT = 30.0  # seconds to wait for any one line from a child: generous on a busy machine
EXIT_TIMEOUT = 30.0

CRASH_RUNS = 50
CRASH_SEED = 20261102
WRITERS = 3
WRITER_EDITS = 500


class Child:
    """A child process running durability_child.py; its stdout is read with deadlines."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.stderr_path = folder / f"child-{time.monotonic_ns()}.stderr"
        with self.stderr_path.open("wb") as stderr:
            self.proc = subprocess.Popen(
                [sys.executable, str(CHILD), *args],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                bufsize=0,
            )
        assert self.proc.stdout is not None
        self._fd = self.proc.stdout.fileno()
        self._buffer = b""
        self._eof = False

    def line(self, timeout: float = LINE_TIMEOUT) -> str | None:
        """The next line (without its newline), or None once the child closed its stdout."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            if self._eof:
                if self._buffer:
                    rest, self._buffer = self._buffer, b""
                    return rest.decode()
                return None
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no line from the child in {timeout:g} s; {self.stderr()}")
            ready, _, _ = select.select([self._fd], [], [], left)
            if ready:
                chunk = os.read(self._fd, 65536)
                if chunk:
                    self._buffer += chunk
                else:
                    self._eof = True
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode()

    def expect(self, wanted: str, timeout: float = LINE_TIMEOUT) -> None:
        got = self.line(timeout)
        assert got == wanted, f"expected {wanted!r} from the child, got {got!r}; {self.stderr()}"

    def rest(self, timeout: float = LINE_TIMEOUT) -> list[str]:
        """Every line still to come, up to the child closing its stdout."""
        lines = []
        while (line := self.line(timeout)) is not None:
            lines.append(line)
        return lines

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def ask(self, line: str) -> str:
        self.send(line)
        answer = self.line()
        assert answer is not None, f"the child exited; {self.stderr()}"
        return answer

    def wait(self, timeout: float = EXIT_TIMEOUT) -> int:
        return self.proc.wait(timeout=timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=EXIT_TIMEOUT)

    def close(self) -> None:
        """Kill the child if it still runs and release its pipes (always safe to call)."""
        try:
            self.kill()
        finally:
            for pipe in (self.proc.stdin, self.proc.stdout):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()

    def stderr(self) -> str:
        text = self.stderr_path.read_text(errors="replace").strip()
        return f"child stderr: {text[-2000:]}" if text else "child stderr: (empty)"


@pytest.fixture
def children() -> Iterator[list[Child]]:
    """Every child a test starts goes here, and is killed when the test ends however it ends."""
    started: list[Child] = []
    yield started
    for child in started:
        child.close()


def make_workspace(path: Path) -> None:
    plan = Plan(
        workspace=WorkspaceInfo(name="Durability"),
        features=[Feature(id=FEATURE, title="Survives a crash")],
        criteria=[Criterion(id=CRITERION, name="Edit number", min=0, max=1_000_000)],
    )
    Workspace.create(path, plan, actor="setup").close()


def integrity(path: Path) -> str:
    """PRAGMA integrity_check through sqlite3 itself, not through the Workspace API."""
    conn = sqlite3.connect(path, timeout=LINE_TIMEOUT)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    return "\n".join(str(row[0]) for row in rows)


def audit_counts(path: Path) -> dict[str, int]:
    """Audit rows per actor, read with sqlite3 itself."""
    conn = sqlite3.connect(path, timeout=LINE_TIMEOUT)
    try:
        rows = conn.execute("SELECT actor, COUNT(*) FROM audit GROUP BY actor").fetchall()
    finally:
        conn.close()
    return dict(rows)


def edits_present(ws: Workspace, prefix: str) -> set[int]:
    """The numbers of the edits of series `prefix` found in the workspace, each checked whole."""
    found: set[int] = set()
    for person in ws.participants():
        if person.id.startswith(f"{prefix}-p"):
            n = int(person.id.rpartition("-p")[2])
            assert n % 2 == 0, person
            assert (person.name, person.role) == (f"{prefix} {n}", str(n)), person
            found.add(n)
    for score in ws.scores(FEATURE):
        if score.participant.startswith(f"{prefix}-p"):
            n = int(score.value)
            assert n % 2 == 1 and score.value == n, score
            assert score.participant == participant_id(prefix, n - 1), score
            assert score.criterion == CRITERION, score
            found.add(n)
    return found


def acknowledged(lines: list[str]) -> int:
    """How many edits the child acknowledged; the acks must come in order 0, 1, 2, ..."""
    acks = [line for line in lines if line.startswith("ack ")]
    assert acks == [f"ack {n}" for n in range(len(acks))], lines[-5:]
    return len(acks)


def test_sigkill_never_loses_an_acknowledged_edit(tmp_path: Path, children: list[Child]) -> None:
    path = tmp_path / "crash.rtw"
    make_workspace(path)
    rng = random.Random(CRASH_SEED)
    total_acked = in_flight_committed = killed_early = 0
    expected_total = 0  # records every run so far left behind: none may vanish later
    started = time.perf_counter()
    for run in range(CRASH_RUNS):
        prefix = f"r{run:02d}"
        child = Child(tmp_path, "crash", str(path), prefix)
        children.append(child)
        lines: list[str] = []
        if rng.random() < 0.25:
            # Kill at a random moment after the start: while importing, opening or editing.
            time.sleep(rng.uniform(0.0, 0.35))
        else:
            line = child.line()
            assert line == "ready", f"{line!r}; {child.stderr()}"
            lines.append(line)
            for _ in range(rng.randint(0, 40)):
                line = child.line()
                assert line is not None, f"the child died unkilled; {child.stderr()}"
                lines.append(line)
            time.sleep(rng.uniform(0, 0.004))  # usually lands inside the next edit
        child.kill()
        assert child.proc.returncode == -signal.SIGKILL, child.stderr()
        lines += child.rest()  # every ack the child wrote before it died is in the pipe
        child.close()
        if "ready" not in lines:  # killed while starting: importing or opening
            killed_early += 1
        acked = acknowledged(lines)
        total_acked += acked

        # sqlite3 itself opens the file first: it recovers the -wal the child left behind.
        assert integrity(path) == "ok", f"run {run}: integrity_check failed"
        with Workspace.open(path, actor="checker") as ws:
            present = edits_present(ws, prefix)
            total = len(ws.participants()) + len(ws.scores())
        # The edit in flight at the kill is either wholly there or wholly absent.
        assert present in (set(range(acked)), set(range(acked + 1))), (
            f"run {run}: {acked} acknowledged, found {sorted(present)}"
        )
        in_flight_committed += len(present) - acked
        expected_total += len(present)
        assert total == expected_total, f"run {run}: an earlier run's edit was lost"
        # Each edit's audit row committed with it, in the same transaction.
        assert audit_counts(path).get(prefix, 0) == len(present), f"run {run}"
    seconds = time.perf_counter() - started
    print(
        f"\ncrash: {CRASH_RUNS} SIGKILLs ({killed_early} before the workspace was open), "
        f"{total_acked} acknowledged edits all found, {in_flight_committed} unacknowledged "
        f"in-flight edits found committed, {expected_total} records checked, {seconds:.1f} s"
    )


def run_together(
    tmp_path: Path, children: list[Child], mode: str, path: Path, names: list[str]
) -> tuple[list[dict], float]:
    """One child per name in `mode`, WRITER_EDITS edits each, started together; their
    summaries, each checked for no error and no busy, and the wall time in seconds."""
    writers = [Child(tmp_path, mode, str(path), name, str(WRITER_EDITS)) for name in names]
    children.extend(writers)
    for writer in writers:  # all imported and waiting: then they start together
        writer.expect("ready")
    started = time.perf_counter()
    for writer in writers:
        writer.send("go")
    summaries = []
    for name, writer in zip(names, writers, strict=True):
        lines = writer.rest(timeout=120)
        assert writer.wait() == 0, writer.stderr()
        assert lines, f"{name} printed no summary; {writer.stderr()}"
        summaries.append(json.loads(lines[-1]))
    wall = time.perf_counter() - started
    for name, summary in zip(names, summaries, strict=True):
        assert summary["busy"] == 0, f"{name}: {summary['messages']}"
        assert summary["errors"] == 0, f"{name}: {summary['messages']}"
        assert summary["done"] == WRITER_EDITS, f"{name}: {summary}"
    return summaries, wall


def test_concurrent_writers_lose_nothing_and_never_see_busy(
    tmp_path: Path, children: list[Child]
) -> None:
    path = tmp_path / "shared.rtw"
    make_workspace(path)
    names = [f"w{i}" for i in range(WRITERS)]
    summaries, wall = run_together(tmp_path, children, "writer", path, names)

    assert integrity(path) == "ok"
    with Workspace.open(path, actor="checker") as ws:
        for name in names:
            assert edits_present(ws, name) == set(range(WRITER_EDITS)), name
    assert {name: audit_counts(path).get(name) for name in names} == dict.fromkeys(
        names, WRITER_EDITS
    )
    conn = sqlite3.connect(path)
    try:  # one action number per edit, never shared between two writers' transactions
        shared = conn.execute(
            "SELECT action FROM audit GROUP BY action HAVING COUNT(DISTINCT actor) > 1"
        ).fetchall()
        actions = conn.execute(
            "SELECT COUNT(DISTINCT action) FROM audit WHERE actor LIKE 'w%'"
        ).fetchone()[0]
    finally:
        conn.close()
    assert shared == []
    assert actions == WRITERS * WRITER_EDITS

    edits = WRITERS * WRITER_EDITS
    first_end = min(s["end"] for s in summaries)
    last_start = max(s["start"] for s in summaries)
    span = max(s["end"] for s in summaries) - min(s["start"] for s in summaries)
    print(
        f"\nconcurrent: {WRITERS} writers x {WRITER_EDITS} edits = {edits} edits in "
        f"{wall:.2f} s wall ({edits / wall:.0f} edits/s; {edits / span:.0f} edits/s over the "
        f"{span:.2f} s the writers ran; all {WRITERS} ran together for "
        f"{max(0.0, first_end - last_start):.2f} s); 0 lost, 0 busy"
    )


def test_three_processes_editing_different_fields_of_one_feature_lose_no_edit(
    tmp_path: Path, children: list[Child]
) -> None:
    """Issue 22, item 8: each process reads the feature, changes its own field and saves,
    500 times; the store merges each save made from a record another one changed since."""
    path = tmp_path / "shared.rtw"
    make_workspace(path)
    fields = ["title", "expected_uplift", "costs.training"]
    summaries, wall = run_together(tmp_path, children, "editor", path, fields)

    with Workspace.open(path, actor="checker") as ws:
        feature = ws.get("features", FEATURE)
        history = [e for e in reversed(ws.audit(limit=10_000)) if e.entity_id == FEATURE]
    assert isinstance(feature, Feature)
    last = WRITER_EDITS - 1
    assert (feature.title, feature.expected_uplift, feature.costs.training) == tuple(
        field_value(field, last) for field in fields
    ), "each field holds the last value its writer wrote"
    create, *updates = history
    assert create.op == "create" and len(updates) == WRITERS * WRITER_EDITS
    assert {e.op for e in updates} == {"update"}
    for earlier, entry in itertools.pairwise(history):  # an unbroken chain: nothing put back
        assert entry.before == earlier.after, f"audit row {entry.id} does not follow {earlier.id}"
        assert changed_fields(entry.before, entry.after) == [entry.actor], entry
    for field in fields:
        written = [get_path(e.after, field) for e in updates if e.actor == field]
        assert written == [field_value(field, n) for n in range(WRITER_EDITS)], field
    merged = sum(summary["merged"] for summary in summaries)
    print(
        f"\nstale saves: {WRITERS} processes x {WRITER_EDITS} edits of one feature's fields "
        f"in {wall:.2f} s wall, {len(updates)} audited updates, {merged} saves made from a "
        "record another process changed since (merged), 0 lost"
    )


def changed_fields(before: dict, after: dict, prefix: str = "") -> list[str]:
    """The paths ("costs.training") whose values differ between two records' JSON."""
    paths = []
    for name, value in after.items():
        if isinstance(value, dict):
            paths += changed_fields(before[name], value, f"{prefix}{name}.")
        elif before[name] != value:
            paths.append(f"{prefix}{name}")
    return paths


def get_path(data: dict, path: str) -> object:
    for part in path.split("."):
        data = data[part]
    return data


def test_reader_process_sees_writer_process_commits_through_data_version(
    tmp_path: Path, children: list[Child]
) -> None:
    path = tmp_path / "live.rtw"
    make_workspace(path)
    reader = Child(tmp_path, "serve", str(path), "reader")
    writer = Child(tmp_path, "serve", str(path), "writer")
    children += [reader, writer]
    reader.expect("ready")
    writer.expect("ready")

    first = reader.ask("version")
    assert reader.ask("version") == first  # nothing committed: no change
    assert reader.ask("has seen-1") == "no"

    assert writer.ask("save seen-1") == "saved"  # a commit by a live writer process
    second = reader.ask("version")
    assert second != first
    assert reader.ask("has seen-1") == "yes"
    assert reader.ask("version") == second

    # A writer that opens, commits and exits (closing its connection) is seen too.
    once = (
        "import sys; from roadmap_tui.models import Participant; "
        "from roadmap_tui.workspace import Workspace; "
        "ws = Workspace.open(sys.argv[1], actor='once'); "
        "ws.save(Participant(id='seen-2', name='Once'), base=None); ws.close()"
    )
    done = subprocess.run(
        [sys.executable, "-c", once, str(path)],
        capture_output=True,
        text=True,
        timeout=EXIT_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    third = reader.ask("version")
    assert third != second
    assert reader.ask("has seen-2") == "yes"

    # The reader's own commit does not move its data_version; the writer sees it move.
    before = writer.ask("version")
    assert reader.ask("save seen-3") == "saved"
    assert reader.ask("version") == third
    assert writer.ask("version") != before
    assert writer.ask("has seen-3") == "yes"

    for child in (reader, writer):
        child.send("quit")
        assert child.wait() == 0, child.stderr()
    assert integrity(path) == "ok"
