"""A child process for test_durability.py: real edits through the Workspace API.

Run as `python durability_child.py MODE ...`; every line it prints is flushed at once.

crash PATH PREFIX
    Open the workspace, print "ready", then apply edit 0, 1, 2, ... (see `edit`),
    printing "ack N" only after edit N's call returned. Runs until killed.
writer PATH NAME COUNT
    Open the workspace, print "ready", wait for "go" on stdin, then apply COUNT
    edits. Errors are counted, not raised; the last line is a JSON summary:
    {"done": n, "errors": n, "busy": n, "merged": n, "messages": [...], "start": t,
    "end": t}
    (times from time.time(), to see how far the writers overlapped).
editor PATH FIELD COUNT
    As writer, as actor FIELD, but each edit is a person's edit of one field of the
    feature: read it, set FIELD (a path such as "costs.training") to edit n + 1, save.
    Its summary's "merged" counts the saves the store merged with another's edit.
serve PATH ACTOR
    Open the workspace and answer one command per stdin line: "version" prints
    data_version(), "has ID" prints whether participant ID exists, "save ID"
    saves participant ID and prints "saved", "quit" exits.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Callable

from roadmap_tui.errors import WorkspaceError
from roadmap_tui.models import Feature, Participant, Score
from roadmap_tui.workspace import Workspace

FEATURE = "durable"  # the feature every score of these tests is about
CRITERION = "count"  # its criterion: range [0, 1_000_000]


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def participant_id(prefix: str, n: int) -> str:
    return f"{prefix}-p{n:05d}"


def edit(ws: Workspace, prefix: str, n: int) -> None:
    """Edit n of a series: even n saves a new participant, odd n scores the one before it.

    Every edit leaves its own record, so each one can be looked for afterwards.
    """
    if n % 2 == 0:
        ws.save(
            Participant(id=participant_id(prefix, n), name=f"{prefix} {n}", role=str(n)), base=None
        )
    else:
        who = participant_id(prefix, n - 1)
        ws.set_score(Score(feature=FEATURE, criterion=CRITERION, participant=who, value=n))


def edit_field(ws: Workspace, field: str, n: int) -> bool:
    """Read the feature, set one field to edit n's value, save it as read (a form does
    the same with more fields): another process's edits of other fields must stay.
    True when the store merged it with another's edit saved since the read."""
    read = ws.get("features", FEATURE)
    data = read.model_dump()
    *parents, name = field.split(".")
    table = data
    for parent in parents:
        table = table[parent]
    table[name] = field_value(field, n)
    record = Feature.model_validate(data)
    return ws.save(record, base=read) != record


def field_value(field: str, n: int) -> str | float:
    """What edit n writes into `field`: 1, 2, ... (a title: "Edit 1", ...)."""
    return f"Edit {n + 1}" if field == "title" else float(n + 1)


def crash(path: str, prefix: str) -> None:
    with Workspace.open(path, actor=prefix) as ws:
        say("ready")
        for n in range(1_000_000):
            edit(ws, prefix, n)
            say(f"ack {n}")


def writer(path: str, name: str, count: int, step: Callable[[Workspace, str, int], object]) -> None:
    """Apply `step(ws, name, n)` for n in range(count), as actor `name` (see the docstring);
    "merged" counts the steps that returned True."""
    done = errors = busy = merged = 0
    messages: list[str] = []

    def count_error(where: str, error: Exception) -> None:
        nonlocal errors, busy
        errors += 1
        text = str(error)
        if "busy" in text or "locked" in text:
            busy += 1
        if len(messages) < 5:
            messages.append(f"{where}: {type(error).__name__}: {text}")

    ws = None
    try:
        ws = Workspace.open(path, actor=name)
    except (WorkspaceError, sqlite3.Error) as error:
        count_error("open", error)
    say("ready")
    if sys.stdin.readline().strip() != "go":
        return
    start = time.time()
    if ws is not None:
        with ws:
            for n in range(count):
                try:
                    merged += step(ws, name, n) is True
                    done += 1
                except (WorkspaceError, sqlite3.Error) as error:
                    count_error(f"edit {n}", error)
    end = time.time()
    summary = {"done": done, "errors": errors, "busy": busy, "merged": merged}
    summary["messages"] = messages
    say(json.dumps({**summary, "start": start, "end": end}))


def serve(path: str, actor: str) -> None:
    with Workspace.open(path, actor=actor) as ws:
        say("ready")
        for line in sys.stdin:
            command, _, arg = line.strip().partition(" ")
            if command == "version":
                say(str(ws.data_version()))
            elif command == "has":
                say("yes" if ws.get("participants", arg) is not None else "no")
            elif command == "save":
                ws.save(Participant(id=arg, name=f"saved by {actor}"), base=None)
                say("saved")
            elif command == "quit":
                break
            else:
                say(f"unknown command {command!r}")


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "crash":
        crash(args[0], args[1])
    elif mode == "writer":
        writer(args[0], args[1], int(args[2]), edit)
    elif mode == "editor":
        writer(args[0], args[1], int(args[2]), edit_field)
    elif mode == "serve":
        serve(args[0], args[1])
    else:
        raise SystemExit(f"unknown mode {mode!r}")
