"""Modules that load when first used, for what the Overview's first frame does not need.

pydantic and the models' validators are a third of a start-up (README,
Performance). The modules on the way to the first frame (the CLI, the store,
the state) reach the models through `lazy_import`: the first frame is drawn from
the Overview the workspace file keeps (overview_summary.py), and the models load
when the records are first read, just after it.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_import(name: str) -> ModuleType:
    """The module `name`, whose code runs when one of its attributes is first read.

    importlib's own recipe (LazyLoader). A module already imported is returned as it is.
    """
    module = sys.modules.get(name)
    if module is not None:
        return module
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
