"""The CLI: each command's happy path, and every failure is one line, exit 2, files untouched."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from roadmap_tui.cli import main
from roadmap_tui.errors import WorkspaceError
from roadmap_tui.state import WorkspaceState

SAMPLES = Path(__file__).parent.parent / "sample_workspaces"
GOOD = 'format = "roadmap-tui/1"\n[workspace]\nname = "Imported"\n'


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--as", "tester"] if _writes(args) else list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _writes(args: tuple[str, ...]) -> bool:
    return args[0] in {"new", "import"}


def fails_cleanly(args: tuple[str, ...], *untouched: Path) -> str:
    """Run a failing command; return its message after checking the contract of SPEC section 4."""
    before = {p: p.read_bytes() if p.exists() else None for p in untouched}
    siblings = {p: sorted(p.parent.iterdir()) for p in untouched if p.parent.exists()}
    code, out, err = run(*args)
    assert code == 2, (out, err)
    assert "Traceback" not in out + err
    assert err.startswith("roadmap-tui: ")
    for path, data in before.items():
        assert (path.read_bytes() if path.exists() else None) == data, path
    for path, listing in siblings.items():
        assert sorted(path.parent.iterdir()) == listing, "a file was left behind"
    return err


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "w.db"
    assert run("new", str(path))[0] == 0
    return path


def test_new_starts_with_the_starter_criteria(workspace: Path) -> None:
    doc = tomllib.loads(run("export", str(workspace))[1])
    assert doc["workspace"]["name"] == "w"
    ids = [c["id"] for c in doc["criteria"]]
    assert ids == [
        "business_value",
        "compliance_readiness",
        "data_availability",
        "model_risk",
        "monitoring_readiness",
    ]
    assert doc["criteria"][ids.index("model_risk")]["higher_is_better"] is False


def test_new_refuses_an_existing_file(workspace: Path) -> None:
    assert "exists" in fails_cleanly(("new", str(workspace)), workspace)


def test_new_in_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "w.db"
    fails_cleanly(("new", str(target)), target)
    assert not target.parent.exists()


@pytest.mark.parametrize(
    "text",
    ["format = \n", 'format = "roadmap-tui/1"\n[[features]]\nid = "x"\n', "\xff\xfe"],
    ids=["syntax", "invalid-record", "not-utf8"],
)
def test_new_from_a_bad_file_leaves_nothing(tmp_path: Path, text: str) -> None:
    source = tmp_path / "bad.toml"
    source.write_bytes(text.encode("latin-1"))
    target = tmp_path / "w.db"
    fails_cleanly(("new", str(target), "--from", str(source)), target, source)


def test_new_from_a_file_with_a_bad_reference_leaves_nothing(tmp_path: Path) -> None:
    source = tmp_path / "bad.toml"
    source.write_text(GOOD + '[[features]]\nid = "a"\ntitle = "A"\n[[features.needs]]\n'
                      'capability = "fs"\nrequired_maturity = 2\n')  # fmt: skip
    target = tmp_path / "w.db"
    err = fails_cleanly(("new", str(target), "--from", str(source)), target)
    assert "features[0].needs[0].capability: unknown capability 'fs'" in err


def test_new_failing_after_the_records_are_written_leaves_nothing(tmp_path: Path, monkeypatch):
    def fail(state: WorkspaceState) -> None:
        raise WorkspaceError("the overview could not be kept")

    monkeypatch.setattr(WorkspaceState, "keep_overview", fail)
    source = tmp_path / "good.toml"
    source.write_text(GOOD)
    target = tmp_path / "w.db"
    err = fails_cleanly(("new", str(target), "--from", str(source)), target)
    assert err == "roadmap-tui: the overview could not be kept\n"


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("  ", "is required and cannot be blank"),
        # a command line's bytes that are not UTF-8 arrive as lone surrogates
        ("\udcff", "must be valid Unicode (it holds a lone surrogate)"),
    ],
    ids=["blank", "not-utf8"],
)
@pytest.mark.parametrize("source", [False, True], ids=["starter", "from-a-file"])
def test_a_bad_name_is_one_line(tmp_path: Path, name: str, said: str, source: bool) -> None:
    good = tmp_path / "in.toml"
    good.write_text(GOOD)
    target = tmp_path / "w.db"
    args = ("new", str(target), "--name", name, *(("--from", str(good)) if source else ()))
    assert fails_cleanly(args, target) == f"roadmap-tui: --name: {said}\n"


def test_a_file_name_that_is_not_utf8_names_the_workspace_readably(tmp_path: Path) -> None:
    target = tmp_path / "q\udcff-plan.db"
    assert run("new", str(target))[0] == 0
    assert tomllib.loads(run("export", str(target))[1])["workspace"]["name"] == "q\ufffd plan"


def test_import_upserts_and_a_failing_import_changes_nothing(workspace: Path, tmp_path: Path):
    source = tmp_path / "in.toml"
    source.write_text(GOOD + '[[participants]]\nid = "ana"\nname = "Ana"\n')
    assert run("import", str(source), "--into", str(workspace))[0] == 0
    doc = tomllib.loads(run("export", str(workspace))[1])
    assert doc["workspace"]["name"] == "Imported"
    assert [p["id"] for p in doc["participants"]] == ["ana"]

    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD + '[[scores]]\nfeature = "nope"\ncriterion = "model_risk"\nvalue = 9\n')
    err = fails_cleanly(("import", str(bad), "--into", str(workspace)), workspace)
    assert "scores[0].feature: unknown feature 'nope'" in err
    assert "scores[0].value: 9 is outside model_risk's range [1, 5]" in err


def test_export_writes_a_file_and_never_overwrites_without_force(workspace: Path, tmp_path):
    out = tmp_path / "out.toml"
    assert run("export", str(workspace), "-o", str(out))[0] == 0
    first = out.read_bytes()
    out.write_text("keep me")
    assert "--force" in fails_cleanly(("export", str(workspace), "-o", str(out)), out)
    assert run("export", str(workspace), "-o", str(out), "--force")[0] == 0
    assert out.read_bytes() == first


def test_export_into_a_missing_folder(workspace: Path, tmp_path: Path) -> None:
    fails_cleanly(("export", str(workspace), "-o", str(tmp_path / "no" / "x.toml")), workspace)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("import", "{good}", "--into", "{folder}"), "File '{folder}' is a directory"),
        (("export", "{folder}"), "File '{folder}' is a directory"),
        (("new", "{folder}"), "File '{folder}' is a directory"),
        (("serve", "{workspace}", "--port", "0"), "0 is not in the range 1<=x<=65535"),
    ],
    ids=["import-into-a-folder", "export-a-folder", "new-a-folder", "serve-port-0"],
)
def test_a_usage_error_is_one_line(workspace: Path, args: tuple[str, ...], said: str) -> None:
    names = {
        "good": workspace.parent / "in.toml",
        "folder": workspace.parent,
        "workspace": workspace,
    }
    names["good"].write_text(GOOD)
    code, out, err = run(*(arg.format(**names) for arg in args))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("roadmap-tui: ")
    assert said.format(**names) in err


def test_help_is_still_the_whole_help() -> None:
    code, out, _ = run("import", "--help")
    assert code == 0
    assert out.startswith("Usage: ") and "--into" in out


def test_opening_a_missing_workspace(tmp_path: Path) -> None:
    target = tmp_path / "missing.db"
    assert "no workspace" in fails_cleanly(("export", str(target)), target)
    assert not target.exists()


def bad_workspaces(tmp_path: Path, workspace: Path) -> dict[str, Path]:
    text = tmp_path / "notes.db"
    text.write_text("these are not the droids\n" * 100)
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(workspace.read_bytes()[:1500])
    corrupt = tmp_path / "corrupt.db"  # a sound header, table pages overwritten: quick_check
    data = bytearray(workspace.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page : 3 * page] = b"\xa5" * (2 * page)
    corrupt.write_bytes(bytes(data))
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as db:
        db.execute("create table t (x)")
    db.close()
    newer = tmp_path / "newer.db"
    newer.write_bytes(workspace.read_bytes())
    with sqlite3.connect(newer) as db:
        db.execute("pragma user_version = 999")
    db.close()
    return {
        "text": text,
        "truncated": truncated,
        "corrupt": corrupt,
        "foreign": foreign,
        "newer": newer,
    }


@pytest.mark.parametrize("case", ["text", "truncated", "corrupt", "foreign", "newer"])
@pytest.mark.parametrize("command", ["export", "import", "open"])
def test_bad_workspace_files_are_refused_untouched(
    tmp_path: Path, workspace: Path, case: str, command: str
) -> None:
    path = bad_workspaces(tmp_path, workspace)[case]
    source = tmp_path / "in.toml"
    source.write_text(GOOD)
    args = {
        "export": ("export", str(path)),
        "import": ("import", str(source), "--into", str(path)),
        "open": ("open", str(path)),
    }[command]
    fails_cleanly(args, path)


def test_a_real_process_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("format = [\n")
    proc = subprocess.run(
        [sys.executable, "-m", "roadmap_tui", "new", str(tmp_path / "w.db"), "--from", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(
        "roadmap-tui: line 2, column 1: "
    )
    assert not (tmp_path / "w.db").exists()


@pytest.mark.parametrize("command", ["import", "new"])
def test_a_file_nested_500_levels_deep_is_one_line(workspace: Path, command: str) -> None:
    source = workspace.parent / "deep.toml"
    source.write_text("a = " + "[" * 500 + "]" * 500)
    target = workspace.parent / "new.db"
    args = {
        "import": ("import", str(source), "--into", str(workspace)),
        "new": ("new", str(target), "--from", str(source)),
    }[command]
    err = fails_cleanly(args, workspace, target)
    assert err == "roadmap-tui: line 1, column 37: nested more than 32 levels deep\n"


def test_a_file_larger_than_64_mib_is_refused_unread(workspace: Path) -> None:
    source = workspace.parent / "big.toml"
    with source.open("wb") as sparse:  # no disk used: a hole
        sparse.truncate(65 * 1024 * 1024)
    err = fails_cleanly(("import", str(source), "--into", str(workspace)), workspace)
    assert err == f"roadmap-tui: {source} is larger than 64 MiB\n"


def test_a_fifo_is_refused_without_waiting_for_a_writer(workspace: Path) -> None:
    fifo = workspace.parent / "pipe.toml"
    os.mkfifo(fifo)
    # A real process: were the FIFO opened, it would wait for a writer until the timeout.
    proc = subprocess.run(
        [sys.executable, "-m", "roadmap_tui", "import", str(fifo), "--into", str(workspace)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (proc.returncode, proc.stderr) == (2, f"roadmap-tui: {fifo} is not a regular file\n")


def test_a_file_with_a_byte_order_mark_imports(workspace: Path) -> None:
    source = workspace.parent / "bom.toml"
    source.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert run("import", str(source), "--into", str(workspace))[0] == 0
    assert tomllib.loads(run("export", str(workspace))[1])["workspace"]["name"] == "Imported"


@pytest.mark.parametrize("sample", sorted(p.stem for p in SAMPLES.glob("*.toml")))
def test_samples_round_trip_byte_identically(tmp_path: Path, sample: str) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    assert run("new", str(first), "--from", str(SAMPLES / f"{sample}.toml"))[0] == 0
    exported = run("export", str(first))[1]
    assert run("export", str(first))[1] == exported
    again = tmp_path / "again.toml"
    again.write_text(exported)
    assert run("new", str(second), "--from", str(again))[0] == 0
    assert run("export", str(second))[1] == exported


def test_demo_copies_a_sample_and_leaves_the_shipped_file_alone(tmp_path: Path) -> None:
    from roadmap_tui.cli import make_demo

    shipped = SAMPLES / "bank-fraud-credit.toml"
    before = shipped.read_bytes()
    path = make_demo("bank-fraud-credit", tmp_path, actor="tester")
    assert path.parent == tmp_path
    doc = tomllib.loads(run("export", str(path))[1])
    assert doc["workspace"]["name"].startswith("Northgate Bank")
    assert shipped.read_bytes() == before


def test_read_only_workspace_is_refused_untouched(workspace: Path, monkeypatch) -> None:
    # Root ignores permission bits; test_workspace.py covers a real read-only user too.
    real_access = os.access
    monkeypatch.setattr(
        "os.access", lambda path, mode, **kw: not mode & os.W_OK and real_access(path, mode, **kw)
    )
    source = workspace.parent / "in.toml"
    source.write_text(GOOD)
    assert "read-only" in fails_cleanly(
        ("import", str(source), "--into", str(workspace)), workspace
    )


def test_as_sets_who_the_audit_log_records(tmp_path: Path) -> None:
    from roadmap_tui.workspace import Workspace

    path = tmp_path / "w.db"
    result = CliRunner().invoke(main, ["new", str(path), "--as", "Ana Ruiz"])
    assert result.exit_code == 0
    with Workspace.open(path, actor="reader") as workspace:
        assert {entry.actor for entry in workspace.audit()} == {"Ana Ruiz"}


# -- numbers beyond SPEC section 1's Bounds (issue 22): refused before anything is written ---

BLOCKED = '[[capabilities]]\nid = "fs"\nname = "FS"\n' + "".join(
    f'[[features]]\nid = "{f}"\ntitle = "{f}"\nexpected_uplift = 1.7e308\n'
    '[[features.needs]]\ncapability = "fs"\nrequired_maturity = 2\n'
    for f in "ab"
)
MONEY_MAX = "must be at most 1,000,000,000,000,000"


def _criteria(*fields: str) -> str:
    return "".join(f'[[criteria]]\nid = "c{i}"\nname = "C"\n{f}\n' for i, f in enumerate(fields))


@pytest.mark.parametrize(
    ("records", "problems"),
    [
        (BLOCKED, [f"features[0].expected_uplift: {MONEY_MAX}",
                   f"features[1].expected_uplift: {MONEY_MAX}"]),
        (_criteria("weight = 1e308", "weight = 1e308"),
         ["criteria[0].weight: must be at most 1,000,000",
          "criteria[1].weight: must be at most 1,000,000"]),
        ('[[features]]\nid = "a"\ntitle = "A"\n[features.costs]\ntraining = 1e308\n'
         "deployment = 1e308\n",
         [f"features[0].costs.training: {MONEY_MAX}",
          f"features[0].costs.deployment: {MONEY_MAX}"]),
        ("".join(f'[[risks]]\nid = "r{i}"\ntitle = "R"\nlikelihood = 5\nimpact = 5\n'
                 "exposure = 1.7e308\n" for i in range(2)),
         [f"risks[0].exposure: {MONEY_MAX}", f"risks[1].exposure: {MONEY_MAX}"]),
        (_criteria("min = -1e308\nmax = 1e308"),
         ["criteria[0].min: must be -1,000,000,000 or more",
          "criteria[0].max: must be at most 1,000,000,000"]),
        (_criteria("min = 1\nmax = 1.0000000001"),
         ["criteria[0]: max (1) must be at least 0.000001 more than min (1)"]),
        ('[[participants]]\nid = "p"\nname = "P"\n[[features]]\nid = "a"\ntitle = "A"\n'
         + _criteria("max = 1.7e308")
         + "".join(f'[[scores]]\nfeature = "a"\ncriterion = "c0"\nparticipant = "{p}"\n'
                   f"value = 1.7e308\n" for p in ("", "p")),
         ["criteria[0].max: must be at most 1,000,000,000",
          "scores[0].value: must be at most 1,000,000,000",
          "scores[1].value: must be at most 1,000,000,000"]),
        ('[[decisions]]\nid = "d"\ntitle = "D"\ndate = 2027-01-01\noutcome = "approved"\n'
         '[[decisions.snapshot]]\nfeature = "a"\nrank = 100000000000000000000000000000\n',
         ["decisions[0].snapshot[0].rank: must be at most 9,223,372,036,854,775,807"]),
        ('[[features]]\nid = "a"\ntitle = "A"\nexpected_uplift = nan\n',
         ["features[0].expected_uplift: must be a finite number"]),
    ],
    ids=["uplift", "weights", "costs", "exposures", "criterion-range", "tiny-range",
         "mean-of-huge-votes", "snapshot-rank", "nan"],
)  # fmt: skip
def test_numbers_beyond_the_bounds_are_refused_with_their_path(
    workspace: Path, tmp_path: Path, records: str, problems: list[str]
) -> None:
    source = tmp_path / "big.toml"
    source.write_text(GOOD.replace('"Imported"\n', '"Imported"\naggregation = "mean"\n') + records)
    err = fails_cleanly(("import", str(source), "--into", str(workspace)), workspace)
    assert err.splitlines() == [f"roadmap-tui: {line}" for line in problems]
    assert run("export", str(workspace))[0] == 0  # and the workspace still exports
