"""Export writes features and scores straight from the models; the text is the reference's.

`export_toml` writes the two big arrays without a dict per record; the
reference is `tomlwriter.dumps(export_document(plan))`, which dumps every model
field. They must agree byte for byte, so a field added to Feature or Score that
the fast writer does not know about fails here, even at its default value.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from roadmap_tui import tomlwriter
from roadmap_tui.errors import ExchangeError
from roadmap_tui.exchange import export_document, export_toml, parse_toml, read_toml
from roadmap_tui.models import (
    Capability,
    Costs,
    Criterion,
    Feature,
    Need,
    Participant,
    Plan,
    Score,
    WorkspaceInfo,
)
from strategies import plans

SAMPLES = sorted((Path(__file__).parent.parent / "sample_workspaces").glob("*.toml"))
NASTY = 'a "quote" \\ back\x1b[31m \x00 \x7f \x85 \u2028 tab\t é 😀'


def reference(plan: Plan, *, decisions_only: bool = False) -> str:
    return tomlwriter.dumps(export_document(plan, decisions_only=decisions_only))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(plans())
def test_the_fast_writer_gives_the_reference_text(plan: Plan) -> None:
    assert export_toml(plan) == reference(plan)
    assert export_toml(plan, decisions_only=True) == reference(plan, decisions_only=True)


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_samples_give_the_reference_text(sample: Path) -> None:
    plan = read_toml(sample)
    assert export_toml(plan) == reference(plan)
    assert export_toml(plan, decisions_only=True) == reference(plan, decisions_only=True)


def nasty_plan() -> Plan:
    return Plan(
        workspace=WorkspaceInfo(name="W"),
        features=[
            Feature(
                id="a",
                title=NASTY.replace("\x85", "").replace("\u2028", ""),  # a title is one line
                description=f"line one\r\nline two\n{NASTY}\n",
                objective='"""',
                uplift_metric="\\",
                expected_uplift=1234.5,
                owner="\n",
                quarter="2027-Q3",
                costs=Costs(
                    training=1e15, deployment=0.1, monitoring=1e-7, incident_response=1e15 - 0.5
                ),
                needs=[],
            ),
            Feature(id="b", title="B", expected_uplift=250_000),
        ],
        criteria=[Criterion(id="c", name="C", min=-1e9, max=1e9)],
        scores=[
            Score(feature="b", criterion="c", participant="", value=-0.0),
            Score(feature="a", criterion="c", value=123456789.125),
            Score(feature="b", criterion="c", participant="p.1", value=1e9),
        ],
    )


def test_every_kind_of_value_is_written_as_the_reference_writes_it() -> None:
    plan = nasty_plan()
    text = export_toml(plan)
    assert text == reference(plan)
    assert "expected_uplift = 250000\n" in text  # a whole number as an integer
    assert "needs = []\n" in text  # a feature without needs still says so, before its tables
    assert "value = 1000000000\n" in text  # a score at its bound (SPEC section 1)
    assert "incident_response = 999999999999999.5\n" in text


def test_what_is_written_reads_back_as_the_same_records() -> None:
    plan = nasty_plan()
    back = parse_toml(export_toml(plan).encode())
    assert back.features == sorted(plan.features, key=lambda f: f.id)
    assert back.scores == sorted(plan.scores, key=lambda s: s.key)


def test_a_feature_with_needs_writes_them_as_tables_in_order() -> None:
    feature = Feature(
        id="f",
        title="F",
        needs=[
            Need(capability="z", required_maturity=1),
            Need(capability="a", required_maturity=4),
        ],
    )
    plan = Plan(workspace=WorkspaceInfo(name="W"), features=[feature])
    text = export_toml(plan)
    assert text == reference(plan)
    assert text.index('capability = "z"') < text.index('capability = "a"')
    assert tomllib.loads(text)["features"][0]["needs"][1] == {
        "capability": "a",
        "required_maturity": 4,
    }


def test_exporting_does_not_change_the_plan() -> None:
    plan = nasty_plan()
    before = plan.model_copy(deep=True)
    export_toml(plan)
    export_document(plan)
    assert plan == before


# ---------------------------------------------------------------- the bytes themselves

# What the exporter wrote before it wrote features and scores straight from the models
# (roadmap-tui at 4ed7879): the same workspace must keep giving the same bytes.
GOLDEN = "\n".join(
    [
        'format = "roadmap-tui/1"',
        "",
        "[workspace]",
        'name = "Golden"',
        'description = ""',
        'currency = "EUR"',
        'scoring_model = "weighted"',
        'aggregation = "median"',
        "disagreement_threshold = 0.5",
        "",
        "[[participants]]",
        'id = "ann"',
        'name = "Ann"',
        'role = ""',
        "",
        "[[capabilities]]",
        'id = "fs"',
        'name = "Feature store"',
        'category = "other"',
        "maturity = 1",
        'owner = ""',
        "annual_cost = 0",
        "upgrade_cost_per_level = 10000",
        'slo = ""',
        'description = ""',
        "",
        "[capabilities.computed]",
        "blocked_features = 1",
        "unlocked_value = 250000.0",
        "levels_needed = 2",
        "cost_to_close = 20000.0",
        "leverage = 12.5",
        "",
        "[[features]]",
        'id = "f1"',
        'title = "Say \\"hi\\""',
        'description = """',
        "two\\r",
        "lines",
        '"""',
        'value_point = "other"',
        'objective = ""',
        'uplift_metric = ""',
        "expected_uplift = 250000",
        'status = "proposed"',
        'owner = ""',
        'quarter = "2027-Q1"',
        "",
        "[features.costs]",
        "data_engineering = 0",
        "training = 1500.5",
        "deployment = 0",
        "monitoring = 0",
        "incident_response = 0",
        "",
        "[[features.needs]]",
        'capability = "fs"',
        "required_maturity = 3",
        "",
        "[features.computed]",
        "tco = 1500.5",
        "net_value = 248499.5",
        "roi = 165.6111",
        "payback_months = 0.072",
        "score = 62.5",
        "rank = 1",
        "complete = true",
        "readiness_gap = 2",
        'blocked_by = ["fs"]',
        "contested_criteria = []",
        "",
        "[[features]]",
        'id = "f2"',
        'title = "No needs"',
        'description = ""',
        'value_point = "other"',
        'objective = ""',
        'uplift_metric = ""',
        "expected_uplift = 0",
        'status = "proposed"',
        'owner = ""',
        'quarter = ""',
        "needs = []",
        "",
        "[features.costs]",
        "data_engineering = 0",
        "training = 0",
        "deployment = 0",
        "monitoring = 0",
        "incident_response = 0",
        "",
        "[features.computed]",
        "tco = 0.0",
        "net_value = 0.0",
        "complete = false",
        "readiness_gap = 0",
        "blocked_by = []",
        "contested_criteria = []",
        "",
        "[[criteria]]",
        'id = "value"',
        'name = "Value"',
        "weight = 2",
        "min = 1",
        "max = 5",
        "higher_is_better = true",
        "",
        "[[scores]]",
        'feature = "f1"',
        'criterion = "value"',
        'participant = ""',
        "value = 3.5",
        "",
        "[[scores]]",
        'feature = "f1"',
        'criterion = "value"',
        'participant = "ann"',
        "value = 4",
        "",
    ]
)


def golden_plan() -> Plan:
    return Plan(
        workspace=WorkspaceInfo(name="Golden", currency="EUR"),
        participants=[Participant(id="ann", name="Ann")],
        capabilities=[
            Capability(id="fs", name="Feature store", maturity=1, upgrade_cost_per_level=10000)
        ],
        features=[
            Feature(
                id="f1",
                title='Say "hi"',
                description="two\r\nlines\n",
                expected_uplift=250000,
                quarter="2027-Q1",
                costs=Costs(training=1500.5),
                needs=[Need(capability="fs", required_maturity=3)],
            ),
            Feature(id="f2", title="No needs"),
        ],
        criteria=[Criterion(id="value", name="Value", weight=2)],
        scores=[
            Score(feature="f1", criterion="value", participant="ann", value=4),
            Score(feature="f1", criterion="value", value=3.5),
        ],
    )


def test_the_export_is_byte_for_byte_what_it_was() -> None:
    assert export_toml(golden_plan()) == GOLDEN


# ---------------------------------------------------------------- the writer's pieces


def test_written_lines_are_spliced_where_the_array_would_be() -> None:
    rows = [{"id": "a", "n": 1}, {"id": "b", "n": 2.5}]
    lines: list[str] = []
    for row in rows:
        tomlwriter.table(row, "items", lines, array=True)
    document = {"format": "x", "items": tomlwriter.Written(lines), "after": [{"k": True}]}
    assert tomlwriter.dumps(document) == tomlwriter.dumps({**document, "items": rows})


@pytest.mark.parametrize("text", ["plain", "", NASTY, "two\nlines", 'ends in a quote"'])
def test_string_is_what_dumps_writes(text: str) -> None:
    assert f"k = {tomlwriter.string(text)}\n" == tomlwriter.dumps({"k": text})


# ---------------------------------------------------------------- import: same lines


def problems(text: str) -> list[str]:
    with pytest.raises(ExchangeError) as caught:
        parse_toml(text.encode())
    return caught.value.problems


def test_problems_keep_the_files_order_across_shapes_and_records() -> None:
    text = """
format = "roadmap-tui/1"
zzz = 1
features = 3
[workspace]
name = ""
[[participants]]
id = "Ann"
name = "Ann"
[[scores]]
feature = "f"
criterion = "c"
value = true
"""
    assert problems(text) == [
        "workspace.name: is required and cannot be blank",
        "participants[0].id: must be an id: 1-64 characters of a-z, 0-9, '.', '_' or '-', "
        "starting with a letter or digit",
        "features: must be an array of tables ([[features]])",
        "scores[0].value: must be a number, not true/false",
        "zzz: unknown key",
    ]


def test_a_workspace_that_is_not_a_table_says_so() -> None:
    assert problems('format = "roadmap-tui/1"\nworkspace = 5\n') == ["workspace: must be a table"]


def test_a_missing_workspace_is_said_once_with_the_other_problems() -> None:
    text = 'format = "roadmap-tui/1"\n[[features]]\nid = "f"\n'
    assert problems(text) == [
        "workspace: required ([workspace] with at least name)",
        "features[0].title: required",
    ]


def test_a_nested_table_of_the_wrong_shape_says_so_in_the_apps_words() -> None:
    text = (
        'format = "roadmap-tui/1"\n[workspace]\nname = "W"\n'
        '[[features]]\nid = "f"\ntitle = "F"\ncosts = 5\n'
    )
    assert problems(text) == ["features[0].costs: must be a table"]


def test_computed_tables_are_ignored_and_nothing_else() -> None:
    text = (
        'format = "roadmap-tui/1"\n[workspace]\nname = "W"\n'
        '[[features]]\nid = "f"\ntitle = "F"\n[features.computed]\nscore = "anything"\n'
        '[[criteria]]\nid = "c"\nname = "C"\n[criteria.computed]\nx = 1\n'
    )
    assert problems(text) == ["criteria[0].computed: unknown key"]
