"""The decision report in Markdown: one ADR-like record per decision, with its numbers.

Deterministic (decisions by date, then id; nothing read from the clock), so a
report can be diffed and reviewed in git like the TOML export. Text from the
workspace has its control characters made visible, and table cells have
their pipes and line breaks escaped, so no record can break the layout.
"""

from __future__ import annotations

from .decisions import superseded_by
from .formatting import number
from .models import Plan
from .safetext import printable

CONSEQUENCE = {
    "approved": "Approved: go ahead with {}.",
    "deferred": "Deferred: no work on {} for now.",
    "rejected": "Rejected: {} will not be built.",
    "needs-info": "Needs information: the room returns to {} once the follow-ups are answered.",
}


def markdown_report(plan: Plan) -> str:
    names = {p.id: p.name for p in plan.participants}
    titles = {
        "features": {f.id: f.title for f in plan.features},
        "capabilities": {c.id: c.name for c in plan.capabilities},
        "risks": {r.id: r.title for r in plan.risks},
        "policies": {p.id: p.title for p in plan.policies},
    }
    later = superseded_by(plan.decisions)
    decisions = sorted(plan.decisions, key=lambda d: (d.date, d.id))
    out = [
        f"# Decision records: {_text(plan.workspace.name)}",
        "",
        f"{len(decisions)} decision{'s' if len(decisions) != 1 else ''}, oldest first. "
        "Each records the numbers it was taken on.",
    ]
    for d in decisions:
        out += ["", f"## {d.date.isoformat()}: {_text(d.title)}", "", f"- Id: `{d.id}`"]
        out.append(f"- Outcome: **{d.outcome}**")
        if d.decided_by:
            out.append("- Decided by: " + ", ".join(_text(names.get(p, p)) for p in d.decided_by))
        if d.supersedes:
            out.append(f"- Supersedes: `{d.supersedes}`")
        if later.get(d.id):
            out.append("- Superseded by: " + ", ".join(f"`{x}`" for x in later[d.id]))
        out += ["", "### Context", ""]
        linked = [
            f"- {kind.capitalize()}: " + "; ".join(_text(titles[kind].get(i, i)) for i in ids)
            for kind in ("features", "capabilities", "risks", "policies")
            if (ids := getattr(d, kind))
        ]
        out += linked or ["Nothing linked."]
        out += ["", "### Decision", "", _text(d.rationale, multiline=True) or f"{d.outcome}."]
        subjects = "; ".join(_text(titles["features"].get(f, f)) for f in d.features)
        consequence = CONSEQUENCE[d.outcome].format(subjects or "what this decision covers")
        out += ["", "### Consequences", "", consequence]
        if later.get(d.id):
            out.append("")
            out.append("Later replaced by " + ", ".join(f"`{x}`" for x in later[d.id]) + ".")
        out += ["", "### Follow-ups", ""]
        if d.follow_ups:
            out += [f"- [ ] {_text(item)}" for item in d.follow_ups]
        else:
            out.append("None recorded.")
        out += _numbers(d, titles["features"])
    return "\n".join(out) + "\n"


def _numbers(d, features: dict[str, str]) -> list[str]:
    if not d.snapshot and d.basis is None:
        return []
    out = ["", "### Numbers at the time", ""]
    if d.basis is not None:
        weights = ", ".join(f"{c} {w:g}" for c, w in d.basis.weights.items()) or "none"
        out += [
            f"Scored with the {d.basis.scoring_model} model, {d.basis.aggregation} of votes; "
            f"weights: {weights}.",
            "",
        ]
    if d.snapshot:
        out += ["| feature | score | rank | ROI | readiness gap |", "|---|---:|---:|---:|---:|"]
        for row in d.snapshot:
            title = _cell(features.get(row.feature, row.feature))
            rank = str(row.rank) if row.rank is not None else "—"
            gap = str(row.readiness_gap) if row.readiness_gap is not None else "—"
            out.append(f"| {title} | {number(row.score)} | {rank} | {number(row.roi, 2)} | {gap} |")
    return out


def _text(text: str, *, multiline: bool = False) -> str:
    return printable(text, multiline=multiline)


def _cell(text: str) -> str:
    return printable(text).replace("\\", "\\\\").replace("|", "\\|")
