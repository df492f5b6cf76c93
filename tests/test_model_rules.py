"""The field rules of SPEC section 1 that pydantic-core checks natively still read the same.

Slugs, text lengths, lone surrogates and finite numbers are checked inside
pydantic-core (Rust) for speed; `describe_errors` turns its error types back
into the project's own messages. These tests pin both the refusals and the words.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from roadmap_tui.models import (
    MAX_TEXT,
    Basis,
    Capability,
    Costs,
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
    check_references,
    describe_errors,
)

SLUG = (
    "must be an id: 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"
)
SURROGATE = "must be valid Unicode (it holds a lone surrogate)"
FINITE = "must be a finite number"
NOT_BOOL = "must be a number, not true/false"


def problems(model: type[Any], data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(model).validate_python(data)  # a model, or a part such as Costs
    return describe_errors(caught.value)


FEATURE = {"id": "f", "title": "F"}
SCORE = {"feature": "f", "criterion": "c", "value": 3}


# ---------------------------------------------------------------- ids


@pytest.mark.parametrize(
    "bad", ["", "Bad", "-a", ".a", "a b", "a/b", "é", "a" * 65, "abc\n", "\nabc", "ab\x00"]
)
def test_a_bad_id_says_what_an_id_is(bad: str) -> None:
    assert problems(Feature, {**FEATURE, "id": bad}) == [f"id: {SLUG}"]


def test_an_id_with_a_trailing_newline_is_refused() -> None:
    # Python's `$` would match before a final newline; SPEC's regex means the whole text.
    assert problems(Participant, {"id": "ann\n", "name": "Ann"}) == [f"id: {SLUG}"]
    assert problems(Score, {**SCORE, "participant": "p\n"}) == [f"participant: {SLUG}"]


@pytest.mark.parametrize("good", ["a", "0", "a" * 64, "a.b_c-d", "2027-q1"])
def test_good_ids_pass(good: str) -> None:
    assert Feature.model_validate({**FEATURE, "id": good}).id == good


def test_an_optional_reference_may_be_empty_but_not_bad() -> None:
    assert Score.model_validate(SCORE).participant == ""
    assert (
        Risk.model_validate({"id": "r", "title": "R", "likelihood": 1, "impact": 1}).feature == ""
    )
    assert problems(Score, {**SCORE, "participant": "Ann"}) == [f"participant: {SLUG}"]
    assert problems(Decision, _decision(supersedes="X")) == [f"supersedes: {SLUG}"]


def test_ids_in_lists_and_keys_say_where() -> None:
    assert problems(Policy, {"id": "p", "title": "P", "applies_to": ["ok", "Not ok"]}) == [
        f"applies_to[1]: {SLUG}"
    ]
    assert problems(
        Feature, {**FEATURE, "needs": [{"capability": "FS", "required_maturity": 1}]}
    ) == [f"needs[0].capability: {SLUG}"]
    basis = {"scoring_model": "weighted", "aggregation": "mean", "weights": {"Bad": 1}}
    assert problems(Basis, basis) == [f"weights.Bad.[key]: {SLUG}"]


# ---------------------------------------------------------------- text


def test_text_longer_than_the_limit_says_how_long() -> None:
    assert problems(Feature, {**FEATURE, "description": "x" * (MAX_TEXT + 1)}) == [
        "description: must be at most 20,000 characters (got 20,001)"
    ]
    assert problems(Feature, {**FEATURE, "title": "y" * 25_000}) == [
        "title: must be at most 20,000 characters (got 25,000)"
    ]
    assert Feature.model_validate({**FEATURE, "description": "x" * MAX_TEXT})


def test_a_policy_body_holds_a_whole_document() -> None:
    # SPEC section 1, Bounds: other text up to 20,000 characters, a policy body 200,000
    policy = {"id": "p", "title": "P"}
    assert Policy.model_validate({**policy, "body": "x" * 200_000})
    assert problems(Policy, {**policy, "body": "x" * 200_001}) == [
        "body: must be at most 200,000 characters (got 200,001)"
    ]
    assert problems(Policy, {**policy, "owner": "x" * (MAX_TEXT + 1)}) == [
        "owner: must be at most 20,000 characters (got 20,001)"
    ]


def test_the_length_counts_characters_not_bytes() -> None:
    assert Feature.model_validate({**FEATURE, "description": "é" * MAX_TEXT})
    assert Feature.model_validate({**FEATURE, "description": "😀" * MAX_TEXT})


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (Feature, FEATURE, "description"),
        (Feature, FEATURE, "title"),
        (Feature, FEATURE, "id"),
        (WorkspaceInfo, {"name": "W"}, "name"),
        (Policy, {"id": "p", "title": "P"}, "body"),
        (Score, SCORE, "participant"),
    ],
)
@pytest.mark.parametrize("text", ["\ud800", "a\udfffb", "ok \udbff"])
def test_a_lone_surrogate_is_refused(model: type[Any], data: dict, field: str, text: str) -> None:
    assert problems(model, {**data, field: text}) == [f"{field}: {SURROGATE}"]


def test_a_lone_surrogate_in_a_list_of_text_says_where() -> None:
    assert problems(Decision, _decision(follow_ups=["fine", "\ud83d"])) == [
        f"follow_ups[1]: {SURROGATE}"
    ]


def test_a_blank_required_text_is_still_refused() -> None:
    for blank in ("", "   ", "\t\n", "\u3000"):
        assert problems(Feature, {**FEATURE, "title": blank}) == [
            "title: is required and cannot be blank"
        ]


def test_any_other_unicode_text_passes_unchanged() -> None:
    text = "\x1b[31m \x00 \x7f \x85 \u2028 \ufeff \U0010ffff 😀 \r\n"
    assert Feature.model_validate({**FEATURE, "description": text}).description == text


# ---------------------------------------------------------------- numbers


NUMBER_FIELDS = [
    (Score, SCORE, "value"),
    (Feature, FEATURE, "expected_uplift"),
    (Costs, {}, "training"),
    (Capability, {"id": "c", "name": "C"}, "annual_cost"),
    (Criterion, {"id": "c", "name": "C"}, "weight"),
    (Criterion, {"id": "c", "name": "C"}, "min"),
    (Risk, {"id": "r", "title": "R", "likelihood": 1, "impact": 1}, "exposure"),
    (WorkspaceInfo, {"name": "W"}, "disagreement_threshold"),
    (SnapshotRow, {"feature": "f"}, "score"),
    (SnapshotRow, {"feature": "f"}, "roi"),
]
INT_FIELDS = [
    (Need, {"capability": "c"}, "required_maturity"),
    (Capability, {"id": "c", "name": "C"}, "maturity"),
    (Risk, {"id": "r", "title": "R", "impact": 1}, "likelihood"),
]


@pytest.mark.parametrize(("model", "data", "field"), NUMBER_FIELDS + INT_FIELDS)
@pytest.mark.parametrize("flag", [True, False])
def test_a_boolean_in_a_number_field_is_refused(
    model: type[Any], data: dict, field: str, flag: bool
) -> None:
    assert problems(model, {**data, field: flag}) == [f"{field}: {NOT_BOOL}"]


@pytest.mark.parametrize(("model", "data", "field"), NUMBER_FIELDS)
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, "nan", "inf", "-inf"])
def test_nan_and_infinity_are_refused(model: type[Any], data: dict, field: str, value) -> None:
    # A bounded field (>= 0, 0..1) says "finite" too: NaN is not "less than 0".
    assert problems(model, {**data, field: value}) == [f"{field}: {FINITE}"]


@pytest.mark.parametrize(("model", "data", "field"), INT_FIELDS)
@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_nan_and_infinity_in_a_whole_number_field_say_finite(
    model: type[Any], data: dict, field: str, value: float
) -> None:
    assert problems(model, {**data, field: value}) == [f"{field}: {FINITE}"]


def test_range_messages_are_the_apps_words_with_the_fields_bounds() -> None:
    # issue 20, bug 10: not pydantic's "Input should be greater than or equal to 0"
    assert problems(Feature, {**FEATURE, "expected_uplift": -5}) == [
        "expected_uplift: must be 0 or more"
    ]
    assert problems(Need, {"capability": "c", "required_maturity": 9}) == [
        "required_maturity: must be a whole number from 0 to 4"
    ]
    assert problems(WorkspaceInfo, {"name": "W", "disagreement_threshold": 1.5}) == [
        "disagreement_threshold: must be from 0 to 1"
    ]


def test_numbers_keep_their_lax_reading() -> None:
    # Whole floats for ints and numeric text still read as before the rules moved to Rust.
    need = TypeAdapter(Need).validate_python({"capability": "c", "required_maturity": 2.0})
    assert need.required_maturity == 2
    assert Score.model_validate({**SCORE, "value": "2.5"}).value == 2.5
    assert Score.model_validate({**SCORE, "value": 4}).value == 4.0


# ---------------------------------------------------------------- references


def test_every_problem_of_a_score_comes_in_order() -> None:
    plan = Plan(
        workspace=WorkspaceInfo(name="W"),
        features=[Feature(id="f", title="F")],
        criteria=[Criterion(id="c", name="C")],
        scores=[
            Score(feature="f", criterion="c", value=3),
            Score(feature="f", criterion="c", value=9),  # a second one, and out of range
            Score(feature="g", criterion="d", participant="p", value=1),
        ],
    )
    assert check_references(plan) == [
        "scores[1]: a second score for the same feature, criterion and participant",
        "scores[1].value: 9 is outside c's range [1, 5]",
        "scores[2].feature: unknown feature 'g'",
        "scores[2].criterion: unknown criterion 'd'",
        "scores[2].participant: unknown participant 'p'",
    ]


def test_duplicate_ids_and_unknown_needs_are_named() -> None:
    plan = Plan(
        workspace=WorkspaceInfo(name="W"),
        features=[
            Feature(id="f", title="F", needs=[Need(capability="fs", required_maturity=1)]),
            Feature(id="f", title="F again"),
        ],
    )
    assert check_references(plan) == [
        "features[1].id: duplicate id 'f'",
        "features[0].needs[0].capability: unknown capability 'fs'",
    ]


def _decision(**fields: Any) -> dict[str, Any]:
    return {"id": "d", "title": "D", "date": "2027-01-01", "outcome": "approved", **fields}


# ---------------------------------------------------------------- a feature is a slotted record


def test_a_feature_answers_as_the_other_records_do_and_holds_no_dict() -> None:
    data = {"id": "f", "title": "F", "costs": {"training": 5}, "needs": [
        {"capability": "c", "required_maturity": 2}]}  # fmt: skip
    feature = Feature.model_validate(data)
    assert not hasattr(feature, "__dict__")  # slots: half the memory of a model
    assert feature.model_dump()["costs"]["training"] == 5
    assert Feature.model_validate(feature.model_dump()) == feature
    assert Feature.model_validate(json.loads(feature.model_dump_json())) == feature
    assert feature.model_dump(mode="json")["needs"] == [{"capability": "c", "required_maturity": 2}]
    assert list(Feature.model_fields)[:2] == ["id", "title"]
    assert feature.model_copy(update={"title": "G"}).title == "G" and feature.title == "F"
    with pytest.raises(ValidationError):  # a copy is validated, unlike a model's
        feature.model_copy(update={"title": " "})
    with pytest.raises(ValidationError):  # and so is an assignment, as on every record
        feature.quarter = "soon"
