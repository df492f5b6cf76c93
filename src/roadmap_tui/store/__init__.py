"""The store's concerns, one module each, composed into `workspace.Workspace`.

base: the connection, its transactions, and the audit rows each action writes;
reads; integrity (who refers to whom); writes; history (the audit log, undo, redo);
search (the policies' full-text index); sessions (presence, what other sessions
changed, preferences, kept values). Each is a mixin over `base.Store`, built on the
ones below it (pyproject.toml's import-linter contracts say which); the app reaches
them only through `Workspace`.
"""
