"""The app is the Host its screens and the palette are given (host.py): every member, alike."""

from __future__ import annotations

import inspect
from pathlib import Path

from roadmap_tui.app import RoadmapApp
from roadmap_tui.host import Host
from support import app_for

MEMBERS = sorted(name for name in vars(Host) if not name.startswith("_"))


def test_the_app_has_each_method_of_the_host_with_the_same_signature() -> None:
    methods = [name for name in MEMBERS if callable(vars(Host)[name])]
    assert {"write", "tell", "changed", "jump", "record_decision"} <= set(methods)
    for name in methods:
        wanted = inspect.signature(getattr(Host, name))
        assert inspect.signature(getattr(RoadmapApp, name)) == wanted, name


def test_the_app_has_each_property_of_the_host(sample_db: Path) -> None:
    properties = [name for name in MEMBERS if isinstance(vars(Host)[name], property)]
    assert {"workspace", "state", "session", "voter"} <= set(properties)
    app = app_for(sample_db)
    try:
        missing = [name for name in properties if not hasattr(app, name)]
    finally:
        app.workspace.close()
    assert missing == []
