"""The workshop of issue 20, by keys only at 80×24: from `roadmap-tui new` to the exports.

One app run walks the workshop as a facilitator would: on the Map, three
capabilities (one by its form, two by quick add), four features (one by its
form, three by quick add) and their needs; on Score, three participants added in
the panel and every one of their votes typed (each shown in its row at once), a
weight lowered (the ranking moves) and the weighted export checked against SPEC
section 2; then RICE and WSJF chosen with M, their criteria voted, and each
model's export checked too; back to the weighted model, two risks, a policy, a
decision about the top feature and a last export. A second run opens the file
again: the join dialog is answered by keys and the Overview shows the ranking.

Every expected number is computed here from the votes typed, not by the app's
own scoring. About 740 keys, typed as a fast typist does (support.type_keys: each
key waits for the screen to take it, each burst for the app to be idle): Pilot's
press, which waits for idleness twice after every key, took a minute.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from roadmap_tui.app import RoadmapApp
from roadmap_tui.cli import main
from support import app_for, screen_text, type_keys

ACTOR = "Kim Lee"  # no participant: asked whom to vote as once there are some

# The starter criteria of `roadmap-tui new`, in the Score screen's column order (by id):
# (id, weight, min, max, higher is better)
STARTER = [
    ("business_value", 3, 1, 5, True),
    ("compliance_readiness", 1, 1, 5, True),
    ("data_availability", 2, 1, 5, True),
    ("model_risk", 1, 1, 5, False),
    ("monitoring_readiness", 1, 1, 5, True),
]
FEATURES = {  # id: title, in title order (the Map's and the sorted Score's rows)
    "demand-forecast": "Demand forecast",
    "fresh-waste-alerts": "Fresh waste alerts",
    "personal-offers": "Personal offers",
    "store-anomalies": "Store anomalies",
}
PEOPLE = {"ana-ruiz": "Ana Ruiz", "jonas-weber": "Jonas Weber", "priya-nair": "Priya Nair"}
# Every participant's vote, per feature, in STARTER's order.
VOTES = {
    "ana-ruiz": {
        "demand-forecast": [5, 4, 4, 2, 3],
        "fresh-waste-alerts": [4, 3, 5, 1, 4],
        "personal-offers": [3, 2, 2, 4, 2],
        "store-anomalies": [2, 5, 3, 3, 5],
    },
    "jonas-weber": {
        "demand-forecast": [4, 4, 5, 3, 3],
        "fresh-waste-alerts": [2, 4, 4, 2, 3],
        "personal-offers": [5, 1, 3, 5, 1],
        "store-anomalies": [3, 4, 2, 2, 4],
    },
    "priya-nair": {
        "demand-forecast": [5, 3, 4, 1, 2],
        "fresh-waste-alerts": [3, 3, 5, 3, 4],
        "personal-offers": [4, 2, 1, 5, 3],
        "store-anomalies": [1, 5, 3, 4, 5],
    },
}
NEW_WEIGHT = 0.5  # business value's, lowered from 3 with `-` five times (a step of 0.5)
# The facilitator's consensus values, typed after the models add their criteria.
RICE = {  # reach, impact, confidence, effort
    "demand-forecast": ("5000", "2", "80", "4"),
    "fresh-waste-alerts": ("12000", "1", "50", "2"),
    "personal-offers": ("40000", "0.5", "70", "6"),
    "store-anomalies": ("800", "3", "90", "1"),
}
WSJF = {  # time criticality, risk reduction, job size (business value: the room's median)
    "demand-forecast": ("8", "5", "13"),
    "fresh-waste-alerts": ("3", "2", "2"),
    "personal-offers": ("5", "8", "8"),
    "store-anomalies": ("13", "3", "5"),
}
# title, category (downs from model-risk), feature (downs from (none)), likelihood, impact, exposure
RISKS = [
    ("Forecast drift", 3, 1, "4", "3", "200000"),  # drift, demand-forecast
    ("Offers leak data", 2, 3, "2", "5", "500000"),  # privacy, personal-offers
]
DECIDED = "fresh-waste-alerts"  # the top feature once business value weighs 0.5


# -- reading the screen --------------------------------------------------------------------------


def matrix_line(screen: str, feature: str) -> tuple[str, str, list[str]]:
    """The feature's row of the score matrix on `screen`: its rank, its score and its cells."""
    title = FEATURES[feature]
    line = next(line for line in screen.splitlines() if f" {title} " in line)
    at = line.index(f" {title} ") + 1
    left = line[at - 16 : at]  # movement (4), rank (4), score (8): ScoreMatrix.FIXED_LEFT
    return left[4:8].strip(), left[8:].strip(), line[at + len(title) :].split()


# -- what SPEC section 2 says the numbers are -------------------------------------------------


def median_votes(feature: str, column: int) -> float:
    """The aggregated value: the median of the participants' votes (no consensus here)."""
    return statistics.median(VOTES[person][feature][column] for person in PEOPLE)


def weighted_scores(business_value_weight: float = NEW_WEIGHT) -> dict[str, float]:
    """100 × Σ(weight × n) / Σ(weight), n normalised by min and max, inverted when lower is
    better; every criterion has a weight above 0."""
    scores = {}
    for feature in FEATURES:
        total = weights = 0.0
        for column, (criterion, weight, low, high, higher) in enumerate(STARTER):
            if criterion == "business_value":
                weight = business_value_weight
            n = (median_votes(feature, column) - low) / (high - low)
            total += weight * (n if higher else 1 - n)
            weights += weight
        scores[feature] = 100 * total / weights
    return scores


def rice_scores() -> dict[str, float]:
    return {
        feature: float(reach) * float(impact) * (float(confidence) / 100) / float(effort)
        for feature, (reach, impact, confidence, effort) in RICE.items()
    }


def wsjf_scores() -> dict[str, float]:
    return {
        feature: (median_votes(feature, 0) + float(time) + float(risk)) / float(size)
        for feature, (time, risk, size) in WSJF.items()
    }


def ranks(scores: dict[str, float]) -> dict[str, int]:
    """By score, highest first, ties by id: 1, 2, 3, …"""
    ordered = sorted(scores, key=lambda feature: (-scores[feature], feature))
    return {feature: rank for rank, feature in enumerate(ordered, 1)}


# -- driving the app by keys ---------------------------------------------------------------------


async def shows(pilot, text: str) -> str:
    """The screen once `text` is on it (a dialog or a notification is drawn a frame later)."""
    for _ in range(20):
        shown = screen_text(pilot.app)
        if text in shown:
            return shown
        await pilot.pause(0.05)
    raise AssertionError(f"{text!r} is not on the screen:\n{screen_text(pilot.app)}")


async def map_the_roadmap(pilot) -> None:
    """Capabilities and features on the Map, then each feature's needs in the grid."""
    await type_keys(pilot, "m", "N")  # the capability form: name, id, category, maturity, …
    await shows(pilot, "New capability")
    await type_keys(
        pilot, *"Feature store", "tab", "tab", "tab", "2", "tab", "tab", "tab", *"10000"
    )
    await type_keys(pilot, "ctrl+s")
    await shows(pilot, "FS2 = Feature store · now 2/4")
    for name in ("Model serving", "Drift monitoring"):
        await type_keys(pilot, "C")
        await shows(pilot, "Capability name:")
        await type_keys(pilot, *name, "enter")
        await shows(pilot, f"= {name} · now 0/4")
    await type_keys(pilot, "n")  # the feature form: title, id, description, value point, objective,
    await shows(pilot, "New feature")  # uplift metric, expected uplift, …, the costs
    await type_keys(pilot, *"Demand forecast", *["tab"] * 6, *"400000", *["tab"] * 5, *"50000")
    await type_keys(pilot, "ctrl+s")
    await shows(pilot, "uplift $400k · TCO $50k")
    for title in list(FEATURES.values())[1:]:
        await type_keys(pilot, "a")
        await shows(pilot, "Feature title:")
        await type_keys(pilot, *title, "enter")
        await shows(pilot, f"│{title} ")  # the selected feature: the one just added
    # The grid's columns are the capabilities by id (DM0 FS2 MS0), its rows the features by
    # title; the cursor is on the last feature added, in the first column.
    await type_keys(pilot, "space")  # store-anomalies needs drift monitoring as it is (0)
    await type_keys(pilot, "up", "up", "right", "space")  # fresh-waste-alerts: feature store at 2
    await type_keys(pilot, "up", "3", "left", "1")  # demand-forecast: feature store 3, drift 1
    await type_keys(pilot, "down", "down", "right", "right", "2")  # personal-offers: serving 2
    pilot.app.clear_notifications()  # the last "Added …" toasts lie over the grid's right side
    await pilot.pause()
    lines = screen_text(pilot.app).splitlines()
    grid = {
        title: next(line for line in lines if f" {title} " in line) for title in FEATURES.values()
    }
    assert {title: line.split(title)[1].split() for title, line in grid.items()} == {
        "Demand forecast": ["▲1/0", "▲3/2", "·"],  # ▲ one level short
        "Fresh waste alerts": ["·", "✓2/2", "·"],  # ✓ met
        "Personal offers": ["·", "·", "✗2/0"],  # ✗ two or more short
        "Store anomalies": ["✓0/0", "·", "·"],
    }
    blocked = [title for title, line in grid.items() if line.startswith("✗ ")]
    assert blocked == ["Demand forecast", "Personal offers"]


async def add_participants(pilot) -> None:
    await type_keys(pilot, "s", "P")
    await shows(pilot, "No participants yet: n adds one.")
    for name in PEOPLE.values():
        await type_keys(pilot, "n")
        await shows(pilot, "New participant")
        await type_keys(pilot, *name, "ctrl+s")
        await shows(pilot, f"  {name}  ")  # in the panel's table
    await type_keys(pilot, "escape")
    await shows(pilot, "Voting as the consensus (facilitator)")


class Cursor:
    """Where the Score matrix's cursor is, moved by arrow keys only: a row (features sorted
    by title) and a column (the criteria shown, by id). It starts on the first cell."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.row = self.column = 0
        self.columns = [c[0] for c in STARTER]

    def reshape(self, criteria: list[str]) -> None:
        """New columns (the model's criteria, in the order it shows them): the cursor stays
        on its criterion, or where it was when that one is gone (CellGrid._set_shape)."""
        current = self.columns[self.column]
        self.columns = list(criteria)
        found = current in self.columns
        self.column = self.columns.index(current) if found else min(self.column, len(criteria) - 1)

    @property
    def feature(self) -> str:
        return list(FEATURES)[self.row]

    @property
    def criterion(self) -> str:
        return self.columns[self.column]

    async def go(self, feature: str, criterion: str) -> None:
        row, column = list(FEATURES).index(feature), self.columns.index(criterion)
        rows, columns = row - self.row, column - self.column
        keys = ["down" if rows > 0 else "up"] * abs(rows)
        keys += ["right" if columns > 0 else "left"] * abs(columns)
        await type_keys(self.pilot, *keys)
        self.row, self.column = row, column


def cell_text(values: list[float], low: float, high: float) -> str:
    """A matrix cell as SPEC section 2 says it reads: the median, ◆ when contested."""
    spread = max(values) - min(values)
    contested = len(values) > 1 and spread / (high - low) >= 0.5  # the default threshold
    return f"{statistics.median(values):g}" + ("◆" if contested else "")


def as_shown(value: float) -> str:
    """A value as a cell shows it, in five characters: 800, 0.5, 5.0k, 12k."""
    if value >= 1e4:
        return f"{value / 1e3:.0f}k"
    return f"{value / 1e3:.1f}k" if value >= 1e3 else f"{value:g}"


def snake() -> list[tuple[str, int]]:
    """Every cell of the weighted matrix, row by row, each row walked back from where the
    last one ended: one key between cells."""
    cells = []
    for row, feature in enumerate(FEATURES):
        columns = range(len(STARTER))
        cells += [(feature, column) for column in (columns if row % 2 == 0 else columns[::-1])]
    return cells


async def vote_as_everyone(pilot, cursor: Cursor) -> None:
    """Each participant in turn (v), every vote a digit, each shown in its row at once."""
    await type_keys(pilot, "S", "S")  # rank, score, title: rows stay put while the ranking moves
    await shows(pilot, "sorted by title")
    typed: dict[tuple[str, int], list[float]] = {}
    for turn, (person, name) in enumerate(PEOPLE.items()):
        await type_keys(pilot, "v")
        await shows(pilot, f"Voting as {name} ·")
        for feature, column in snake()[:: -1 if turn % 2 else 1]:
            criterion, _, low, high, _ = STARTER[column]
            vote = VOTES[person][feature][column]
            await cursor.go(feature, criterion)
            await type_keys(pilot, str(vote))
            await pilot.pause()
            values = typed.setdefault((feature, column), [])
            values.append(vote)
            screen = screen_text(pilot.app)
            _, _, cells = matrix_line(screen, feature)
            assert cells[column] == cell_text(values, low, high), (person, feature, criterion)
            assert f"you: {vote}" in screen


def assert_rows_show(app: RoadmapApp, scores: dict[str, float]) -> None:
    """Each feature's row shows the rank and score SPEC section 2 gives."""
    expected, screen = ranks(scores), screen_text(app)
    for feature, score in scores.items():
        rank, shown, _ = matrix_line(screen, feature)
        assert (rank, shown) == (str(expected[feature]), f"{score:.1f}"), feature


async def change_a_weight(pilot, cursor: Cursor) -> None:
    """Business value's weight from 3 to 0.5, on its column: the ranking moves."""
    before, after = ranks(weighted_scores(business_value_weight=3)), ranks(weighted_scores())
    assert (before[DECIDED], after[DECIDED]) == (2, 1)  # what these votes were chosen for
    assert_rows_show(pilot.app, weighted_scores(business_value_weight=3))
    await cursor.go(cursor.feature, "business_value")
    await type_keys(pilot, *["minus"] * 5)
    await shows(pilot, "weights BV 0.5 ·")
    assert_rows_show(pilot.app, weighted_scores())


async def export(pilot, name: str = "") -> dict:
    """ctrl+e, a file name typed over the proposed path (relative to the test's folder; none:
    the proposed one, next to the workspace), enter: the file written, read back."""
    await type_keys(pilot, "ctrl+e")
    await shows(pilot, "Whole workspace (TOML)")
    await type_keys(pilot, *name, "enter")
    await pilot.app.workers.wait_for_complete()
    path = Path(name or "workshop.toml")
    await shows(pilot, f"Wrote {path.name}")
    pilot.app.clear_notifications()  # read: the keys go on faster than the notice fades
    return tomllib.loads(path.read_text(encoding="utf-8"))


def assert_exported_scores(document: dict, model: str, scores: dict[str, float]) -> None:
    """The file's model, and each feature's computed score and rank, as SPEC section 2 says."""
    assert document["workspace"]["scoring_model"] == model
    expected = ranks(scores)
    for feature in document["features"]:
        computed = feature["computed"]
        assert computed["complete"] is True
        assert computed["score"] == round(scores[feature["id"]], 4), feature["id"]
        assert computed["rank"] == expected[feature["id"]], feature["id"]


def participants_votes(document: dict) -> dict[tuple[str, str, str], float]:
    return {
        (s["feature"], s["criterion"], s["participant"]): s["value"]
        for s in document["scores"]
        if s["participant"]
    }


async def export_weighted(pilot) -> None:
    document = await export(pilot, "weighted.toml")
    assert_exported_scores(document, "weighted", weighted_scores())
    weights = {c["id"]: c["weight"] for c in document["criteria"]}
    assert weights == {"business_value": 0.5, **{c[0]: c[1] for c in STARTER[1:]}}
    assert participants_votes(document) == {
        (feature, STARTER[column][0], person): vote
        for person, features in VOTES.items()
        for feature, votes in features.items()
        for column, vote in enumerate(votes)
    }
    assert [(p["id"], p["name"]) for p in document["participants"]] == list(PEOPLE.items())


async def choose_model(pilot, keys: list[str], model: str) -> None:
    """M, then keys in the model picker (down to a model, then a: add its criteria and use it;
    enter: use it), and the status line says the model."""
    await type_keys(pilot, "M")
    await shows(pilot, "Scoring model")
    await type_keys(pilot, *keys)
    await shows(pilot, f"· {model} model ·")


async def vote_consensus(
    pilot, cursor: Cursor, columns: list[str], values: dict[str, tuple[str, ...]]
) -> None:
    """As the facilitator, each feature's value for each criterion of `columns`: a digit, or
    typed after enter; the line under the matrix names the criterion and the value."""
    for row, feature in enumerate(FEATURES):
        typed = dict(zip(columns, values[feature], strict=True))
        ordered = sorted(columns, key=cursor.columns.index)  # left to right, then back
        for criterion in ordered[:: -1 if row % 2 else 1]:
            value = typed[criterion]
            await cursor.go(feature, criterion)
            await shows(pilot, f" {CRITERION_NAMES[criterion]} ")
            await type_keys(pilot, *(value if len(value) == 1 else ("enter", *value, "enter")))
            await shows(pilot, f"you: {as_shown(float(value))} ")


RICE_CRITERIA = ["reach", "impact", "confidence", "effort"]  # RICE's values, in that order
WSJF_CRITERIA = ["time_criticality", "risk_reduction", "job_size"]  # and WSJF's
CRITERION_NAMES = {
    "reach": "Reach (people per quarter)",
    "impact": "Impact (0.25 minimal … 3 massive)",
    "confidence": "Confidence (%)",
    "effort": "Effort (person-months)",
    "time_criticality": "Time criticality",
    "risk_reduction": "Risk reduction / opportunity",
    "job_size": "Job size",
}


async def score_with_rice(pilot, cursor: Cursor) -> None:
    await choose_model(pilot, ["down", "a"], "rice")  # weighted, rice, wsjf; on weighted
    cursor.reshape(RICE_CRITERIA)  # RICE's four alone, in the formula's order
    await type_keys(pilot, "v")  # after the last participant: the consensus
    await shows(pilot, "Voting as the consensus (facilitator) ·")
    await vote_consensus(pilot, cursor, RICE_CRITERIA, RICE)
    assert_rows_show(pilot.app, rice_scores())
    assert_exported_scores(await export(pilot, "rice.toml"), "rice", rice_scores())


async def score_with_wsjf(pilot, cursor: Cursor) -> None:
    await choose_model(pilot, ["down", "a"], "wsjf")  # on rice, the current one
    cursor.reshape(["business_value", *WSJF_CRITERIA])  # business value is there already
    await vote_consensus(pilot, cursor, WSJF_CRITERIA, WSJF)
    assert_rows_show(pilot.app, wsjf_scores())
    assert_exported_scores(await export(pilot, "wsjf.toml"), "wsjf", wsjf_scores())


async def back_to_weighted(pilot, cursor: Cursor) -> None:
    """The criteria RICE and WSJF added have weight 0: hidden, and the scores as they were."""
    await choose_model(pilot, ["up", "up", "enter"], "weighted")
    cursor.reshape(sorted(c[0] for c in STARTER))
    await shows(pilot, "7 of weight 0 hidden")
    assert_rows_show(pilot.app, weighted_scores())


async def pick(pilot, downs: int) -> None:
    """In a form's list (a Select): open it, choose the option `downs` below the first."""
    await type_keys(pilot, "enter")
    await pilot.pause()  # the list opens a frame later: a key before it would be lost
    await type_keys(pilot, "home", *["down"] * downs, "enter")


async def register_risks(pilot) -> None:
    """Two risks by their forms: a category and a feature picked in their lists, the scales
    and the exposure typed; ctrl+r takes the proposed business-impact sentence."""
    await type_keys(pilot, "r")
    for title, category_downs, feature_downs, likelihood, impact, exposure in RISKS:
        await type_keys(pilot, "n")
        await shows(pilot, "New risk")
        await type_keys(pilot, *title, "tab", "tab")  # past the id, to the category
        await pick(pilot, category_downs)
        await type_keys(pilot, "tab")
        await pick(pilot, feature_downs)
        await type_keys(pilot, "tab", "tab")
        await type_keys(pilot, likelihood, "tab", impact, "tab", *exposure, "ctrl+r", "ctrl+s")
        await shows(pilot, f" {title} ")  # in the register


async def write_a_policy(pilot) -> None:
    await type_keys(pilot, "p", "n")
    await shows(pilot, "New policy")
    await type_keys(pilot, *"Rollback runbook", "tab", "tab")  # past the id, to the category
    await pick(pilot, 3)  # rollback
    await type_keys(pilot, "tab", "tab", "tab", *"2027-03-31", "tab")  # past owner and version
    await type_keys(
        pilot, "down", "down", "space"
    )  # applies to: Drift, Feature store, Model serving
    await type_keys(pilot, "tab", *"Undo in 15 min.", "ctrl+s")
    await shows(pilot, "Undo in 15 min.")  # the body, shown as Markdown


async def record_a_decision(pilot, cursor: Cursor) -> None:
    """D on the Score screen, the cursor on the top feature: the form names it already."""
    await type_keys(pilot, "s")
    await cursor.go(DECIDED, cursor.criterion)
    await type_keys(pilot, "D")
    await shows(pilot, "Record a decision")
    await type_keys(pilot, *"Fund the waste alerts first", *["tab"] * 4)  # id, date, outcome
    await type_keys(pilot, *"Top score.", "tab")  # the rationale
    await type_keys(
        pilot, "space", "down", "space", "ctrl+s"
    )  # decided by Ana Ruiz and Jonas Weber
    await shows(pilot, "Recorded: Fund the waste")  # the notification, wrapped


def assert_the_workshop_exported(document: dict) -> None:
    """The last export: the map, the votes of all three models, the risks, the policy and the
    decision, with what SPEC section 2 computes from them."""
    assert_exported_scores(document, "weighted", weighted_scores())
    features = {f["id"]: f for f in document["features"]}
    assert {f: [(n["capability"], n["required_maturity"]) for n in features[f]["needs"]]
            for f in FEATURES} == {
        "demand-forecast": [("drift-monitoring", 1), ("feature-store", 3)],
        "fresh-waste-alerts": [("feature-store", 2)],
        "personal-offers": [("model-serving", 2)],
        "store-anomalies": [("drift-monitoring", 0)],
    }  # fmt: skip
    forecast = features["demand-forecast"]
    assert (forecast["expected_uplift"], forecast["costs"]["data_engineering"]) == (400000, 50000)
    assert forecast["computed"]["roi"] == 7  # (400k - 50k) / 50k
    assert forecast["computed"]["blocked_by"] == ["drift-monitoring", "feature-store"]
    store = next(c for c in document["capabilities"] if c["id"] == "feature-store")
    assert (store["maturity"], store["upgrade_cost_per_level"]) == (2, 10000)
    assert store["computed"]["leverage"] == 40  # unlocks 400k for one level at 10k
    consensus = {
        (s["feature"], s["criterion"]): str(s["value"])
        for s in document["scores"]
        if not s["participant"]
    }
    assert consensus == {
        **{
            (f, c): v
            for f, values in RICE.items()
            for c, v in zip(RICE_CRITERIA, values, strict=True)
        },
        **{
            (f, c): v
            for f, values in WSJF.items()
            for c, v in zip(WSJF_CRITERIA, values, strict=True)
        },
    }
    assert len(participants_votes(document)) == 60
    risks = {r["id"]: (r["category"], r["feature"], r["computed"]["expected_loss"])
             for r in document["risks"]}  # fmt: skip
    assert risks == {
        "forecast-drift": ("drift", "demand-forecast", 160000),  # 200k × 0.80
        "offers-leak-data": ("privacy", "personal-offers", 100000),  # 500k × 0.20
    }
    [policy] = document["policies"]
    assert (policy["id"], policy["category"], policy["applies_to"], policy["review_by"]) == (
        "rollback-runbook", "rollback", ["model-serving"], dt.date(2027, 3, 31)
    )  # fmt: skip
    [decision] = document["decisions"]
    assert (decision["features"], decision["decided_by"]) == (
        [DECIDED],
        ["ana-ruiz", "jonas-weber"],
    )
    assert decision["basis"]["scoring_model"] == "weighted"
    assert decision["basis"]["weights"]["business_value"] == NEW_WEIGHT
    [snapshot] = decision["snapshot"]
    assert (snapshot["feature"], snapshot["rank"]) == (DECIDED, 1)
    assert snapshot["score"] == pytest.approx(weighted_scores()[DECIDED])  # data: not rounded


@pytest.mark.slow
async def test_a_workshop_by_keys_from_new_to_export(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # export file names are typed relative to here: short to type
    path = tmp_path / "workshop.db"
    created = CliRunner().invoke(main, ["new", str(path), "--as", ACTOR])
    assert created.exit_code == 0, created.output
    app = app_for(path, ACTOR, join=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()  # no participants yet: nobody is asked whom they vote as
        await map_the_roadmap(pilot)
        await add_participants(pilot)
        cursor = Cursor(pilot)
        await vote_as_everyone(pilot, cursor)
        await change_a_weight(pilot, cursor)
        await export_weighted(pilot)
        await score_with_rice(pilot, cursor)
        await score_with_wsjf(pilot, cursor)
        await back_to_weighted(pilot, cursor)
        await register_risks(pilot)
        await write_a_policy(pilot)
        await record_a_decision(pilot, cursor)
        assert_the_workshop_exported(await export(pilot))  # where the dialog proposes
        await type_keys(pilot, "ctrl+q")
    assert app.return_code == 0

    app = app_for(path, ACTOR, join=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await shows(pilot, "Who is voting here?")  # Kim Lee is none of the participants
        await type_keys(pilot, "down", "enter")  # the second: Jonas Weber
        overview = await shows(pilot, "weighted · median · USD")  # the dialog has gone
        scores = weighted_scores()
        for feature, rank in ranks(scores).items():  # "  1.  77.3 ✓ ready   Fresh waste aler…"
            line = next(line for line in overview.splitlines() if FEATURES[feature][:15] in line)
            assert re.search(rf"│ +{rank}\. +{scores[feature]:.1f} [✓✗]", line), line
        await type_keys(pilot, "s")
        await shows(pilot, "Voting as Jonas Weber ·")
        assert_rows_show(app, weighted_scores())
        await type_keys(pilot, "d")
        await shows(pilot, "Fund the waste alerts first")
