"""SPEC section 3 and 4 on the file format alone: export layout, import problems with paths."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from roadmap_tui.errors import ExchangeError
from roadmap_tui.exchange import decisions_subset, export_toml, parse_toml
from roadmap_tui.models import (
    Basis,
    Capability,
    Criterion,
    Decision,
    Feature,
    Need,
    Participant,
    Plan,
    Policy,
    Risk,
    Score,
    SnapshotRow,
    WorkspaceInfo,
)


def small_plan() -> Plan:
    return Plan(
        workspace=WorkspaceInfo(name="Demo", currency="EUR"),
        participants=[Participant(id="bo", name="Bo"), Participant(id="al", name="Al")],
        capabilities=[
            Capability(id="fs", name="Feature store", maturity=1, upgrade_cost_per_level=1000),
            Capability(id="serving", name="Serving", maturity=3),
        ],
        features=[
            Feature(
                id="recs",
                title="Recommendations",
                expected_uplift=250_000,
                costs={"training": 20_000, "deployment": 30_000},
                needs=[Need(capability="fs", required_maturity=3)],
            ),
            Feature(
                id="churn",
                title="Churn\tmodel",
                description="two\r\nlines",
                expected_uplift=0.1 + 0.2,
            ),
        ],
        criteria=[Criterion(id="value", name="Value", weight=2)],
        scores=[
            Score(feature="recs", criterion="value", participant="bo", value=5),
            Score(feature="recs", criterion="value", participant="al", value=1),
            Score(feature="churn", criterion="value", value=2.5),
        ],
        risks=[Risk(id="drift", title="Drift", likelihood=4, impact=4, exposure=100_000)],
        policies=[
            Policy(id="lineage", title="Lineage", applies_to=["serving"], body="# Rules\n\n- a")
        ],
        decisions=[
            Decision(
                id="go",
                title="Go",
                date=dt.date(2026, 11, 2),
                outcome="approved",
                decided_by=["al"],
                features=["recs"],
                basis=Basis(scoring_model="weighted", aggregation="median", weights={"value": 2}),
                snapshot=[SnapshotRow(feature="recs", score=50, rank=2, readiness_gap=2)],
            )
        ],
    )


def test_export_has_spec_order_and_computed_tables() -> None:
    text = export_toml(small_plan())
    doc = tomllib.loads(text)
    assert list(doc) == [
        "format", "workspace", "participants", "capabilities", "features",
        "criteria", "scores", "risks", "policies", "decisions",
    ]  # fmt: skip
    assert doc["format"] == "roadmap-tui/1"
    assert [p["id"] for p in doc["participants"]] == ["al", "bo"]
    assert [f["id"] for f in doc["features"]] == ["churn", "recs"]
    recs = doc["features"][1]["computed"]
    # tco 50,000; net 200,000; roi 4; payback 12 x 50,000 / 250,000 = 2.4 months
    assert recs["tco"] == 50_000 and recs["net_value"] == 200_000
    assert recs["roi"] == 4 and recs["payback_months"] == 2.4
    assert recs["readiness_gap"] == 2 and recs["blocked_by"] == ["fs"]
    assert recs["contested_criteria"] == ["value"]  # votes 5 and 1: spread 4 / range 4
    # median of 5 and 1 is 3 -> (3 - 1) / 4 x 100 = 50, above churn's 37.5
    assert recs["complete"] is True and recs["score"] == 50.0 and recs["rank"] == 1
    churn = doc["features"][0]["computed"]
    assert "roi" not in churn  # tco 0: no roi, left out
    assert churn["score"] == 37.5 and churn["rank"] == 2  # consensus 2.5 -> (1.5 / 4) x 100
    assert doc["capabilities"][0]["computed"] == {
        "blocked_features": 1,
        "unlocked_value": 250_000,
        "levels_needed": 2,
        "cost_to_close": 2000,
        "leverage": 125,
    }
    assert doc["risks"][0]["computed"] == {
        "severity": 16,
        "band": "critical",
        "probability": 0.8,
        "expected_loss": 80_000,
    }
    assert "[[features.needs]]" in text and "[[decisions.snapshot]]" in text


def test_numbers_keep_their_shape_and_text_comes_back_exactly() -> None:
    text = export_toml(small_plan())
    assert "expected_uplift = 250000\n" in text
    assert "expected_uplift = 0.30000000000000004\n" in text
    plan = parse_toml(text.encode())
    assert plan.features[0].title == "Churn\tmodel"
    assert plan.features[0].description == "two\r\nlines"
    assert plan.features[0].expected_uplift == 0.1 + 0.2


def test_export_parse_export_gives_the_same_bytes() -> None:
    first = export_toml(small_plan())
    assert export_toml(parse_toml(first.encode())) == first


def test_decisions_only_keeps_what_decisions_reference_and_their_references() -> None:
    subset = decisions_subset(small_plan())
    assert [p.id for p in subset.participants] == ["al"]
    assert [f.id for f in subset.features] == ["recs"]
    assert [c.id for c in subset.capabilities] == ["fs"]  # recs needs fs
    assert subset.risks == [] and subset.policies == [] and subset.scores == []
    doc = tomllib.loads(export_toml(small_plan(), decisions_only=True))
    assert "scores" not in doc and "risks" not in doc
    # computed values still come from the whole workspace
    assert doc["features"][0]["computed"]["rank"] == 1


def problems(text: str | bytes) -> list[str]:
    with pytest.raises(ExchangeError) as caught:
        parse_toml(text if isinstance(text, bytes) else text.encode())
    return caught.value.problems


def test_syntax_errors_say_line_and_column() -> None:
    assert problems('format = "roadmap-tui/1"\n[workspace]\nname = \n') == [
        "line 3, column 8: Invalid value"
    ]


def test_format_is_required_and_newer_majors_refused() -> None:
    assert problems('[workspace]\nname = "x"\n')[0].startswith("format: required")
    assert "newer format" in problems('format = "roadmap-tui/2"\n')[0]
    assert problems('format = "roadmap-tui/0"\n') == [
        "format: 'roadmap-tui/0' is not one this version reads (it reads roadmap-tui/1)"
    ]
    assert parse_toml(b'format = "roadmap-tui/1.3"\n[workspace]\nname = "x"\n').workspace.name


def test_a_byte_order_mark_is_not_part_of_the_file() -> None:
    text = '\ufeffformat = "roadmap-tui/1"\n[workspace]\nname = "x"\n'
    assert parse_toml(text.encode()).workspace.name == "x"


GOOD = 'format = "roadmap-tui/1"\n[workspace]\nname = "x"\n'


@pytest.mark.parametrize(
    ("value", "column"),
    [("[" * 500 + "]" * 500, 37), ("{b = " * 330 + "1" + "}" * 330, 165)],
    ids=["arrays", "inline-tables"],
)
def test_nesting_deeper_than_32_levels_is_refused_unparsed(value: str, column: int) -> None:
    # tomllib recurses once per level: 500 levels was a RecursionError (issue 22)
    deep = f"line 1, column {column}: nested more than 32 levels deep"
    assert problems(f"a = {value}\n") == [deep]


def test_32_levels_and_brackets_in_strings_and_comments_are_not_too_deep() -> None:
    quoted = "[{" * 40
    text = GOOD + "\n".join(
        [
            f"a = {'[' * 32}{']' * 32}",
            f'b = "{quoted}\\"{quoted}"',
            f"c = '{quoted}'",
            f'd = """\n{quoted}\n""{quoted}""""',
            f"e = '''{quoted}''''",
            f"# {quoted}",
            f"f = [1, # {quoted}\n2]",
        ]
    )
    assert problems(text) == [f"workspace.{key}: unknown key" for key in "abcdef"]


def test_not_utf8_is_one_line() -> None:
    assert problems('format = "roadmap-tui/1"\nname = "\xe9"\n'.encode("latin-1")) == [
        "byte 33: the file is not UTF-8 text"
    ]


def test_every_problem_is_listed_with_its_path() -> None:
    text = """
format = "roadmap-tui/1"
colour = "blue"
[workspace]
name = "x"
currency = "euro"
[[features]]
id = "ok"
title = "Fine"
[[features]]
id = "Bad Id"
title = "t"
expected_uplift = -5
[[features.needs]]
capability = "fs"
required_maturity = 9
[features.computed]
score = 3
[[risks]]
id = "r"
title = "r"
likelihood = 3
impact = 2
typo = 1
"""
    assert problems(text) == [
        "workspace.currency: must be an ISO 4217 currency code such as USD, EUR or GBP",
        "features[1].id: must be an id: 1-64 characters of a-z, 0-9, '.', '_' or '-', "
        "starting with a letter or digit",
        "features[1].expected_uplift: must be 0 or more",
        "features[1].needs[0].required_maturity: must be a whole number from 0 to 4",
        "risks[0].typo: unknown key",
        "colour: unknown key",
    ]


def test_arrays_and_tables_of_the_wrong_shape_are_named() -> None:
    assert problems('format = "roadmap-tui/1"\nfeatures = 3\n[workspace]\nname = "x"\n') == [
        "features: must be an array of tables ([[features]])"
    ]
    assert problems('format = "roadmap-tui/1"\nfeatures = [1]\n[workspace]\nname = "x"\n') == [
        "features[0]: must be a table"
    ]
