"""Policy full-text search in the store: ranking, snippets, any typed query, the index in step.

The index is an FTS5 table kept by triggers (schema migration 2), so every
write to a policy (a save, a delete, an import, another session's edit)
changes it in the same transaction; `search_index_ok` runs FTS5's
integrity-check against the policies table after each kind of write.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from roadmap_tui import schema
from roadmap_tui.models import Capability, Decision, Plan, Policy
from roadmap_tui.store import search
from roadmap_tui.workspace import (
    MAX_SEARCH_TERMS,
    ImportRefused,
    Marked,
    SearchError,
    Workspace,
    WorkspaceError,
    fts_query,
    search_terms,
)
from support import INFO

FILLER = [
    Policy(
        id=f"other-{i:02d}", title=f"Other {i}", body="Personal data stays in the EU.", owner="Bo"
    )
    for i in range(12)
]
RANKED = [  # the order a search for "drift" must give: title, owner, body often, body once
    Policy(id="in-title", title="Drift response", body="What to do when a model degrades.",
           owner="Ann"),
    Policy(id="by-owner", title="Rollback", body="Roll back first.", owner="Drift Team"),
    Policy(id="in-body-often", title="Monitoring",
           body="Drift in inputs, drift in outputs, drift in labels. Alert on drift.", owner="Ann"),
    Policy(id="in-body-once", title="Release checklist",
           body="Check for drift before a release. " + "Other words here. " * 5, owner="Ann"),
]  # fmt: skip


@pytest.fixture
def new_plan() -> Plan:
    """What the `ws` fixture holds here: the ranked policies among others."""
    return Plan(
        workspace=INFO,
        capabilities=[Capability(id="fs", name="Feature store")],
        policies=[*RANKED, *FILLER],
    )


def ids(ws: Workspace, query: str) -> list[str]:
    return [hit.id for hit in ws.search_policies(query)]


# -- ranking, snippets, prefixes, phrases -----------------------------------------------------


def test_hits_are_ranked_title_then_owner_then_body(ws: Workspace) -> None:
    hits = ws.search_policies("drift")
    assert [h.id for h in hits] == [p.id for p in RANKED]
    ranks = [h.rank for h in hits]
    assert ranks == sorted(ranks) and ranks[0] < ranks[-1] < 0  # bm25: lower is better


def test_ties_are_broken_by_id_and_limit_is_kept(ws: Workspace) -> None:
    assert ids(ws, "personal") == [p.id for p in FILLER]  # identical rows: id order
    assert ids(ws, "personal")[:3] == [h.id for h in ws.search_policies("personal", limit=3)]
    assert ws.search_policies("personal", limit=0) == []


def test_snippets_and_titles_mark_the_matches(ws: Workspace) -> None:
    hits = {h.id: h for h in ws.search_policies("drift")}
    often = hits["in-body-often"].snippet
    assert often.matches == ("Drift", "drift", "drift", "drift")
    assert often.text == RANKED[2].body
    assert often.runs[:2] == (("Drift", True), (" in inputs, ", False))
    once = hits["in-body-once"].snippet
    assert once.runs[:2] == (("Check for ", False), ("drift", True))
    assert once.text.endswith("…")  # cut to a few words around the match
    assert hits["in-title"].title == Marked((("Drift", True), (" response", False)))
    assert hits["in-title"].snippet.matches == ()  # no match in the body: its first words
    assert hits["in-title"].snippet.text == RANKED[0].body
    assert hits["by-owner"].owner == Marked((("Drift", True), (" Team", False)))


def test_the_word_being_typed_is_a_prefix(ws: Workspace) -> None:
    assert ids(ws, "monit") == ["in-body-often"]  # "Monitoring", as you type
    assert ids(ws, "monit ") == []  # a space ends the word: whole words only
    assert ids(ws, "driftless") == []
    assert set(ids(ws, "dri")) == {p.id for p in RANKED}


def test_every_word_must_match_and_quotes_make_a_phrase(ws: Workspace) -> None:
    assert ids(ws, "drift labels") == ["in-body-often"]
    assert ids(ws, "labels drift") == ["in-body-often"]
    assert ids(ws, '"drift in inputs"') == ["in-body-often"]
    assert ids(ws, '"inputs in drift"') == []
    assert ids(ws, '"drift before"') == ["in-body-once"]


def test_search_ignores_case_and_accents(ws: Workspace) -> None:
    ws.save(Policy(id="zoe", title="Zoë's café rules", body="NAÏVE Bayes is fine"), base=None)
    assert ids(ws, "zoe") == ["zoe"]
    assert ids(ws, "CAFE") == ["zoe"]
    assert ids(ws, "naive bayes") == ["zoe"]


def test_a_blank_query_finds_nothing(ws: Workspace) -> None:
    assert ws.search_policies("") == []
    assert ws.search_policies("   \t ") == []


# -- what a person can type: results or one clear line, never a crash ---------------------------

HOSTILE_QUERIES = {
    "lone quote": '"',
    "unbalanced quote": '"unbalanced',
    "unbalanced phrase": '"drift in',
    "star": "*",
    "minus": "-",
    "minus word": "-drift",
    "near": "NEAR(",
    "near full": "NEAR(drift labels, 2)",
    "and alone": "AND",
    "or alone": "OR",
    "not alone": "NOT",
    "and or not": "AND OR NOT",
    "parentheses": "(((",
    "closing parentheses": ")))",
    "or between parens": "a) OR (b",
    "column filter": "col:thing",
    "real column filter": "title:drift",
    "brace column filter": "{title body}: drift",
    "caret": "^",
    "caret word": "^drift",
    "plus": "+",
    "colon": ":",
    "doubled quotes": '""drift""',
    "quote in a word": 'dri"ft',
    "emoji": "🚀",
    "emoji and word": "🚀 drift",
    "flag and family": "🇳🇱 👩‍👩‍👧‍👦",
    "cjk": "漢字",
    "rtl": "\u202edrift\u202c",
    "zero width": "dr\u200bift",
    "five thousand chars": "x" * 5000,
    "five thousand chars of words": ("drift " * 900)[:5000],
    "control characters": "\x00\x01\x02\x1b[31m\x7f\x9b",
    "nul inside a word": "dri\x00ft",
    "escape sequence": "\x1b]0;title\x07drift",
    "lone surrogate": "\ud800drift",
    "sql": "'; DROP TABLE policies; --",
    "percent and underscore": "%_%",
    "backslash": "\\",
    "newlines": "drift\n\nlabels",
    "just spaces and quotes": '" " "',
}


@pytest.mark.parametrize("query", HOSTILE_QUERIES.values(), ids=HOSTILE_QUERIES.keys())
def test_any_query_gives_results_or_one_clear_line(ws: Workspace, query: str) -> None:
    try:
        hits = ws.search_policies(query)
    except SearchError as error:
        message = str(error)
        assert message and "\n" not in message and len(message) < 120, message
        assert message.startswith(("nothing to search for", "too many words")), message
    else:
        assert all(hit.id for hit in hits)
    assert ws.search_index_ok()
    assert len(ws.policies()) == len(RANKED) + len(FILLER)  # nothing was dropped


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("NEAR(drift labels, 2)", []),  # words, not an operator: "near drift" and "2" nowhere
        ("NEAR(drift labels", []),
        ("drift NEAR", []),  # "near" is a word like any other
        ("-drift", [p.id for p in RANKED]),  # not a negation: the word
        ("title:drift", []),  # "title drift" as a phrase: no policy has it
        ("^drift", [p.id for p in RANKED]),
        ('dri"ft', []),  # the lone quote is a space: "dri" is a whole word nowhere
        ("🚀 drift", [p.id for p in RANKED]),  # the emoji cannot match and is left out
        ("\x1b]0;title\x07drift", []),  # "0", "title" and "drift" must all match
        ('"drift in', ["in-body-often"]),  # the lone quote is ignored: drift, in*
        ("drift\n\nlabels", ["in-body-often"]),
    ],
)
def test_typed_syntax_is_searched_as_words(ws: Workspace, query: str, expected: list[str]) -> None:
    assert ids(ws, query) == expected


@pytest.mark.parametrize("query", ["*", "-", "^", "(((", '"', "🚀", "\x00\x1b"])
def test_a_query_without_words_says_so(ws: Workspace, query: str) -> None:
    with pytest.raises(SearchError, match="nothing to search for: type a word"):
        ws.search_policies(query)


def test_too_many_words_says_how_many(ws: Workspace) -> None:
    assert ids(ws, " ".join(["drift"] * MAX_SEARCH_TERMS)) == [p.id for p in RANKED]
    with pytest.raises(SearchError, match=f"at most {MAX_SEARCH_TERMS}; remove 3"):
        ws.search_policies(" ".join(["drift"] * (MAX_SEARCH_TERMS + 3)))


@pytest.mark.parametrize(
    ("typed", "terms", "expression"),
    [
        ("drift", [("drift", False)], '"drift"*'),
        ("drift ", [("drift", False)], '"drift"'),
        ("model drift", [("model", False), ("drift", False)], '"model" "drift"*'),
        ('"model drift"', [("model drift", True)], '"model drift"'),
        ('"model  drift" x', [("model drift", True), ("x", False)], '"model drift" "x"*'),
        ('say "hi', [("say", False), ("hi", False)], '"say" "hi"*'),
        ("NEAR(a b)", [("NEAR(a", False), ("b)", False)], '"NEAR(a" "b)"*'),
        ("a\x00b", [("a", False), ("b", False)], '"a" "b"*'),
        ("* - ^ 🚀", [], ""),
        ("", [], ""),
    ],
)
def test_typed_text_becomes_quoted_fts_strings(
    typed: str, terms: list[tuple[str, bool]], expression: str
) -> None:
    assert search_terms(typed) == terms
    assert fts_query(typed) == (expression, 0)


def test_an_error_sqlite_reports_is_one_line(ws: Workspace, monkeypatch) -> None:
    """The last line of defence: should a query ever reach FTS5 unparseable, it is said."""
    monkeypatch.setattr(search, "fts_query", lambda text: ("NEAR(", 0))
    with pytest.raises(SearchError) as error:
        ws.search_policies("anything")
    message = str(error.value)
    assert message.startswith("cannot search for that: fts5: syntax error")
    assert "\n" not in message and isinstance(error.value, WorkspaceError)


def test_text_in_a_policy_cannot_pose_as_a_match_marker(ws: Workspace) -> None:
    fake = "\x02fake\x03 \x02\x1f \x1f\x03 [b]bold[/b] «x» drift"
    ws.save(Policy(id="faker", title="Faker \x02title\x03", body=fake, owner="\x02"), base=None)
    hit = next(h for h in ws.search_policies("fake ") if h.id == "faker")  # whole word
    assert hit.snippet.matches == ("fake",)  # only the word the query matched
    assert hit.snippet.text == fake  # every character kept, as data
    assert hit.title == Marked((("Faker \x02title\x03", False),))
    assert hit.owner == Marked((("\x02", False),))
    hit = next(h for h in ws.search_policies("title") if h.id == "faker")
    assert hit.title.runs == (("Faker \x02", False), ("title", True), ("\x03", False))


# -- the index stays in step with every write ---------------------------------------------------


def test_index_follows_save_update_and_delete(ws: Workspace) -> None:
    ws.save(Policy(id="new", title="Canary releases", body="Ship to one percent first."), base=None)
    assert ids(ws, "canary") == ["new"]
    shadow = Policy(id="new", title="Shadow releases", body="Ship to nobody first.")
    ws.save(shadow, base=ws.get("policies", "new"))
    assert ids(ws, "canary") == [] and ids(ws, "shadow") == ["new"]
    assert ids(ws, "percent") == [] and ids(ws, "nobody") == ["new"]
    ws.delete("policies", "new")
    assert ids(ws, "shadow") == []
    assert ws.search_index_ok()


def test_index_follows_an_import(ws: Workspace) -> None:
    changed = RANKED[0].model_copy(update={"title": "Degradation response"})
    summary = ws.apply(
        Plan(
            workspace=INFO,
            policies=[changed, Policy(id="imported", title="Imported", body="quokka")],
        )
    )
    assert summary.added["policies"] == 1 and summary.changed["policies"] == 1
    assert ids(ws, "quokka") == ["imported"]
    assert ids(ws, "degradation") == ["in-title"]
    assert "in-title" not in ids(ws, "drift response")
    assert ws.search_index_ok()


def test_a_refused_import_leaves_the_index_as_it_was(ws: Workspace) -> None:
    bad = Plan(
        workspace=INFO,
        policies=[
            Policy(id="in-title", title="Changed", body="wombat"),
            Policy(id="broken", title="Broken", body="wombat", applies_to=["no-such-cap"]),
        ],
    )
    with pytest.raises(ImportRefused):
        ws.apply(bad)
    assert ids(ws, "wombat") == []
    assert ids(ws, "drift response") == ["in-title"]
    assert ws.search_index_ok()


def test_a_failed_save_leaves_the_index_as_it_was(ws: Workspace) -> None:
    with pytest.raises(WorkspaceError):
        ws.save(Policy(id="bad", title="Platypus", applies_to=["no-such-cap"]), base=None)
    assert ids(ws, "platypus") == []
    assert ws.search_index_ok()


def test_deleting_a_capability_keeps_the_index_in_step(ws: Workspace) -> None:
    ws.save(
        Policy(id="store", title="Store rules", body="Feature store access", applies_to=["fs"]),
        base=None,
    )
    ws.delete("capabilities", "fs")  # the policy is rewritten without it
    assert ws.get("policies", "store").applies_to == []  # type: ignore[union-attr]
    assert ids(ws, "store rules") == ["store"]
    assert ws.search_index_ok()


def test_a_refused_delete_leaves_the_index_as_it_was(ws: Workspace) -> None:
    ws.save(
        Decision(
            id="keep", title="Keep", date="2026-11-02", outcome="approved", policies=["in-title"]
        ),
        base=None,
    )
    with pytest.raises(WorkspaceError, match="decision"):
        ws.delete("policies", "in-title")
    assert ids(ws, "drift response") == ["in-title"]
    assert ws.search_index_ok()


def test_another_sessions_edits_are_found(path: Path, ws: Workspace) -> None:
    with Workspace.open(path, actor="bob") as other:
        other.save(Policy(id="bobs", title="Bob's axolotl rule"), base=None)
    assert ids(ws, "axolotl") == ["bobs"]
    with Workspace.open(path, actor="bob") as other:
        other.delete("policies", "bobs")
    assert ids(ws, "axolotl") == []
    assert ws.search_index_ok()


def test_a_big_body_is_indexed_and_its_snippet_stays_short(ws: Workspace) -> None:
    body = ("filler " * 2500) + "needle " + ("filler " * 300)
    ws.save(Policy(id="big", title="Big", body=body[:20_000]), base=None)
    hit = ws.search_policies("needle")[0]
    assert hit.id == "big" and hit.snippet.matches == ("needle",)
    assert len(hit.snippet.text) < 200


def test_search_index_ok_notices_an_index_out_of_step(path: Path, ws: Workspace) -> None:
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER policies_au")  # what the triggers prevent: a write it never sees
    raw.execute("UPDATE policies SET title = 'Changed behind its back' WHERE id = 'in-title'")
    raw.commit()
    raw.close()
    assert not ws.search_index_ok()


# -- the migration ----------------------------------------------------------------------------


def test_migration_2_indexes_the_policies_of_a_v1_file(path: Path, monkeypatch) -> None:
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])  # the program as it was
    plan = Plan(workspace=INFO, policies=RANKED)
    Workspace.create(path, plan, actor="ann").close()
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "policies_fts" not in Database(raw).table_names()
    raw.close()

    monkeypatch.undo()
    with Workspace.open(path, actor="ann") as ws:
        assert ids(ws, "drift") == [p.id for p in RANKED]
        assert ws.search_index_ok()
        ws.save(Policy(id="after", title="Added after the upgrade"), base=None)
        assert ids(ws, "upgrade") == ["after"]
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.target_version() >= 2
    db = Database(raw)
    assert {"policies_fts"} <= set(db.table_names())
    assert {t.name for t in db["policies"].triggers} == {
        "policies_ai",
        "policies_ad",
        "policies_au",
    }
    raw.close()


def test_a_new_file_has_the_index_from_the_start(path: Path, ws: Workspace) -> None:
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.target_version() >= 2
    schema_sql = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'policies_fts'").fetchone()
    assert "FTS5" in schema_sql[0] and "remove_diacritics 2" in schema_sql[0]
    raw.close()
    assert ws.search_index_ok()


def test_the_v1_migration_is_unchanged() -> None:
    """Files in the wild were built by _v1: the index is a new migration, not an edit."""
    assert schema.MIGRATIONS[0] is schema._v1
    assert "fts" not in schema._v1.__code__.co_names
    assert schema.MIGRATIONS[1] is schema._v2
