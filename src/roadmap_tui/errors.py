"""The errors a user sees: each says what is wrong in words a user can read.

Every layer may import this module, and it imports nothing of the package, so a
widget can catch a refusal of the store without importing the store. The CLI
prints them (one line a problem, exit status 2); the app tells them and keeps
what was typed.
"""

from __future__ import annotations

from collections.abc import Iterable


class WorkspaceError(Exception):
    """One line a user can read: a file that cannot be opened, a refused change."""


class ReplayRefused(WorkspaceError):
    """An undo or redo that would overwrite a later change or break a reference."""


class SearchError(WorkspaceError):
    """A search that cannot run: one line saying why (the query is never the problem's text)."""


class ImportRefused(WorkspaceError):
    """An import that would leave broken references: every problem, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class ExchangeError(Exception):
    """A file that cannot be read or written; `problems` holds one line per problem."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))
