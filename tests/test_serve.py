"""`roadmap-tui serve`: the command textual-serve runs, the address it binds, its failures.

Nothing here opens a port for long: textual-serve's `Server.serve` is replaced by a
recorder, except in the real-process tests, which fail before serving. The served app
itself is driven in a browser by test_browser.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from roadmap_tui.cli import main
from roadmap_tui.serve import app_command, is_loopback, public_url
from support import free_port, make_sample

HOSTILE_FOLDER = "a b 'c' \"d\" $HOME `id`; e & f"


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """Record each Server that `serve` would run, instead of running it."""
    from textual_serve.server import Server

    calls: list[dict[str, object]] = []

    def record(self: Server, debug: bool = False) -> None:
        calls.append(
            {"command": self.command, "host": self.host, "port": self.port,
             "url": self.public_url, "title": self.title}
        )  # fmt: skip

    monkeypatch.setattr(Server, "serve", record)
    monkeypatch.setattr("roadmap_tui.serve.check_address", lambda host, port: None)
    return calls


def serve(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["serve", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_the_command_is_quoted_for_the_shell(tmp_path: Path, monkeypatch) -> None:
    """Run the command through a real shell: every word arrives exactly, nothing is run."""
    folder = tmp_path / HOSTILE_FOLDER
    folder.mkdir()
    path = folder / "w x.db"
    echo = folder / "python here"  # stands in for sys.executable: prints its arguments
    echo.write_text('#!/bin/sh\nprintf "%s\\0" "$@"\n')
    echo.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(echo))
    actor = "Ana 'O Ruiz\" $(touch pwned)"

    command = app_command(path, actor=actor, theme="roadmap-projector")
    out = subprocess.run(["sh", "-c", command], capture_output=True, cwd=tmp_path, check=True)

    words = out.stdout.decode().split("\0")[:-1]
    assert words == [
        "-m", "roadmap_tui", "open", str(path), f"--as={actor}", "--theme=roadmap-projector"
    ]  # fmt: skip
    assert not (tmp_path / "pwned").exists()
    assert shlex.split(command)[:2] == ["exec", str(echo)]


def test_the_path_is_made_absolute_and_no_theme_means_none(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    words = shlex.split(app_command(Path("w.db"), actor="ana", theme=None))
    assert words[1:] == [sys.executable, "-m", "roadmap_tui", "open", str(tmp_path / "w.db"),
                         "--as=ana"]  # fmt: skip


def test_serve_binds_loopback_by_default_and_does_not_warn(tmp_path: Path, served) -> None:
    path = make_sample(tmp_path)
    code, _, err = serve(str(path), "--as", "Ana Ruiz")
    assert code == 0, err
    [call] = served
    assert (call["host"], call["port"], call["url"]) == ("127.0.0.1", 8000, "http://127.0.0.1:8000")
    assert call["title"].startswith("FreshCart")
    assert shlex.split(call["command"])[-2:] == [str(path), "--as=Ana Ruiz"]
    assert "warning" not in err and "authentication" not in err


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("0.0.0.0", f"http://{socket.gethostname()}:8123"),
        ("", f"http://{socket.gethostname()}:8123"),
    ],
)
def test_serve_warns_when_others_can_reach_it(tmp_path: Path, served, host: str, url: str) -> None:
    path = make_sample(tmp_path)
    code, _, err = serve(str(path), "--host", host, "--port", "8123", "--theme", "roadmap-contrast")
    assert code == 0, err
    [call] = served
    assert (call["host"], call["port"], call["url"]) == (host, 8123, url)
    assert call["command"].endswith("--theme=roadmap-contrast")
    warning = err.splitlines()[0]
    assert warning.startswith("roadmap-tui: warning:")
    assert "no authentication" in warning and "anyone" in warning and "8123" in warning


def test_public_url_can_be_given(tmp_path: Path, served) -> None:
    path = make_sample(tmp_path)
    code, _, err = serve(str(path), "--public-url", "http://localhost:9000")
    assert code == 0, err
    assert served[0]["url"] == "http://localhost:9000"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True),
     ("[::1]", True), ("0.0.0.0", False), ("::", False), ("", False), ("192.0.2.7", False),
     ("example.org", False)],
)  # fmt: skip
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_public_url_brackets_ipv6() -> None:
    assert public_url("::1", 8000) == "http://[::1]:8000"
    assert public_url("localhost", 80) == "http://localhost:80"


@pytest.mark.parametrize("case", ["missing", "not a workspace", "a folder"])
def test_a_bad_workspace_fails_before_serving(tmp_path: Path, served, case: str) -> None:
    path = tmp_path / "w.db"
    if case == "not a workspace":
        path.write_text("these are not the droids\n" * 100)
    elif case == "a folder":
        path.mkdir()
    code, out, err = serve(str(path))
    assert code == 2
    assert err.startswith("roadmap-tui: ")
    assert "Traceback" not in out + err
    assert err.count("\n") == 1
    assert served == []
    assert not (tmp_path / "w.db-wal").exists()


def _real_serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "roadmap_tui", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_a_real_process_with_a_missing_workspace_prints_one_line(tmp_path: Path) -> None:
    proc = _real_serve(str(tmp_path / "nope.db"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("roadmap-tui: no workspace")
    assert proc.stdout == ""


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = make_sample(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _real_serve(str(path), "--port", str(port))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == f"roadmap-tui: cannot serve on 127.0.0.1:{port}: Address already in use\n"
    assert "Traceback" not in proc.stdout + proc.stderr


def test_an_unknown_host_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = make_sample(tmp_path)
    proc = _real_serve(str(path), "--host", "no-such-host.invalid", "--port", "8124")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1, "fails before the warning and before serving"
    assert proc.stderr.startswith("roadmap-tui: cannot serve on no-such-host.invalid:8124: ")
    assert "Traceback" not in proc.stdout + proc.stderr


def test_a_real_server_serves_the_page_with_the_name_as_text(tmp_path: Path) -> None:
    """The page names the workspace, escaped; its websocket URL is this host and port."""
    from roadmap_tui.models import Plan, WorkspaceInfo
    from roadmap_tui.workspace import Workspace

    path = tmp_path / "w.db"
    name = '<img src=x onerror=alert(1)> & "q" \x1b[31mred'
    Workspace.create(path, Plan(workspace=WorkspaceInfo(name=name)), actor="tester").close()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "roadmap_tui", "serve", str(path), "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        page = _get(f"http://127.0.0.1:{port}/", server)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    assert server.returncode == 0, "ctrl+c stops the server cleanly"
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;q&#34; ␛[31mred" in page
    assert "<img" not in page and "\x1b" not in page
    assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
    err = server.stderr.read().decode()
    assert err.startswith(f"roadmap-tui: serving {path} at http://127.0.0.1:{port} "), err


def _get(url: str, server: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 20
    while True:
        assert server.poll() is None, server.stderr.read().decode()
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            assert time.monotonic() < deadline, "the server never answered"
            time.sleep(0.1)


async def test_ctrl_c_with_a_tab_open_ends_its_app_and_the_server(tmp_path: Path) -> None:
    """No browser needed: a websocket client is a tab to textual-serve."""
    import aiohttp

    from roadmap_tui.workspace import Workspace

    path = make_sample(tmp_path)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "roadmap_tui", "serve", str(path), "--port", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        async with aiohttp.ClientSession() as session:
            deadline = time.monotonic() + 20
            while True:
                assert server.poll() is None, log.read_text()
                try:
                    socket_ = await session.ws_connect(
                        f"ws://127.0.0.1:{port}/ws?width=80&height=24"
                    )
                    break
                except aiohttp.ClientError:
                    assert time.monotonic() < deadline, "the server never answered"
                    await asyncio.sleep(0.1)
            drawn = b""
            while b"Overview" not in drawn:  # the app has started and drawn its first screen
                message = await socket_.receive(timeout=20)
                assert message.type == aiohttp.WSMsgType.BINARY, message
                drawn += message.data
            with Workspace.open(path, actor="reader") as workspace:
                assert len(workspace.present("")) == 1

            started = time.monotonic()
            server.send_signal(signal.SIGINT)
            while not socket_.closed:  # the tab is told, then closed
                await socket_.receive(timeout=15)
            await socket_.close()
        assert server.wait(timeout=15) == 0
        assert time.monotonic() - started < 10, "ctrl+c waited for the open tab to close"
        with pytest.raises(ProcessLookupError):  # the group is empty: no app outlived it
            os.killpg(server.pid, 0)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # the server and every app it started
        server.wait(timeout=10)
    with Workspace.open(path, actor="reader") as workspace:
        assert workspace.present("") == [], "the tab's app left the workspace cleanly"
    text = log.read_text()
    assert "Traceback" not in text and "Exception ignored" not in text, text
