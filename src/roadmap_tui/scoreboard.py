"""The live scoring state of a workshop: cells, scores and ranks, updated one vote at a time.

A vote changes one cell, so only that feature's score is recomputed and only
that feature moves in the ranking (an Ordering: two bisections and one list
insert), whatever the size of the workspace. Nothing is reloaded from the
store on a keystroke. Every number comes from the functions of scoring.py,
so the board and `scoring.evaluate` always agree (a property test checks it).

The cells' numbers are flat arrays, one slot per (feature, criterion), NaN
where there is no vote. The votes are two parallel arrays sorted by (cell,
voter): only the votes there are, 1.6 MB for a 10,000-feature workspace's
100,000 votes (a slot for every voter of every cell took 4.5 MB, four in five
of them empty). A Cell object is built only for the cell a screen asks about.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import operator
import os
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import accumulate, islice, pairwise
from pathlib import Path

from . import scoring
from .models import Criterion, Participant, Plan, WorkspaceInfo
from .ordering import Ordering

_EMPTY = math.nan  # no cell (no vote at all) in a value
_VOTERS = 1 << 16  # a vote's key is cell * _VOTERS + the voter's slot
_FORMAT = 1  # of `dump`: a board kept in another is built again


class ScoreBoard:
    def __init__(self, plan: Plan, votes: Iterable[scoring.Vote]) -> None:
        """The board of `plan`'s records and `votes` (its scores, in any order)."""
        self._lay_out(
            plan.workspace,
            {f.id: f.title for f in plan.features},
            [scoring.economics(f).tco for f in plan.features],
            plan.criteria,
            plan.participants,
            [],
        )
        self._read(votes)
        self.recompute()

    def _lay_out(
        self,
        info: WorkspaceInfo,
        titles: dict[str, str],
        tco: Sequence[float],
        criteria: Sequence[Criterion],
        participants: Sequence[Participant],
        voters: list[str],
    ) -> None:
        """Everything but the votes: `voters` are the slots already given (slot 0, the
        consensus, first); the participants without one get theirs."""
        self.info: WorkspaceInfo = info
        # in row order; the titles and TCOs are all the Score screen shows of a feature
        # besides its selected one, so the board needs no Feature records (issue 21)
        self.titles = titles
        self.tco: dict[str, float] = dict(zip(titles, tco, strict=True))
        self.criteria: list[Criterion] = list(criteria)
        self.participants: list[str] = [p.id for p in participants]
        self.names: dict[str, str] = {p.id: p.name for p in participants}
        self._row = {feature: i for i, feature in enumerate(titles)}
        self._column = {c.id: j for j, c in enumerate(self.criteria)}
        self._voters = voters or [""]
        self._slot = {voter: s for s, voter in enumerate(self._voters)}
        for participant in self.participants:
            if participant not in self._slot:
                self._new_slot(participant)
        self._keys = array("Q")  # sorted; the vote of each key at the same place in _votes
        self._votes = array("d")
        self.scores: dict[str, float | None] = {}
        self.missing: dict[str, tuple[str, ...]] = {}
        self.ranking = Ordering()  # complete features, best first: rank = position + 1

    def _read(self, votes: Iterable[scoring.Vote]) -> None:
        rows, columns, slots = self._row, self._column, self._slot
        width = len(self.criteria)
        keys, values = self._keys, self._votes
        for feature, criterion, voter, value in votes:
            row, column = rows.get(feature), columns.get(criterion)
            if row is None or column is None:
                continue  # not on the board, as scoring ignores an unknown criterion
            slot = slots.get(voter)
            if slot is None:
                slot = self._new_slot(voter)
            keys.append((row * width + column) * _VOTERS + slot)
            values.append(value)
        self._sort_votes()

    @property
    def criterion(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    def recompute(self, *, cells: bool = True) -> None:
        """Everything from the votes: after a change of model, weights or criteria.

        `cells=False` keeps the cells' numbers, which no weight or direction changes.
        """
        if cells:
            self._fill_cells()
        width = len(self.criteria)
        score = self._scorer = scoring.scorer(self.criteria, self.info.scoring_model)
        value = self._value
        scores, missing = self.scores, self.missing
        for feature, row in self._row.items():
            start = row * width
            numbers = [None if v != v else v for v in value[start : start + width]]  # NaN: none
            scores[feature], missing[feature] = score(numbers)
        self.ranking = Ordering(
            (f, _rank_key(f, score)) for f, score in scores.items() if score is not None
        )

    def _fill_cells(self) -> None:
        """Every cell's numbers, in one pass over the votes (they are in cell order)."""
        width = len(self.criteria)
        cells = len(self._row) * width
        self._value = array("d", [_EMPTY]) * cells
        self._spread = array("d", [0.0]) * cells
        self._contested = bytearray(cells)
        numbers = scoring.cell_numberer(self.criteria, self.info)
        keys, votes = self._keys, self._votes
        cell_of = [key // _VOTERS for key in keys]
        # where each cell's votes start (a key's slot 0, the consensus, comes first)
        starts = [i for i, (a, b) in enumerate(pairwise(cell_of), 1) if a != b]
        if keys:
            starts.insert(0, 0)
        starts.append(len(keys))
        for start, stop in pairwise(starts):
            cell = cell_of[start]
            if keys[start] % _VOTERS:
                found = numbers(cell % width, tuple(votes[start:stop]), None)
            else:
                found = numbers(cell % width, tuple(votes[start + 1 : stop]), votes[start])
            self._value[cell], self._spread[cell], self._contested[cell] = found

    def dump(self) -> bytes:
        """The board as `kept` reads it back: a JSON header (the features with their titles
        and TCOs, the criteria, the voters, what the cells were counted by), then the votes'
        and the cells' arrays as they are in memory."""
        header = json.dumps({
            "format": _FORMAT, "byteorder": sys.byteorder, "features": list(self.titles),
            "titles": list(self.titles.values()), "tco": list(self.tco.values()),
            "criteria": [c.id for c in self.criteria], "voters": self._voters,
            "votes": len(self._keys), "cells": _counted_by(self.info, self.criteria),
        }).encode()  # fmt: skip
        arrays = (self._keys, self._votes, self._value, self._spread, self._contested)
        return b"".join([len(header).to_bytes(8, "little"), header, *map(bytes, arrays)])

    @classmethod
    def kept(
        cls,
        data: bytes,
        info: WorkspaceInfo,
        criteria: Sequence[Criterion],
        participants: Sequence[Participant],
    ) -> ScoreBoard | None:
        """The board `dump` wrote, with these records as they are now. Its cells are
        counted again unless the same code counted them with the same aggregation,
        threshold and ranges; its scores are computed again. None when `data` is no such
        board of these criteria: written by another format or machine, or damaged."""
        try:
            size = int.from_bytes(data[:8], "little")
            header = json.loads(data[8 : 8 + size])
            layout = _layout(header, [c.id for c in criteria])
            if layout is None:
                return None
            features, titles, tco, voters, count = layout
            cells = len(features) * len(criteria)
            sizes = (8 * count, 8 * count, 8 * cells, 8 * cells, cells)  # as `dump` writes them
            ends = list(accumulate(sizes, initial=8 + size))
            parts = [data[start:end] for start, end in pairwise(ends)]
            keys, votes, value, spread = (array(t, p) for t, p in zip("Qddd", parts, strict=False))
            contested = bytearray(parts[4])
            ordered = all(map(operator.lt, keys, islice(keys, 1, None)))
            finite = math.isfinite(math.fsum(votes))  # as the store's check of a vote
            counted = not any(map(math.isinf, value)) and math.isfinite(math.fsum(spread))
        except (ValueError, OverflowError):  # not JSON, bytes cut short, a huge sum
            return None
        if not (ends[-1] == len(data) and ordered and finite and counted):
            return None
        if keys and (
            keys[-1] >= cells * _VOTERS or max(map(_VOTERS.__rmod__, keys)) >= len(voters)
        ):
            return None
        board = cls.__new__(cls)
        titled = dict(zip(features, titles, strict=True))
        board._lay_out(info, titled, tco, criteria, participants, voters)
        board._keys, board._votes = keys, votes
        same = header.get("cells") == _counted_by(info, criteria)
        if same:
            board._value, board._spread, board._contested = value, spread, contested
        board.recompute(cells=not same)
        return board

    def rank(self, feature: str) -> int | None:
        """1 for the best score (ties by id, as scoring.rank); None for an incomplete feature."""
        return self.ranking.index(feature) + 1 if feature in self.ranking else None

    @property
    def ranks(self) -> dict[str, int]:
        """Every rank at once (O(n)): for a baseline to compare with, not for a keystroke."""
        return {feature: i for i, feature in enumerate(self.ranking, start=1)}

    def vote(self, feature: str, criterion: str, participant: str, value: float | None) -> range:
        """Record (or with None, remove) one vote; update the cell, the score and the ranking.

        Returns the positions in the ranking (rank - 1) whose feature changed.
        """
        row, column = self._row[feature], self._column[criterion]
        key = self._key(row, column, participant)
        at = bisect_left(self._keys, key)
        there = at < len(self._keys) and self._keys[at] == key
        if value is None:
            if there:
                del self._keys[at], self._votes[at]
        elif there:
            self._votes[at] = value
        else:
            self._keys.insert(at, key)
            self._votes.insert(at, value)
        self._fill_cell(row, column)
        self._score(feature)
        score = self.scores[feature]
        return self.ranking.place(feature, None if score is None else _rank_key(feature, score))

    def set_info(self, info: WorkspaceInfo) -> None:
        self.info = info
        self.recompute()

    def set_criteria(self, criteria: list[Criterion]) -> None:
        """New weights, ranges or directions of the same criteria, in the same order."""
        if [c.id for c in criteria] != [c.id for c in self.criteria]:
            raise ValueError("set_criteria changes criteria, not which ones: build a new board")
        # a range is what a cell's contested flag is measured against; a weight is not
        ranges = [(c.min, c.max) for c in criteria] != [(c.min, c.max) for c in self.criteria]
        self.criteria = list(criteria)
        self.recompute(cells=ranges)

    def value(self, feature: str, criterion: str) -> float | None:
        value = self._value[self._cell_index(feature, criterion)]
        return None if value != value else value  # NaN: no cell

    def cell(self, feature: str, criterion: str) -> scoring.Cell | None:
        """The cell with its votes (built on demand: the board keeps only its numbers)."""
        row, column = self._row[feature], self._column[criterion]
        consensus, people = self._cell_votes(row, column)
        if consensus is None and not people:
            return None
        return scoring.make_cell(people, consensus, self.criteria[column], self.info)

    def vote_of(self, feature: str, criterion: str, participant: str) -> float | None:
        if participant not in self._slot:
            return None
        key = self._key(self._row[feature], self._column[criterion], participant)
        at = bisect_left(self._keys, key)
        return self._votes[at] if at < len(self._keys) and self._keys[at] == key else None

    def row(self, feature: str, participant: str) -> list[tuple[float | None, bool, bool]]:
        """The feature's cells in criteria order, as a screen draws them: (value, or None
        without a vote; contested; whether `participant` voted there). One pass over the
        row's votes, where asking cell by cell would bisect three times a cell."""
        width = len(self.criteria)
        start = self._row[feature] * width
        mine = set()
        slot = self._slot.get(participant)
        if slot is not None:
            keys = self._keys
            at, end = bisect_left(keys, start * _VOTERS), (start + width) * _VOTERS
            while at < len(keys) and keys[at] < end:
                cell, voter = divmod(keys[at], _VOTERS)
                if voter == slot:
                    mine.add(cell - start)
                at += 1
        values = self._value[start : start + width]
        contested = self._contested[start : start + width]
        return [
            (None if value != value else value, bool(contested[j]), j in mine)
            for j, value in enumerate(values)
        ]

    def spread(self, feature: str) -> float:
        """The widest spread of the feature's cells: how much the room disagrees on it."""
        start = self._row[feature] * len(self.criteria)
        return max(self._spread[start : start + len(self.criteria)], default=0.0)

    def contested(self, feature: str, criterion: str | None = None) -> bool:
        """Whether the cell (with a criterion) or any of the feature's cells is contested."""
        if criterion is not None:
            return bool(self._contested[self._cell_index(feature, criterion)])
        start = self._row[feature] * len(self.criteria)
        return any(self._contested[start : start + len(self.criteria)])

    def _key(self, row: int, column: int, voter: str) -> int:
        slot = self._slot.get(voter)
        if slot is None:
            slot = self._new_slot(voter)
        return (row * len(self.criteria) + column) * _VOTERS + slot

    def _new_slot(self, voter: str) -> int:
        """A slot for a voter the board did not know (they joined after it was built)."""
        slot = self._slot[voter] = len(self._voters)
        self._voters.append(voter)
        return slot

    def _sort_votes(self) -> None:
        """Into key order (the store's order already is, unless a voter joined since)."""
        keys = self._keys
        if all(keys[i] < keys[i + 1] for i in range(len(keys) - 1)):
            return
        order = sorted(range(len(keys)), key=keys.__getitem__)
        self._keys = array("Q", (keys[i] for i in order))
        self._votes = array("d", (self._votes[i] for i in order))

    def _cell_index(self, feature: str, criterion: str) -> int:
        return self._row[feature] * len(self.criteria) + self._column[criterion]

    def _cell_votes(self, row: int, column: int) -> tuple[float | None, dict[str, float]]:
        """The consensus (None if none) and each participant's vote of one cell."""
        start = (row * len(self.criteria) + column) * _VOTERS
        keys, at = self._keys, bisect_left(self._keys, start)
        consensus, people = None, {}
        while at < len(keys) and keys[at] < start + _VOTERS:
            slot = keys[at] - start
            if slot:
                people[self._voters[slot]] = self._votes[at]
            else:
                consensus = self._votes[at]
            at += 1
        return consensus, people

    def _fill_cell(self, row: int, column: int) -> None:
        consensus, people = self._cell_votes(row, column)
        index = row * len(self.criteria) + column
        if consensus is None and not people:
            self._value[index], self._spread[index], self._contested[index] = _EMPTY, 0.0, 0
            return
        value, spread, contested = scoring.cell_numbers(
            list(people.values()), consensus, self.criteria[column], self.info
        )
        assert value is not None  # a cell with a vote or a consensus has a value
        self._value[index], self._spread[index], self._contested[index] = value, spread, contested

    def _score(self, feature: str) -> None:
        start = self._row[feature] * len(self.criteria)
        values = [None if v != v else v for v in self._value[start : start + len(self.criteria)]]
        self.scores[feature], self.missing[feature] = self._scorer(values)


def _layout(
    header: object, criteria: list[str]
) -> tuple[list[str], list[str], list[float], list[str], int] | None:
    """A dumped board's features, titles, TCOs, voters and number of votes, if its header
    is one of this format, machine and criteria."""
    if not isinstance(header, dict) or header.get("format") != _FORMAT:
        return None
    if header.get("byteorder") != sys.byteorder or header.get("criteria") != criteria:
        return None
    features, titles, tco = header.get("features"), header.get("titles"), header.get("tco")
    voters, count = header.get("voters"), header.get("votes")
    if not (
        isinstance(features, list) and isinstance(titles, list) and isinstance(tco, list)
        and isinstance(voters, list) and type(count) is int
        and len(features) == len(titles) == len(tco) == len(set(features))
        and voters[:1] == [""] and len(set(voters)) == len(voters)
        and all(isinstance(text, str) for text in (*features, *titles, *voters))
        and all(type(number) in (int, float) for number in tco)
    ):  # fmt: skip
        return None
    return features, titles, tco, voters, count


def _counted_by(info: WorkspaceInfo, criteria: Sequence[Criterion]) -> str:
    """What a board's cells were counted by besides its votes: this code, the aggregation,
    the threshold and the criteria's ranges. Kept cells counted otherwise are not read."""
    inputs = [info.aggregation, info.disagreement_threshold, [(c.min, c.max) for c in criteria]]
    return hashlib.blake2b(_code() + json.dumps(inputs).encode(), digest_size=16).hexdigest()


@functools.cache
def _code() -> bytes:
    try:
        return b"".join(
            Path(str(m.__file__)).read_bytes() for m in (scoring, sys.modules[__name__])
        )
    except OSError:  # no source to read: cells this process did not count are counted again
        return os.urandom(16)


def _rank_key(feature: str, score: float) -> tuple[float, str]:
    return (-score, feature)  # highest first, ties by id: the order of scoring.rank
