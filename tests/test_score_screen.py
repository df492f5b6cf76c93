"""The Score screen: a keystroke changes the stored vote, the aggregate, the score and the rank."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from roadmap_tui.app import RoadmapApp
from roadmap_tui.models import (
    Criterion,
    Decision,
    Feature,
    Participant,
    Plan,
    Score,
    WorkspaceInfo,
)
from roadmap_tui.screens.model_picker import ModelPicker
from roadmap_tui.starter import MODEL_PRESETS
from roadmap_tui.widgets.score_matrix import MatrixRow, ScoreMatrix, short_number
from roadmap_tui.workspace import Workspace
from support import ACTOR, app_for, fixed_clock, make_file, screen_lines, screen_text


def workspace(folder: Path, actor: str = ACTOR) -> Path:
    """Two features, two criteria (value up, risk down), two people."""
    path = folder / "score.db"
    plan = Plan(
        workspace=WorkspaceInfo(name="Scoring"),
        participants=[Participant(id="ana", name="Ana"), Participant(id="bo", name="Bo")],
        features=[Feature(id="a", title="Alpha"), Feature(id="b", title="Beta")],
        criteria=[
            Criterion(id="risk", name="Risk", weight=1, higher_is_better=False),
            Criterion(id="value", name="Value", weight=3),
        ],
        scores=[
            Score(feature="a", criterion="risk", value=1),
            Score(feature="a", criterion="value", value=4),
            Score(feature="b", criterion="risk", value=1),
            Score(feature="b", criterion="value", participant="ana", value=2),
        ],
    )
    Workspace.create(path, plan, actor=actor, clock=fixed_clock).close()
    return path


def stored_scores(path: Path) -> dict[tuple[str, str, str], float]:
    with Workspace.open(path, actor="reader") as ws:
        return {s.key: s.value for s in ws.scores()}


def shown(matrix: ScoreMatrix) -> list[MatrixRow]:
    """The rows as the matrix draws them, in order."""
    return [matrix.source.matrix_row(feature) for feature in matrix.row_ids]


async def open_score(app: RoadmapApp, pilot) -> ScoreMatrix:
    await pilot.press("s")
    await pilot.pause()
    matrix = app.screen.query_one(ScoreMatrix)
    assert app.screen.focused is matrix
    return matrix


async def test_a_digit_stores_the_vote_and_moves_the_rank(tmp_path: Path) -> None:
    path = workspace(tmp_path, actor="bo")  # the app votes as Bo: the actor is a participant
    app = app_for(path, actor="bo")
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        board = app.screen.board
        # a: risk 1 -> n = 1 (inverted), value 4 -> 0.75: (1x1 + 3x0.75) / 4 = 81.25
        # b: risk 1 -> 1, value median(ana 2) = 2 -> 0.25: (1 + 0.75) / 4 = 43.75
        assert board.scores == {"a": 81.25, "b": 43.75} and board.ranks == {"a": 1, "b": 2}
        assert [row.feature for row in shown(matrix)] == ["a", "b"]
        matrix.move_to(row="b", column="value")
        await pilot.press("5")
        await pilot.pause()
        assert stored_scores(path)[("b", "value", "bo")] == 5
        # b value = median(2, 5) = 3.5 -> 0.625: (1 + 1.875) / 4 = 71.875 < 81.25
        assert board.value("b", "value") == 3.5 and board.scores["b"] == 71.875
        await pilot.press("v")  # next voter after Bo: the consensus
        await pilot.press("5")  # the consensus overrides the votes: 5 -> 1.0: 4 / 4 = 100
        await pilot.pause()
        assert stored_scores(path)[("b", "value", "")] == 5
        assert board.scores["b"] == 100 and board.ranks == {"b": 1, "a": 2}
        assert [row.feature for row in shown(matrix)] == ["b", "a"]
        assert [row.movement for row in shown(matrix)] == ["↑1", "↓1"]
        assert matrix.current == ("b", "value"), "the cursor follows the feature"


async def test_clearing_a_vote_makes_a_feature_incomplete(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    app = app_for(path)  # not a participant: the consensus
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        matrix.move_to(row="a", column="value")
        await pilot.press("x")
        await pilot.pause()
        assert ("a", "value", "") not in stored_scores(path)
        board = app.screen.board
        assert board.scores["a"] is None and "a" not in board.ranks
        row = next(r for r in shown(matrix) if r.feature == "a")
        assert row.missing == 1 and shown(matrix)[-1].feature == "a"  # after the ranked ones


async def test_a_value_outside_the_range_is_refused_and_nothing_changes(tmp_path: Path):
    path = workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        matrix.move_to(row="b", column="value")
        before = stored_scores(path)
        await pilot.press("9")
        await pilot.pause()
        assert stored_scores(path) == before
        assert app.screen.board.scores["b"] == 43.75


async def test_enter_opens_an_editor_for_any_value(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        matrix.move_to(row="b", column="value")
        await pilot.press("enter")
        editor = app.screen.query_one("#score-editor", Input)
        assert app.screen.focused is editor
        await pilot.press(*"2.5", "enter")
        await pilot.pause()
        assert stored_scores(path)[("b", "value", "")] == 2.5
        assert app.screen.focused is matrix
        await pilot.press("enter", "ctrl+u", *"4.0", "enter")  # typed as the forms read it
        await pilot.pause()
        assert stored_scores(path)[("b", "value", "")] == 4


async def test_weights_move_the_ranking_live(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        matrix.move_to(column="value")
        await pilot.press("minus")  # value weight 3 -> 2.5
        await pilot.pause()
        with Workspace.open(path, actor="reader") as ws:
            assert ws.get("criteria", "value").weight == 2.5
        # a: (1 + 2.5 x 0.75) / 3.5 = 82.142857...
        assert abs(app.screen.board.scores["a"] - 2.875 / 3.5 * 100) < 1e-9


async def test_a_weight_key_also_shows_another_sessions_change_to_another_criterion(
    tmp_path: Path,
) -> None:
    path = workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        with Workspace.open(path, actor="other") as ws:  # before this session looks again
            risk = ws.get("criteria", "risk")
            ws.save(risk.model_copy(update={"weight": 2}), base=risk)
        matrix.move_to(column="value")
        board = app.screen.board
        await pilot.press("minus")  # value weight 3 -> 2.5: only criteria changed
        await pilot.pause()
        assert app.screen.board is board, "new weights, in place: not rebuilt"
        assert (board.criterion["risk"].weight, board.criterion["value"].weight) == (2, 2.5)
        # a: (2 x 1 + 2.5 x 0.75) / 4.5
        assert abs(board.scores["a"] - 3.875 / 4.5 * 100) < 1e-9


async def test_a_model_without_its_criteria_is_explained_then_fixed(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_score(app, pilot)
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, ModelPicker)
        await pilot.press("down", "enter")  # rice, whose criteria do not exist
        await pilot.pause()
        assert isinstance(app.screen, ModelPicker), "refused, explained, still open"
        message = str(app.screen.query_one("#model-message").content)
        assert "missing: reach, impact, confidence, effort" in message and "Press a" in message
        await pilot.press("a")
        await pilot.pause()
        with Workspace.open(path, actor="reader") as ws:
            assert ws.info().scoring_model == "rice"
            assert {"reach", "impact", "confidence", "effort"} <= {c.id for c in ws.criteria()}
        board = app.screen.board
        assert board.info.scoring_model == "rice" and board.ranks == {}  # nobody scored RICE yet


async def test_sort_and_contested_filter(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    with Workspace.open(path, actor=ACTOR) as ws:  # a contested cell on a: votes 1 and 5
        ws.set_score(Score(feature="a", criterion="risk", participant="ana", value=1))
        ws.set_score(Score(feature="a", criterion="risk", participant="bo", value=5))
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        await pilot.press("S", "S")  # rank -> score -> title
        assert app.screen.sort == "title"
        assert [r.title for r in shown(matrix)] == ["Alpha", "Beta"]
        await pilot.press("S")  # spread: a's spread 4 first
        assert [r.feature for r in shown(matrix)] == ["a", "b"]
        await pilot.press("c")
        assert [r.feature for r in shown(matrix)] == ["a"]


async def test_a_vote_redraws_only_the_changed_lines(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        matrix.move_to(row="b", column="risk")
        await pilot.pause()
        drawn: list[int] = []
        original = matrix._row
        matrix._row = lambda index, width: drawn.append(index) or original(index, width)
        await pilot.press("2")  # b's risk 1 -> 2: b's score changes, the order does not
        await pilot.pause()
        assert app.screen.board.ranks == {"a": 1, "b": 2}
        assert set(drawn) == {1}, drawn  # only b's line


def many_rows(folder: Path, count: int) -> Path:
    """`count` unscored features, one criterion: more rows than the screen shows."""
    path = folder / "rows.db"
    features = [Feature(id=f"f{i:02}", title=f"Feature {i}") for i in range(count)]
    plan = Plan(workspace=WorkspaceInfo(name="Rows"), features=features,
                criteria=[Criterion(id="value", name="Value")])  # fmt: skip
    make_file(path, plan)
    return path


async def test_refresh_rows_redraws_those_rows_on_screen_and_no_others(tmp_path: Path) -> None:
    app = app_for(many_rows(tmp_path, 30))
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        visible = matrix.visible_rows()
        assert 5 < len(visible) < 30
        drawn: list[int] = []
        original = matrix._row
        matrix._row = lambda index, width: drawn.append(index) or original(index, width)
        matrix.refresh_rows([4, 1, 2, 2, 7, 29])  # two runs, a lone row, one off screen
        await pilot.pause()
        assert sorted(drawn) == [1, 2, 4, 7]


async def test_the_kept_background_follows_a_theme_change(tmp_path: Path) -> None:
    app = app_for(workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        before = matrix.base_style
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert matrix.base_style == matrix.rich_style != before


async def test_kept_component_styles_survive_a_redraw_and_follow_a_theme(tmp_path: Path) -> None:
    app = app_for(workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        before = matrix.component_style("score-matrix--score")
        looked_up: list[tuple[str, ...]] = []
        original = matrix.get_component_rich_style
        matrix.get_component_rich_style = lambda *names, **kw: (
            looked_up.append(names) or original(*names, **kw)
        )
        await pilot.press("2")  # a vote: its rows are redrawn
        await pilot.pause()
        assert looked_up == []
        await pilot.press("ctrl+t")
        await pilot.pause()
        after = matrix.component_style("score-matrix--score")
        assert after != before
        assert after == original("score-matrix--score")
        # the cells drawn before are drawn again in the new theme's colours
        width = matrix.size.width
        redrawn = list(matrix._row(0, width))
        matrix._drawn_cells.clear()
        matrix._drawn_rows.clear()
        assert redrawn == list(matrix._row(0, width))


async def test_a_row_shown_again_as_it_was_is_not_drawn_again(tmp_path: Path) -> None:
    app = app_for(many_rows(tmp_path, 40))
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        first_page = [matrix.row_ids[row] for row in matrix.visible_rows()]
        drawn: list[str] = []
        original = matrix._draw_row
        matrix._draw_row = lambda row, *rest: drawn.append(row.feature) or original(row, *rest)
        matrix.scroll_to(y=20, animate=False)
        await pilot.pause()
        assert drawn and not set(drawn) & set(first_page)
        drawn.clear()
        matrix.scroll_to(y=0, animate=False)  # back: every row as it was drawn before
        await pilot.pause()
        assert drawn == []
        await pilot.press("down")  # the cursor leaves the first row for the second
        await pilot.pause()
        assert sorted(drawn) == first_page[:2]


async def test_another_sessions_votes_apply_in_place(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        matrix.move_to(row="a", column="risk")
        board, plan = app.screen.board, app.state.plan
        with Workspace.open(path, actor="bo") as other:
            other.set_score(Score(feature="b", criterion="value", participant="bo", value=5))
            other.clear_score("a", "value")  # a loses its only value: incomplete
        app._poll()
        await pilot.pause()
        assert app.screen.board is board, "applied in place, not rebuilt"
        assert app.state.plan is plan, "the records were not reloaded"
        assert board.value("b", "value") == 3.5 and board.scores["b"] == 71.875
        assert board.scores["a"] is None and board.ranks == {"b": 1}
        assert [row.feature for row in shown(matrix)] == ["b", "a"]
        assert matrix.current == ("a", "risk"), "the cursor stays on its feature"
        with Workspace.open(path, actor="r") as reader:
            expected = {s.key: s.value for s in reader.scores()}
        assert {(f, c, p): board.vote_of(f, c, p) for f, c, p in expected} == expected

        with Workspace.open(path, actor="bo") as other:  # not only scores: a reload
            other.set_score(Score(feature="a", criterion="value", value=2))
            app._poll()  # two changes before the screen hears of either
            other.save(Feature(id="c", title="Gamma"), base=None)
            other.set_score(Score(feature="c", criterion="value", value=1))
            app._poll()
        await pilot.pause()
        assert app.screen.board is not board and "c" in app.screen.board.titles
        assert app.state.plan is not plan


async def test_other_kinds_leave_the_board_and_a_vote_brings_the_rooms_votes(
    tmp_path: Path,
) -> None:
    path = workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        board = app.screen.board
        with Workspace.open(path, actor="bo") as other:
            other.save(Participant(id="cy", name="Cy"), base=None)  # a voter on this screen
            other.save(
                Decision(id="d1", title="Go", date="2026-11-01", outcome="approved"), base=None
            )
        app._poll()
        await pilot.pause()
        assert app.screen.board is not board, "participants are on this screen: rebuilt"
        board = app.screen.board
        with Workspace.open(path, actor="bo") as other:
            other.save(
                Decision(id="d2", title="Wait", date="2026-11-02", outcome="deferred"), base=None
            )
        app._poll()
        await pilot.pause()
        assert app.screen.board is board, "a decision is not on this screen: kept"
        # another session votes just before this one, before the poll has seen it
        with Workspace.open(path, actor="bo") as other:
            other.set_score(Score(feature="b", criterion="value", participant="bo", value=5))
        matrix.move_to(row="a", column="value")
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.board is board
        assert board.value("b", "value") == 3.5, "the other vote came with this one"
        assert board.value("a", "value") == 1.0


async def test_a_wide_scale_and_weight_read_as_plain_numbers(tmp_path: Path) -> None:
    path = tmp_path / "wide.db"
    plan = Plan(
        workspace=WorkspaceInfo(name="Wide"),
        features=[Feature(id="a", title="Alpha")],
        criteria=[Criterion(id="reach", name="Reach", min=0, max=1e6, weight=1e6)],
    )
    make_file(path, plan)
    app = app_for(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_score(app, pilot)
        text = screen_text(app)
        assert "0–1,000,000" in text and "weight 1,000,000" in text
        assert "e+06" not in text


def row_line(app: RoadmapApp, title: str) -> str:
    return next(line for line in screen_lines(app) if title in line)


async def test_a_vote_on_an_incomplete_row_redraws_that_row(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    with Workspace.open(path, actor=ACTOR) as ws:
        ws.save(Feature(id="c", title="Gamma"), base=None)  # no votes: "2 miss", sorted last
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        matrix.move_to(row="c", column="value")
        await pilot.pause()
        assert "2 miss" in row_line(app, "Gamma")
        await pilot.press("3")  # still incomplete: the row keeps its place
        await pilot.pause()
        assert row_line(app, "Gamma").split()[-2:] == ["·", "3"]
        assert "1 miss" in row_line(app, "Gamma")


async def test_clearing_a_vote_redraws_its_row_even_when_the_row_stays(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    with Workspace.open(path, actor=ACTOR) as ws:
        ws.save(Feature(id="c", title="Gamma"), base=None)
        ws.set_score(Score(feature="c", criterion="value", value=3))
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        matrix.move_to(row="c", column="value")
        await pilot.pause()
        assert "1 miss" in row_line(app, "Gamma")
        await pilot.press("x")  # incomplete before and after: the row stays last
        await pilot.pause()
        assert ("c", "value", "") not in stored_scores(path)
        assert row_line(app, "Gamma").split()[-2:] == ["·", "·"]
        assert "2 miss" in row_line(app, "Gamma")


def wide_rice(folder: Path) -> Path:
    """A RICE workspace with more criteria than 80 columns show, and a score of 13,333.3."""
    path = folder / "rice.db"
    extra = [Criterion(id=f"x{i}", name=f"Extra {i}", min=0, max=1e6) for i in range(1, 5)]
    votes = {"reach": 40_000, "impact": 1, "confidence": 100, "effort": 3, "x3": 2e5, "x4": 2e5}
    plan = Plan(
        workspace=WorkspaceInfo(name="Wide", scoring_model="rice"),
        features=[Feature(id="big", title="A feature whose title is longer than its column")],
        criteria=[*MODEL_PRESETS["rice"], *extra],
        scores=[Score(feature="big", criterion=c, value=v) for c, v in votes.items()],
    )
    make_file(path, plan)
    return path


def matrix_lines(app: RoadmapApp) -> tuple[list[str], str]:
    """The header's column labels and the one feature's line."""
    lines = screen_lines(app)
    header = next(i for i, line in enumerate(lines) if " feature " in line)
    return lines[header].split()[4:], lines[header + 1]


async def test_nothing_in_the_matrix_is_cut_silently(tmp_path: Path) -> None:
    app = app_for(wide_rice(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = await open_score(app, pilot)
        assert matrix_lines(app)[0] == ["RPQ", "IM3M", "Confi", "Effor"], "RICE's, in its order"
        await pilot.press("w")  # and the criteria RICE leaves out
        labels, row = matrix_lines(app)
        title = "A feature whose title is longer than its column"
        assert row.split()[1] == "13.3k", "the RICE score 13,333.3, whole"
        assert title not in row and "A feature whose t… " in row
        # confidence effort impact reach x1 x2 fit whole; x3 (200k) does not and is not drawn
        assert labels == ["Confi", "Effor", "IM3M", "RPQ", "E1", "E2"]
        assert row.split()[-len(labels) :] == ["100", "3", "1", "40k", "·", "·"]
        matrix.move_to(column="x4")  # the last column comes whole into view, with its header
        await pilot.pause()
        labels, row = matrix_lines(app)
        assert labels[-1] == "E4" and row.split()[-len(labels) :][-2:] == ["200k", "200k"]
        assert len(row.split()[-len(labels) :]) == len(labels)


def test_short_number_fits_its_width_and_says_how_big() -> None:
    cases = {
        (13_333.3, 6, "13333.3"): "13.3k",
        (81.25, 6, "81.2"): "81.2",
        (45_000, 5, None): "45k",
        (999_999_999, 5, None): "1.0B",  # billions as money says them
        (-1.5e9, 5, None): "-1.5B",
        (1.5e21, 6, None): "1.5e21",
        (-1.5e21, 5, None): "-2e21",
    }
    for (value, width, exact), expected in cases.items():
        assert short_number(value, width, exact) == expected


async def test_a_digit_outside_the_scale_is_said_by_the_criterions_name(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        matrix = await open_score(app, pilot)
        matrix.move_to(row="b", column="value")
        before = stored_scores(path)
        await pilot.press("9")
        await pilot.pause()
        message = list(app._notifications)[-1].message
        assert message == "9 is outside Value: a value from 1 to 5", "names, not ids"
        assert stored_scores(path) == before


async def test_a_refused_typed_value_keeps_the_editor_and_its_text(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        matrix = await open_score(app, pilot)
        matrix.move_to(row="b", column="value")
        before = stored_scores(path)
        for text in ("999", "abc"):
            await pilot.press("enter", "ctrl+u", *text, "enter")
            await pilot.pause()
            editor = app.screen.query_one("#score-editor", Input)
            assert app.screen.focused is editor and editor.value == text, text
            message = list(app._notifications)[-1].message
            assert "from 1 to 5" in message, message
            assert text != "999" or "999 is outside Value" in message, "names, not ids"
            await pilot.press("escape")
        await pilot.press("1")  # after esc, keys act on the matrix again
        await pilot.pause()
        assert stored_scores(path) == {**before, ("b", "value", ""): 1}


async def test_the_status_says_plainly_who_votes(tmp_path: Path) -> None:
    app = app_for(workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_score(app, pilot)
        assert any("Voting as the consensus (facilitator)" in line for line in screen_lines(app))
        await pilot.press("v")
        await pilot.pause()
        assert any("Voting as Ana · " in line for line in screen_lines(app))


def header_labels(app: RoadmapApp) -> list[str]:
    return next(line for line in screen_lines(app) if " feature " in line).split()[4:]


async def test_back_to_weighted_hides_the_weight_0_criteria_until_asked(tmp_path: Path) -> None:
    path = workspace(tmp_path)
    app = app_for(path)
    async with app.run_test(size=(100, 30)) as pilot:
        matrix = await open_score(app, pilot)
        await pilot.press("M", "down", "a")  # RICE, adding its four criteria (weight 0)
        await pilot.pause()
        assert len(header_labels(app)) == 4, "RICE's four alone"
        assert any("2 more hidden, w shows them" in line for line in screen_lines(app))
        await pilot.press("M", "up", "enter")  # back to weighted
        await pilot.pause()
        assert header_labels(app) == ["Risk", "Value"]
        assert any("4 of weight 0 hidden, w shows them" in line for line in screen_lines(app))
        await pilot.press("w")
        await pilot.pause()
        assert len(header_labels(app)) == 6
        await pilot.press("w")
        await pilot.pause()
        assert header_labels(app) == ["Risk", "Value"]
        matrix.move_to(column="risk")
        await pilot.press("minus", "minus")  # risk 1 -> 0.5 -> 0: its column stays put
        await pilot.pause()
        assert header_labels(app) == ["Risk", "Value"] and matrix.current[1] == "risk"
        await pilot.press("plus")
        await pilot.pause()
        with Workspace.open(path, actor="reader") as ws:
            assert ws.get("criteria", "risk").weight == 0.5
            assert ws.get("criteria", "value").weight == 3


async def test_with_every_criterion_at_weight_0_the_screen_says_how_to_score(
    tmp_path: Path,
) -> None:
    path = workspace(tmp_path)
    with Workspace.open(path, actor=ACTOR) as ws:
        for criterion in ws.criteria():
            ws.save(criterion.model_copy(update={"weight": 0}), base=criterion)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_score(app, pilot)
        assert header_labels(app) == []
        assert any("w shows those the model leaves out" in line for line in screen_lines(app))
        await pilot.press("w")
        await pilot.pause()
        assert header_labels(app) == ["Risk", "Value"]
