"""SPEC section 1, Bounds: whatever a file holds, an import refuses it cleanly or the
workspace it makes scores, exports finite TOML 1.0, re-imports byte-identically, opens and
shows every screen (issue 22): numbers at and beyond every bound, documents nested just
under and over 32 levels, hundreds of records and long arrays, and every class of hostile
text (tests/strategies.py, tests/hostile.py).

Before the bounds, 1.7e308 amounts, +-1e308 criterion ranges or a rank of 10**29 were
accepted and committed, then overflowed in fsum (a traceback, exit 1) or were exported as
integers TOML 1.0 cannot hold; the workspace then failed to open.
"""

from __future__ import annotations

import asyncio
import math
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from conftest import ACTOR, fixed_clock, type_keys
from hostile import hostile_plan
from roadmap_tui import risk, scoring
from roadmap_tui.app import make_app
from roadmap_tui.decisions import capture
from roadmap_tui.errors import ExchangeError, WorkspaceError
from roadmap_tui.exchange import export_toml, parse_toml
from roadmap_tui.models import (
    COST_FIELDS,
    MODEL_CRITERIA,
    Aggregation,
    Costs,
    Criterion,
    Feature,
    Plan,
    Score,
    ScoringModel,
    WorkspaceInfo,
    choices,
)
from roadmap_tui.overview_summary import summarize
from roadmap_tui.screens import SCREENS
from roadmap_tui.state import WorkspaceState
from roadmap_tui.workspace import Workspace
from strategies import plans
from test_workspace_bulk import big_plan


def inside(low: float, high: float, *edges: float) -> st.SearchStrategy[float]:
    """A number inside [low, high], at its ends (or at `edges`) often."""
    return st.one_of(st.sampled_from((low, high, *edges)), st.floats(low, high))


def outside(huge: tuple[float, ...], *others: float) -> st.SearchStrategy[float]:
    """A number beyond a bound: as often one of `huge` (those that overflowed) as one of
    `others`, NaN or an infinity."""
    nan, inf = float("nan"), float("inf")
    return st.one_of(st.sampled_from(huge), st.sampled_from((*others, nan, inf, -inf)))


# Each kind of number: inside its bound (SPEC section 1), and beyond it.
KINDS = {
    "money": (
        inside(0.0, 1e15, -0.0, 5e-324, 0.5, 1e15 - 0.5),
        outside((1.7e308, 1e308), 1e16, -1.0),
    ),
    "weight": (inside(0.0, 1e6, -0.0, 5e-324, 1.0), outside((1e308, 1.7e308), 1e6 + 1, -1.0)),
    "criterion": (
        inside(-1e9, 1e9, -0.0, 1e9 - 2e-6),
        outside((-1e308, -1.7e308), 1e308, -1e9 - 1, 1e9 + 1),
    ),
    # A criterion's max - min: 1e-6 may round below itself near 1e9 (then refused).
    "width": (st.sampled_from([1.0, 4.0, 2e-6, 2e9]), outside((1e308,), 1e-6, 1e-9, 5e-324)),
    "score": (st.nothing(), outside((1.7e308, -1.7e308), 1e9 + 1)),  # inside: its range
    # A snapshot's score and roi: any finite number.
    "finite": (inside(-1e300, 1e300, 1.7e308, -1.7e308), outside((1.7e308,))),
    "rank": (st.sampled_from([1, 4, 2**53, 2**63 - 1]), st.sampled_from([0, 2**63, 10**29])),
    "gap": (st.sampled_from([0, 4, 2**53, 2**63 - 1]), st.sampled_from([-1, 2**63, 10**29])),
}
CRITERIA = sorted({c for needed in MODEL_CRITERIA.values() for c in needed})  # fit every model


def toml_number(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    if value != value:
        return "nan"
    return repr(value)  # inf, -inf, 1e+308, -0.0, 5e-324: every one TOML 1.0 reads


@st.composite
def plan_files(draw: st.DrawFn) -> str:
    """A whole file holding every kind of number a workspace holds, most inside their bound
    (SPEC section 1), so that about half the files import."""
    # A few kinds go beyond their bound, each with one value (as 1.7e308 on two features
    # overflowed their sum), here and there among values inside it.
    beyond = {
        kind: draw(KINDS[kind][1])
        for kind in draw(st.sets(st.sampled_from(sorted(KINDS)), max_size=3))
    }

    def pick(kind: str, tame: st.SearchStrategy[Any] | None = None) -> Any:
        inner = KINDS[kind][0] if tame is None else tame
        if kind in beyond and draw(st.booleans()):
            return beyond[kind]
        return draw(inner)

    def n(kind: str = "money") -> str:
        return toml_number(pick(kind))

    model = draw(st.sampled_from(choices(ScoringModel)))
    aggregation = draw(st.sampled_from(choices(Aggregation)))
    lines = [
        'format = "roadmap-tui/1"',
        f'[workspace]\nname = "W"\nscoring_model = "{model}"\naggregation = "{aggregation}"',
        '[[participants]]\nid = "p"\nname = "P"',
        f'[[capabilities]]\nid = "fs"\nname = "FS"\nannual_cost = {n()}\n'
        f"upgrade_cost_per_level = {n()}",
    ]
    for fid in ("a", "b"):
        costs = "\n".join(f"{c} = {n()}" for c in COST_FIELDS)
        lines.append(
            f'[[features]]\nid = "{fid}"\ntitle = "{fid}"\nexpected_uplift = {n()}\n'
            f'[features.costs]\n{costs}\n[[features.needs]]\ncapability = "fs"\n'
            "required_maturity = 2"
        )
    for cid in CRITERIA:
        low = pick("criterion")
        width = pick("width")
        high = min(low + width, 1e9) if abs(low) <= 1e9 else -low
        if high - low < width / 2:  # low at the top of the scale: the range goes down
            low = high - width
        lines.append(
            f'[[criteria]]\nid = "{cid}"\nname = "C"\nweight = {n("weight")}\n'
            f"min = {toml_number(low)}\nmax = {toml_number(high)}"
        )
        for fid in ("a", "b"):
            for participant in ("", "p"):
                ordered = math.isfinite(low) and math.isfinite(high) and low < high
                tame = inside(low, high, low / 2 + high / 2) if ordered else st.just(1.0)
                value = toml_number(pick("score", tame))
                lines.append(
                    f'[[scores]]\nfeature = "{fid}"\ncriterion = "{cid}"\n'
                    f'participant = "{participant}"\nvalue = {value}'
                )
    lines.append(
        f'[[risks]]\nid = "r"\ntitle = "R"\nfeature = "a"\nlikelihood = 5\nimpact = 5\n'
        f"exposure = {n()}"
    )
    lines.append(
        '[[decisions]]\nid = "d"\ntitle = "D"\ndate = 2027-01-01\noutcome = "approved"\n'
        f'features = ["a"]\n[decisions.basis]\nscoring_model = "{model}"\n'
        f'aggregation = "{aggregation}"\nweights = {{ c = {n("weight")} }}\n'
        f'[[decisions.snapshot]]\nfeature = "a"\nscore = {n("finite")}\nrank = {n("rank")}\n'
        f"roi = {n('finite')}\nreadiness_gap = {n('gap')}"
    )
    return "\n".join(lines) + "\n"


def imported_or_refused(text: str, folder: Path) -> Path | None:
    """The invariant's first half: the import refuses `text` cleanly (None), or the
    workspace it makes scores, records a decision, and exports TOML 1.0 with finite
    numbers only that re-imports byte-identically (its path)."""
    try:
        plan = parse_toml(text.encode())
    except ExchangeError as refused:
        assert refused.problems and all(": " in line for line in refused.problems)
        event("refused by the models")
        return None
    path = folder / "w.db"
    try:
        workspace = Workspace.create(path, plan, actor="ann")
    except WorkspaceError:  # ImportRefused: a score outside its criterion's range
        assert not path.exists()
        event("refused by the references")
        return None
    with workspace:
        WorkspaceState(workspace).keep_overview()  # what the CLI runs after its commit
        stored = workspace.plan()
    evaluation = scoring.evaluate(stored)
    if stored.decisions and stored.features:
        linked = stored.decisions[0].model_copy(
            update={"features": [f.id for f in stored.features]}
        )
        assert len(capture(linked, stored, evaluation).snapshot) == len(stored.features)
    summarize(stored, evaluation, {r.id: risk.assess(r) for r in stored.risks}).to_json()
    event("imported")
    exported = export_toml(stored)
    assert all(math.isfinite(x) for x in floats(tomllib.loads(exported)))
    assert export_toml(parse_toml(exported.encode())) == exported
    return path


def floats(value: object) -> Iterator[float]:
    """Every float in a parsed document."""
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from floats(item)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(plan_files())
def test_any_numbers_are_refused_cleanly_or_score_export_and_reimport(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        imported_or_refused(text, Path(folder))


# -- the whole invariant: and then the app opens and shows every screen ----------------------

TOP = 'format = "roadmap-tui/1"\n[workspace]\nname = "W"\n'


def nested(depth: int) -> str:
    """A document with a value `depth` arrays deep, in a table the import ignores: it
    imports up to 32 levels (SPEC section 1), and is refused, unparsed, beyond."""
    value = "[" * depth + "]" * depth
    return f'{TOP}[[features]]\nid = "f"\ntitle = "F"\n[features.computed]\nx = {value}\n'


def wide_plan() -> Plan:
    """Hundreds of records and long arrays: a decision on every feature, 2,000 follow-ups."""
    plan = big_plan(400)
    decision = plan.decisions[0].model_copy(
        update={
            "features": [f.id for f in plan.features],
            "follow_ups": [f"follow-up {i}" for i in range(2_000)],
        }
    )
    return plan.model_copy(update={"decisions": [decision]})


def huge_scores_plan() -> Plan:
    """RICE scores of -1e308 and 1e308, and one that overflows (an effort of 5e-324): the
    value-vs-effort chart crashed on their range."""
    rice = ("reach", "impact", "confidence", "effort")
    top = 1e9
    efforts = {"up": 1e-290, "down": 1e-290, "over": 5e-324}
    return Plan(
        workspace=WorkspaceInfo(name="W", scoring_model="rice"),
        features=[Feature(id=f, title=f, costs=Costs(training=5e-324)) for f in efforts],
        criteria=[Criterion(id=c, name=c, min=-top, max=top) for c in rice],
        scores=[
            Score(feature=f, criterion=c, value=value)
            for f, effort in efforts.items()
            for c, value in zip(rice, (-top if f == "down" else top, top, 100, effort), strict=True)
        ],
    )


async def show_every_screen(path: Path) -> None:
    """Open the app on `path` and press each screen's key, as a person would."""
    app = make_app(path, actor=ACTOR, clock=fixed_clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        for info in SCREENS:
            await type_keys(pilot, info.key)
            await pilot.pause()
            assert app.current_mode == info.mode, info.key
    assert app._exception is None and not app.return_code


DOCUMENTS = st.one_of(
    plan_files(),  # numbers at and beyond every bound
    plans().map(export_toml),  # every text class: bidi, zero-width, controls, markup, long
    st.sampled_from([31, 32, 33, 600]).map(nested),
)


@pytest.mark.slow
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@example(export_toml(hostile_plan()))  # every hostile string of tests/hostile.py
@example(export_toml(wide_plan()))
@example(export_toml(huge_scores_plan()))
@example(nested(32))
@given(DOCUMENTS)
def test_any_document_is_refused_cleanly_or_opens_and_shows_every_screen(text: str) -> None:
    """SLOW (12-19 s): an app run for each document that imports."""
    with tempfile.TemporaryDirectory() as folder:
        path = imported_or_refused(text, Path(folder))
        if path is not None:
            asyncio.run(show_every_screen(path))
