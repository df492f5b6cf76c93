"""A full disk (issue 22): "the disk is full" in one line, exit status 2, nothing left
behind, nothing lost.

No test here needs root, so none fills a real filesystem (a 1 MiB tmpfs, by hand, gave
the same lines: README, "Rules where the spec is silent"). The writes fail for real:
- the CLI runs in a child process whose RLIMIT_FSIZE stops every write past a limit
  (EFBIG, which SQLite reports as "database or disk is full" or "disk I/O error",
  as on that tmpfs); the child is told its disk has nothing free (shutil.disk_usage),
  as that tmpfs said;
- standard output is /dev/full: a real ENOSPC;
- in the app, PRAGMA max_page_count on its connection: SQLite's own SQLITE_FULL.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Label, TextArea

from roadmap_tui.errors import ExchangeError
from roadmap_tui.exchange import export_toml, write_file
from roadmap_tui.widgets.form import RecordForm
from roadmap_tui.widgets.form_values import field_id
from roadmap_tui.workspace import Workspace
from support import ACTOR, SAMPLES, app_for, make_empty, make_sample, type_keys

SAMPLE = SAMPLES / "grocery-forecasting.toml"
KIB = 1024

# The CLI with every write past `limit` bytes failing, on a disk with nothing free.
CHILD = """
import resource, shutil, sys, types
shutil.disk_usage = lambda path: types.SimpleNamespace(total=1 << 30, used=1 << 30, free=0)
limit = int(sys.argv.pop(1))
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
from roadmap_tui.cli import main
sys.argv[0] = "roadmap-tui"
main()
"""


def cli_on_a_full_disk(limit: int, *args: object) -> str:
    """What the command says on standard error; it must fail with exit status 2."""
    argv = [sys.executable, "-c", CHILD, str(limit), *map(str, args)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    return proc.stderr


def exported(path: Path) -> str:
    with Workspace.open(path, actor=ACTOR) as workspace:
        return export_toml(workspace.plan())


@pytest.mark.parametrize("limit", [4 * KIB, 64 * KIB], ids=["file", "log"])
def test_new_from_a_file_leaves_nothing(tmp_path: Path, limit: int) -> None:
    # the first write of the file, or the log of the import into it (a checkpoint that
    # failed was a traceback)
    path = tmp_path / "w.db"
    assert cli_on_a_full_disk(limit, "new", path, "--from", SAMPLE) == (
        f"roadmap-tui: cannot write {path}: the disk is full\n"
    )
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("limit", [16 * KIB, 160 * KIB], ids=["shared-memory", "log"])
def test_an_import_changes_nothing_and_leaves_no_wal_or_shm(tmp_path: Path, limit: int) -> None:
    # 16 KiB: the -shm cannot grow to the 32 KiB SQLite maps, so the file cannot even be
    # opened; that left an empty -wal and a -shm of 3 bytes, and said "disk I/O error"
    path = make_empty(tmp_path)
    before, data = exported(path), path.read_bytes()
    assert cli_on_a_full_disk(limit, "import", SAMPLE, "--into", path) == (
        f"roadmap-tui: cannot write {path}: the disk is full\n"
    )
    assert os.listdir(tmp_path) == [path.name]
    assert path.read_bytes() == data and exported(path) == before


def test_a_live_sessions_files_stay_when_another_one_finds_the_disk_full(tmp_path: Path):
    path = make_empty(tmp_path)
    with Workspace.open(path, actor=ACTOR) as live:
        live.heartbeat(live.join())  # the -wal and the -shm are this session's
        cli_on_a_full_disk(16 * KIB, "import", SAMPLE, "--into", path)
        assert {f"{path.name}-wal", f"{path.name}-shm"} <= set(os.listdir(tmp_path))
        assert live.features() == [] and live.info().name == "empty"


def test_an_export_to_a_file_leaves_no_partial_file(tmp_path: Path) -> None:
    source = make_sample(tmp_path)
    out = tmp_path / "out" / "w.toml"
    out.parent.mkdir()
    line = cli_on_a_full_disk(64 * KIB, "export", source, "-o", out)
    assert line.startswith(f"roadmap-tui: cannot write {out}: ")  # "File too large": EFBIG
    assert os.listdir(out.parent) == []


def test_an_export_to_a_full_standard_output_is_one_line(tmp_path: Path) -> None:
    # a traceback ended it, and another as Python flushed standard output on the way out
    source = make_sample(tmp_path)
    with open(os.devnull if not Path("/dev/full").exists() else "/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "roadmap_tui", "export", str(source)],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    assert (proc.returncode, proc.stderr) == (
        2, "roadmap-tui: cannot write standard output: the disk is full\n",
    )  # fmt: skip


def test_a_file_written_on_a_full_disk_is_said_so_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:  # what the disk says when the data reaches it: ENOSPC
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ExchangeError) as refused:
        write_file(tmp_path / "w.toml", "x = 1\n")
    assert refused.value.problems == [f"cannot write {tmp_path / 'w.toml'}: the disk is full"]
    assert os.listdir(tmp_path) == []


async def test_a_form_saved_on_a_full_disk_says_so_and_keeps_what_was_typed(
    tmp_path: Path,
) -> None:
    path = make_sample(tmp_path)
    app = app_for(path)
    description = "A description longer than a page of the file. " * 200
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await type_keys(pilot, "m", "n")
        form = app.screen
        assert isinstance(form, RecordForm)
        await type_keys(pilot, *"Disk full")
        form.query_one(f"#{field_id('description')} TextArea", TextArea).text = description
        # no page more for the file: the description needs several (the workspace's only
        # connection, so reached directly)
        pages = app.workspace._conn.execute("PRAGMA page_count").fetchone()[0]
        app.workspace._conn.execute(f"PRAGMA max_page_count = {pages}")
        await type_keys(pilot, "ctrl+s")
        assert app.screen is form, "the form stays open: nothing typed is lost"
        error = str(form.query_one("#form-error", Label).content)
        assert error == f"cannot write {path}: the disk is full"
        app.workspace._conn.execute(f"PRAGMA max_page_count = {pages * 100}")  # room again
        await type_keys(pilot, "ctrl+s")
        assert app.screen is not form
    with Workspace.open(path, actor=ACTOR) as workspace:
        assert {f.id: f.description for f in workspace.features()}["disk-full"] == description


async def test_the_app_goes_on_and_quits_cleanly_when_its_small_writes_are_refused(
    tmp_path: Path,
) -> None:
    # On a full tmpfs the theme (ctrl+t) and leaving at quit raised out of the app: what
    # they write may be lost, nothing else. Any refusal takes that path; here SQLite's
    # query_only, since a deleted row or a changed preference needs no new page.
    path = make_sample(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.workspace._conn.execute("PRAGMA query_only = 1")
        await type_keys(pilot, "ctrl+t")
        assert "Theme not remembered" in [n.title for n in app._notifications]
    assert app.return_code in (None, 0) and app._exception is None
