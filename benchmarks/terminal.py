"""A program in a real pseudo-terminal: what it writes, and when.

The benchmarks that the issue wants "in a real pty" (start-up, bytes per
keystroke) run the program here, exactly as a terminal would: a pty of a given
size, TERM=xterm-256color, output read as it comes.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence

ESCAPE = re.compile(  # CSI, OSC, DCS/APC/PM/SOS strings, and two-byte escapes
    rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)"
)


def visible_text(data: bytes) -> str:
    """What the bytes would put on screen, as one string (escape sequences dropped)."""
    return ESCAPE.sub(b"", data).decode("utf-8", "replace")


class Terminal:
    def __init__(self, command: Sequence[str], size: tuple[int, int], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        width, height = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        environment = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", **env}
        environment.pop("NO_COLOR", None)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environment,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.output = bytearray()

    def read(self, timeout: float) -> bytes:
        """What arrives within `timeout` seconds (b"" when nothing does)."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return b""
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the program has gone
            return b""
        self.output += chunk
        return chunk

    def wait_for(self, markers: Sequence[str], timeout: float = 60.0) -> float:
        """Seconds from start until every marker has been written (visible text)."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            if self.read(0.5):
                text = visible_text(bytes(self.output))
                if all(m in text for m in markers):
                    return time.perf_counter() - self.started
            elif self.process.poll() is not None:
                break
        raise TimeoutError(f"never saw {markers!r}; last output: {text[-400:]!r}")

    def quiet(self, for_seconds: float = 0.5, timeout: float = 30.0) -> None:
        """Read until nothing has arrived for `for_seconds`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.read(for_seconds):
                return
        raise TimeoutError("the program never went quiet")

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        os.close(self.master)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
