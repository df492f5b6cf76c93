"""Search: the policies' full-text index (FTS5), queried with any text a person types.

The index and its triggers are schema.py's _v2; nothing typed is read as FTS5 syntax.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass

from ..errors import SearchError
from .base import Store


@dataclass(frozen=True)
class Marked:
    """Text with a search's matches marked, as plain data: (text, is_match) runs, in order.

    Never markup and never marker characters inside the text: a policy body may
    hold any character, so the runs, not a string with markers, say what matched.
    """

    runs: tuple[tuple[str, bool], ...] = ()

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)

    @property
    def matches(self) -> tuple[str, ...]:
        return tuple(text for text, matched in self.runs if matched)


@dataclass(frozen=True)
class PolicyHit:
    """One policy found by `Workspace.search_policies`."""

    id: str
    rank: float  # FTS5's bm25: lower is better; hits come best first
    snippet: Marked  # a few words of the body around the matches (its start when none)
    title: Marked  # the whole title, matches marked
    owner: Marked  # the whole owner, matches marked


# Search: bm25 weights of the indexed columns (title, body, owner): a word in the title
# counts ten times one in the body, a match on the owner five times.
SEARCH_WEIGHTS = (10.0, 1.0, 5.0)
MAX_SEARCH_TERMS = 32  # words after this many are ignored (and the caller is told)
_PHRASE = re.compile(r'"([^"]*)"|([^\s"]+)')


def _token_char(char: str) -> bool:
    # FTS5's unicode61 tokenizer keeps letters, numbers and private-use characters (L*, N*, Co).
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co"


def search_terms(query: str) -> list[tuple[str, bool]]:
    """The words and "quoted phrases" of what a person typed: (text, was quoted).

    Nothing typed is FTS5 syntax: operators, `*`, `^`, `col:`, `NEAR(` and
    parentheses are ordinary characters here. Control characters and lone
    surrogates separate words; a lone `"` is ignored. A word or phrase without a
    letter or digit (`*`, `-`, an emoji) cannot match anything and is dropped.
    """
    cleaned = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in query)
    if cleaned.count('"') % 2:  # an unbalanced quote: ignore the last one
        head, _, tail = cleaned.rpartition('"')
        cleaned = head + " " + tail
    terms = []
    for match in _PHRASE.finditer(cleaned):
        phrase, word = match.groups()
        text = " ".join((phrase if phrase is not None else word).split())
        if any(_token_char(c) for c in text):
            terms.append((text, phrase is not None))
    return terms


def fts_query(query: str) -> tuple[str, int]:
    """An FTS5 MATCH expression for what a person typed, and how many words were left out.

    Every word or phrase becomes an FTS5 string ("..." with inner quotes
    doubled), so no typed text is read as FTS5 syntax; the strings are joined
    by spaces (all must match). The last word is a prefix ("forec" finds
    "forecast") unless the query ends in a space or a closing quote: a word
    being typed still finds things. "" when there is nothing to search for.
    """
    terms = search_terms(query)
    dropped = max(0, len(terms) - MAX_SEARCH_TERMS)
    terms = terms[:MAX_SEARCH_TERMS]
    parts = ['"' + text.replace('"', '""') + '"' for text, _ in terms]
    typing = bool(query) and not query[-1].isspace() and not query.endswith('"')
    if parts and typing and not terms[-1][1] and not dropped:
        parts[-1] += "*"
    return " ".join(parts), dropped


def _marked(text: str | None, start: str, end: str) -> Marked:
    """Runs from FTS5 highlight()/snippet() output marked with this query's `start`/`end`."""
    runs: list[tuple[str, bool]] = []
    matched = False
    for piece in re.split(f"({re.escape(start)}|{re.escape(end)})", text or ""):
        if piece == start:
            matched = True
        elif piece == end:
            matched = False
        elif piece:
            if runs and runs[-1][1] == matched:
                runs[-1] = (runs[-1][0] + piece, matched)
            else:
                runs.append((piece, matched))
    return Marked(tuple(runs))


class Search(Store):
    """Searching the policies."""

    def search_policies(
        self, query: str, limit: int = 50, *, snippet_words: int = 12
    ) -> list[PolicyHit]:
        """Policies whose title, body or owner has every word of `query`, best first.

        Any text is safe to pass (see `fts_query`): it is never read as FTS5
        syntax. A blank query finds nothing. A query with no letter or digit, or
        one SQLite still cannot run, raises SearchError with one line to show.
        Ranked by bm25 with SEARCH_WEIGHTS, ties by id. Matches are marked in
        `Marked` runs; the markers SQLite writes are random per query, so no
        text in a policy can pose as one.
        """
        if not query.strip():
            return []
        expression, dropped = fts_query(query)
        if not expression:
            raise SearchError("nothing to search for: type a word (letters or digits)")
        if dropped:
            raise SearchError(
                f"too many words: search takes at most {MAX_SEARCH_TERMS}; remove {dropped}"
            )
        import secrets  # here: it loads hashlib, ~1.5 ms of every start (issue 10, B1)

        nonce = secrets.token_hex(12)
        start, end = f"\x02{nonce}\x1f", f"\x1f{nonce}\x03"
        weights = ", ".join(f"{w:g}" for w in SEARCH_WEIGHTS)
        sql = f"""
            SELECT policies.id AS id,
                   bm25(policies_fts, {weights}) AS rank,
                   snippet(policies_fts, 1, :start, :end, '…', :words) AS snippet,
                   highlight(policies_fts, 0, :start, :end) AS title,
                   highlight(policies_fts, 2, :start, :end) AS owner
            FROM policies_fts JOIN policies ON policies.rowid = policies_fts.rowid
            WHERE policies_fts MATCH :query
            ORDER BY rank, policies.id
            LIMIT :limit
        """
        params = {
            "start": start,
            "end": end,
            "words": max(1, min(64, snippet_words)),
            "query": expression,
            "limit": max(0, limit),
        }
        try:  # one statement: a consistent read on its own
            rows = list(self._query(sql, params))
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorname", "") != "SQLITE_ERROR":
                raise SearchError(str(self._explain(error))) from error  # busy, damaged, ...
            reason = " ".join(str(error).split())  # e.g. 'fts5: syntax error near "("'
            raise SearchError(f"cannot search for that: {reason}") from error
        return [
            PolicyHit(
                id=row["id"],
                rank=row["rank"],
                snippet=_marked(row["snippet"], start, end),
                title=_marked(row["title"], start, end),
                owner=_marked(row["owner"], start, end),
            )
            for row in rows
        ]

    def search_index_ok(self) -> bool:
        """Whether the policy search index matches the policies table (FTS5 integrity-check)."""
        try:
            self._conn.execute(
                "INSERT INTO policies_fts(policies_fts, rank) VALUES ('integrity-check', 1)"
            )
        except sqlite3.DatabaseError:
            return False
        return True
