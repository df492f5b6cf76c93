"""The `roadmap-tui` command: create, import, export, open, demo and serve workspaces.

Every failure a user can cause is one line on stderr (one per problem for a
bad file) and exit status 2, with no traceback and the workspace untouched.
"""

from __future__ import annotations

import getpass
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from .collector import bulk
from .errors import ExchangeError, ImportRefused, WorkspaceError
from .safetext import printable
from .workspace import Workspace, preflight

if TYPE_CHECKING:
    from .models import Plan

# What only some commands need (TOML exchange, the report, the starter criteria, the
# bundled samples) is imported inside them, so that `open` starts sooner (issue 10, B1).

SAMPLES = ("grocery-forecasting", "bank-fraud-credit")


def default_actor() -> str:
    """Who the audit log records when `--as` is not given: the login name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, as in some containers
        return "unknown"


def _fail(problems: list[str]) -> NoReturn:
    for line in problems:
        click.echo(f"roadmap-tui: {printable(line)}", err=True)
    sys.exit(2)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn the errors a user can cause into one line each and exit status 2."""
    try:
        yield
    except (ImportRefused, ExchangeError) as error:
        _fail(error.problems)
    except WorkspaceError as error:
        _fail([str(error)])


def _as_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--as",
        "actor",
        metavar="NAME",
        default=default_actor,
        show_default="your login name",
        help="Who the audit log records for the changes you make. In the app, a "
        "participant's id or name votes as them; 'facilitator' votes the consensus; any "
        "other name is asked, once, whom to vote as.",
    )(command)


@contextmanager
def _usage_in_one_line() -> Iterator[None]:
    """A usage error (a bad option, a folder for a file) as one line, not click's four."""
    try:
        yield
    except click.exceptions.NoArgsIsHelpError:
        raise  # no command at all: the help is the answer
    except click.UsageError as error:
        message = error.format_message().removesuffix(".")
        hint = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
        _fail([f"{message[:1].lower()}{message[1:]}{hint}"])


class _Group(click.Group):
    """The command group, with every usage error said in one line (exit status 2)."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _usage_in_one_line():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with _usage_in_one_line():  # the command's own options are parsed in here
            return super().invoke(ctx)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="roadmap-tui")
def main() -> None:
    """Align a product roadmap with MLOps capabilities, live, in a terminal."""


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--from",
    "source",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Start from this TOML file instead of the starter criteria.",
)
@click.option("--name", help="The workspace's name (default: from PATH).")
@_as_option
def new(path: Path, source: Path | None, name: str | None, actor: str) -> None:
    """Create a workspace at PATH (never replaces an existing file)."""
    from .exchange import read_toml
    from .models import Plan, WorkspaceInfo
    from .starter import STARTER_CRITERIA

    with _user_errors():
        if source is not None:
            plan = read_toml(source)
        else:
            info = WorkspaceInfo(name=_title(path))
            plan = Plan(workspace=info, criteria=list(STARTER_CRITERIA))
        if name:
            _rename(plan, name)
        workspace = Workspace.create(path, plan, actor=actor)
        try:
            _keep_overview(workspace)
        except BaseException:  # a failed `new` leaves no file, however late it fails
            workspace.discard()
            raise
        workspace.close()
    click.echo(f"created {printable(str(path))}", err=True)


def _title(path: Path) -> str:
    """The name a new workspace gets from its file's name."""
    # A file name's bytes that are not UTF-8 arrive as lone surrogates, which no text holds.
    stem = path.stem.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return stem.replace("-", " ").replace("_", " ").strip() or "Roadmap"


def _rename(plan: Plan, name: str) -> None:
    from pydantic import ValidationError

    from .models import describe_errors

    try:
        plan.workspace.name = name
    except ValidationError as error:  # blank, or bytes that are not UTF-8
        _fail([f"--name: {line.removeprefix('name: ')}" for line in describe_errors(error)])


@main.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--into",
    "path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The workspace to import into.",
)
@_as_option
def import_(source: Path, path: Path, actor: str) -> None:
    """Upsert every record of SOURCE (TOML) into a workspace, by id, all or nothing."""
    from .exchange import read_toml

    with _user_errors():
        plan = read_toml(source)
        with Workspace.open(path, actor=actor) as workspace:
            summary = workspace.apply(plan)
            _keep_overview(workspace)
    click.echo(f"imported {printable(str(source))}: {summary}", err=True)


def _keep_overview(workspace: Workspace) -> None:
    """Keep the changed workspace's Overview in it: the next start draws it at once."""
    from .state import WorkspaceState

    WorkspaceState(workspace).keep_overview()


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option("--decisions-only", is_flag=True, help="Only decisions and what they refer to.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["toml", "markdown"]),
    default="toml",
    show_default=True,
    help="toml: the exchange format; markdown: a decision report to read and share.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
def export(path: Path, output: Path | None, decisions_only: bool, fmt: str, force: bool) -> None:
    """Export a workspace as TOML (format roadmap-tui/1) or a Markdown decision report."""
    from .exchange import export_toml, write_file
    from .report import markdown_report

    with _user_errors():
        with Workspace.open(path, actor=default_actor()) as workspace:
            plan = workspace.plan()
        if fmt == "markdown":
            text = markdown_report(plan)
        else:
            text = export_toml(plan, decisions_only=decisions_only)
        if output is None:
            _to_stdout(text)
        else:
            write_file(output, text, force=force)
            click.echo(f"wrote {printable(str(output))}", err=True)


def _to_stdout(text: str) -> None:
    """Write `text` to standard output, saying in one line why it could not be written."""
    from .storage import FULL_ERRNOS

    try:
        click.echo(text, nl=False)
        sys.stdout.flush()
    except OSError as error:
        # what is left in the buffer would fail again, with a traceback, as Python exits
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        why = "the disk is full" if error.errno in FULL_ERRNOS else error.strerror or str(error)
        _fail([f"cannot write standard output: {why}"])


def _check_theme(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from .themes import THEME_NAMES  # imports textual: only when a theme is asked for

    if value not in THEME_NAMES:
        raise click.BadParameter(f"choose one of {', '.join(THEME_NAMES)}")
    return value


def _theme_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--theme",
        metavar="NAME",
        callback=_check_theme,
        help="roadmap-dark, roadmap-projector (light) or roadmap-contrast; remembered for "
        "the workspace (ctrl+t cycles them in the app).",
    )(command)


@main.command("open")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@_as_option
@_theme_option
def open_(path: Path, actor: str, theme: str | None) -> None:
    """Open a workspace in the terminal app."""
    with _user_errors():
        _run_app(path, actor, theme)


@main.command()
@click.argument("sample", type=click.Choice(SAMPLES), default=SAMPLES[0])
@_as_option
@_theme_option
def demo(sample: str, actor: str, theme: str | None) -> None:
    """Open a fresh copy of a bundled sample workspace (the shipped file is never changed)."""
    with _user_errors():
        path = make_demo(sample, Path(tempfile.mkdtemp(prefix="roadmap-tui-demo-")), actor=actor)
        _run_app(path, actor, theme)
    click.echo(f"the demo workspace is kept at {printable(str(path))}", err=True)


def make_demo(sample: str, folder: Path, *, actor: str) -> Path:
    """Create `folder/SAMPLE.db` from the bundled sample TOML and return its path."""
    from importlib import resources

    from .exchange import read_toml

    source = resources.files("roadmap_tui") / "sample_workspaces" / f"{sample}.toml"
    path = folder / f"{sample}.db"
    with resources.as_file(source) as toml_path:
        Workspace.create(path, read_toml(toml_path), actor=actor).close()
    return path


def _run_app(path: Path, actor: str, theme: str | None) -> None:
    with bulk():  # no garbage collection until the app's first frame (collector.py)
        # The file's preflight is mostly SQLite's integrity check, which runs without the
        # GIL: on another core, while the UI's modules import (issue 10, B1).
        with ThreadPoolExecutor(max_workers=1) as pool:
            checked = pool.submit(preflight, path)
            from .app import make_app  # the UI is imported only when it is started

            app = make_app(path, actor=actor, theme=theme, checked=checked, join=True)
        app.run()
    if app.return_code:
        sys.exit(app.return_code)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on. Anything but loopback lets others in: there is no login.",
)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The port."
)
@click.option(
    "--public-url",
    "url",
    metavar="URL",
    help="The address browsers reach the server at, if not http://HOST:PORT "
    "(behind a proxy or an SSH tunnel to another port).",
)
@_as_option
@_theme_option
def serve(path: Path, host: str, port: int, url: str | None, actor: str, theme: str | None) -> None:
    """Share the app in a browser (textual-serve): each tab runs its own session on PATH."""
    from .serve import serve as run_server

    with _user_errors(), Workspace.open(path, actor=actor) as workspace:
        title = printable(workspace.info().name)  # a bad file is refused here, before serving
    try:
        run_server(path, title=title, actor=actor, theme=theme, host=host, port=port, url=url)
    except OSError as error:  # the port is taken, the host unknown
        _fail([f"cannot serve on {host}:{port}: {error.strerror or error}"])


if __name__ == "__main__":  # pragma: no cover
    main()
