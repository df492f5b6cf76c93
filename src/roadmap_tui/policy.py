"""The policy library's rules: coverage and review status.

Coverage: the capabilities no policy applies to, the categories without a
policy, and the reviews overdue or due within DUE_SOON_DAYS. A review's status
is said in words with a glyph (never colour alone). "Today" is an argument:
the screen passes the workspace clock's date, so a fixed clock fixes both.

Pure functions of the models: no I/O, no clock, no UI.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .formatting import count
from .models import Capability, Plan, Policy, PolicyCategory, choices

DUE_SOON_DAYS = 30  # a review this close is flagged before it is overdue
OVERDUE, DUE_SOON = "⚠", "◷"


class Review(StrEnum):
    NONE = "none"  # no review date
    OVERDUE = "overdue"
    DUE_TODAY = "due today"
    DUE_SOON = "due soon"  # within DUE_SOON_DAYS
    LATER = "later"


@dataclass(frozen=True)
class Coverage:
    uncovered: list[Capability]  # capabilities no policy applies to, by name
    empty_categories: list[str]  # policy categories with no policy, in declared order
    overdue: list[Policy]  # review date before today, most overdue first
    due_soon: list[Policy]  # review date within DUE_SOON_DAYS from today (inclusive)


def coverage(plan: Plan, today: dt.date) -> Coverage:
    covered = {cap for policy in plan.policies for cap in policy.applies_to}
    used = {policy.category for policy in plan.policies}
    dated = sorted(
        (p for p in plan.policies if p.review_by is not None),
        key=lambda p: (p.review_by, p.id),
    )
    by_state: dict[Review, list[Policy]] = {}
    for policy in dated:
        by_state.setdefault(review(policy, today), []).append(policy)
    return Coverage(
        uncovered=sorted(
            (c for c in plan.capabilities if c.id not in covered),
            key=lambda c: (c.name.casefold(), c.id),
        ),
        empty_categories=[c for c in choices(PolicyCategory) if c not in used],
        overdue=by_state.get(Review.OVERDUE, []),
        due_soon=[*by_state.get(Review.DUE_TODAY, []), *by_state.get(Review.DUE_SOON, [])],
    )


def review(policy: Policy, today: dt.date) -> Review:
    due = policy.review_by
    if due is None:
        return Review.NONE
    days = (due - today).days
    if days < 0:
        return Review.OVERDUE
    if days == 0:
        return Review.DUE_TODAY
    return Review.DUE_SOON if days <= DUE_SOON_DAYS else Review.LATER


def review_said(policy: Policy, today: dt.date) -> str:
    """What to say about a policy's review date, its glyph first."""
    state, due = review(policy, today), policy.review_by
    if state is Review.NONE or due is None:
        return "no review date"
    span = count(abs((due - today).days), "day")
    if state is Review.OVERDUE:
        return f"{OVERDUE} review overdue: due {due} ({span} ago)"
    if state is Review.DUE_TODAY:
        return f"{DUE_SOON} review due today ({due})"
    if state is Review.DUE_SOON:
        return f"{DUE_SOON} review due {due} (in {span})"
    return f"✓ review by {due} (in {span})"


def review_glyph(state: Review) -> str:
    """The glyph a list shows beside the policy's title: blank when nothing is due."""
    if state is Review.OVERDUE:
        return OVERDUE
    return DUE_SOON if state in (Review.DUE_TODAY, Review.DUE_SOON) else " "
