"""`roadmap-tui serve`: the app in a browser, through textual-serve.

textual-serve runs one shell command per browser connection, so every tab is
its own `roadmap-tui open` process on the same workspace file: the live
sharing between sessions (PRAGMA data_version polling) is the same for a
browser as for a terminal. textual-serve has no authentication, so the server
listens on loopback unless told otherwise, and says so when it is not.
"""

from __future__ import annotations

import asyncio
import ipaddress
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

import click

from .safetext import printable

WILDCARDS = {"", "0.0.0.0", "::"}
APP_EXIT_SECONDS = 10  # a tab's app that has not quit this long after its tab closed is killed

NO_AUTH_WARNING = (
    "roadmap-tui: warning: listening on {host}, not loopback: textual-serve has no "
    "authentication, so anyone who can reach port {port} can open and edit this workspace"
)


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def public_url(host: str, port: int) -> str:
    """The address browsers are told to use for the page's assets and its websocket.

    A wildcard bind (0.0.0.0, ::) is reached through the machine's name, an IPv6
    address goes in brackets.
    """
    name = socket.gethostname() if host.strip("[]") in WILDCARDS else host.strip("[]")
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{port}"


async def _end(app_service: Any) -> None:
    """Quit a tab's app and wait for its process (textual-serve never does): none outlives
    the server, and none is reaped after the event loop has closed."""
    await app_service.stop()  # sends "quit", reads the app's output to its end
    process = app_service._process
    if process is None:
        return
    try:
        await asyncio.wait_for(process.wait(), APP_EXIT_SECONDS)
    except TimeoutError:
        process.kill()
        await process.wait()


def check_address(host: str, port: int) -> None:
    """Bind host:port once and let go, so a taken port or an unknown host fails before serving.

    Raises OSError (socket.gaierror for a name that does not resolve).
    """
    infos = socket.getaddrinfo(
        host.strip("[]") or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp does
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            probe.bind(address)


def app_command(path: Path, *, actor: str, theme: str | None) -> str:
    """The shell command textual-serve runs for each browser: this Python, `open PATH`.

    Every word is quoted with shlex, so a path or a name with spaces, quotes, `$`
    or `;` reaches the app as it is and is never run by the shell. `exec` makes
    the app the process textual-serve talks to and stops, not a shell around it.
    """
    words = [sys.executable, "-m", "roadmap_tui", "open", str(path.resolve()), f"--as={actor}"]
    if theme:
        words.append(f"--theme={theme}")
    return "exec " + shlex.join(words)


def serve(
    path: Path,
    *,
    title: str,
    actor: str,
    theme: str | None,
    host: str,
    port: int,
    url: str | None = None,
) -> None:
    """Serve the app on host:port until interrupted (ctrl+c or SIGTERM).

    Raises OSError when the address cannot be bound (port in use, unknown host).
    """
    from aiohttp import WSCloseCode  # the server's modules are imported only to serve
    from textual_serve.server import Server

    check_address(host, port)

    class _Server(Server):
        """textual-serve's Server, saying where it serves and ending its apps when stopped."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.sockets: set[Any] = set()

        async def on_startup(self, app: object) -> None:
            click.echo(
                f"roadmap-tui: serving {printable(str(path))} at {self.public_url} (ctrl+c stops)",
                err=True,
            )

        async def _process_messages(self, websocket: Any, app_service: Any) -> None:
            # Private in textual-serve (pinned exactly): the one place that has both a tab's
            # socket and its app.
            self.sockets.add(websocket)
            try:
                await super()._process_messages(websocket, app_service)
            finally:
                self.sockets.discard(websocket)
                await _end(app_service)

        async def on_shutdown(self, app: object) -> None:
            # textual-serve leaves open tabs alone, so ctrl+c would wait for them (aiohttp
            # gives up after 60 s). Closing a tab's socket quits its app, which leaves the
            # workspace cleanly, and the tab says "Session ended".
            for websocket in list(self.sockets):
                await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

    if not is_loopback(host):
        click.echo(NO_AUTH_WARNING.format(host=printable(host), port=port), err=True)
    server = _Server(
        app_command(path, actor=actor, theme=theme),
        host=host.strip("[]"),
        port=port,
        title=title,
        public_url=url or public_url(host, port),
    )
    server.serve()
