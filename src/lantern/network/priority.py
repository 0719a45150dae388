"""Priority of a subject (a person named as a suspect): how often, by how many
agencies, over how long, about how many children, how serious the acts
disclosed, how well graded the intelligence — and how little of it led to any
action. Weights in ``data/risk_weights.yaml`` (``priority``). Every score
carries its reasons and the reports behind them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lantern.network.evidence import Evidence


@dataclass(slots=True)
class Score:
    entity_id: str
    kind: str  # priority | risk
    score: float
    level: str | None = None
    reasons: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "score": self.score,
            "reasons": self.reasons,
            "reports": self.reports,
        }
        if self.level is not None:
            out = {"level": self.level, **out}
        return out


def priorities(
    ev: Evidence,
    params: Mapping[str, Any],
    suspect_roles: tuple[str, ...] = ("suspect",),
    min_share: float = 0.0,
) -> dict[str, Score]:
    """The priority of every person named as a suspect (children excepted)."""
    reports_of = ev.suspect_reports(suspect_roles, min_share)
    children_of: dict[str, set[str]] = defaultdict(set)
    by_report = ev.by_report()
    for s, reps in reports_of.items():
        for r in reps:
            children_of[s] |= {m.entity_id for m in by_report[r] if m.entity_id in ev.children}
    acts_of: dict[str, list[tuple[float, str, str]]] = defaultdict(list)
    severity = params.get("acts", {})
    for d in ev.disclosures:
        for s in d.offenders:
            if s in reports_of:
                acts_of[s].append((float(severity.get(d.act, 1.0)), d.act, d.report))
                if d.victim:
                    children_of[s].add(d.victim)
    return {
        s: _score(ev, s, sorted(reps), children_of[s], acts_of[s], params)
        for s, reps in sorted(reports_of.items())
    }


def _score(
    ev: Evidence,
    subject: str,
    reports: list[str],
    children: set[str],
    acts: list[tuple[float, str, str]],
    p: Mapping[str, Any],
) -> Score:
    infos = [ev.reports[r] for r in reports]
    agencies = sorted({i.agency for i in infos})
    times = [i.received_at for i in infos]
    years = min((max(times) - min(times)).days / 365.25, 10.0)
    grading = sum(i.grading_weight for i in infos) / len(infos)
    unactioned = [r for r in reports if r not in ev.actioned_reports]
    share = len(unactioned) / len(reports)
    worst = max(acts, default=(0.0, "", ""))
    parts = [
        (
            p["reports"] * math.log2(1 + len(reports)),
            f"named as a suspect in {len(reports)} reports",
        ),
        (
            p["agencies"] * (len(agencies) - 1),
            f"by {len(agencies)} agencies ({', '.join(agencies)})",
        ),
        (
            p["years"] * years,
            f"over {years:.1f} years ({min(times):%Y-%m-%d} to {max(times):%Y-%m-%d})",
        ),
        (p["children"] * len(children), f"linked to {len(children)} children"),
        (
            p["seriousness"] * worst[0],
            f"most serious act disclosed: {worst[1]}" if worst[1] else "no act disclosed",
        ),
        (p["grading"] * grading, f"mean grading weight {grading:.2f}"),
    ]
    floor = float(p.get("unactioned_floor", 0.5))
    total = sum(v for v, _ in parts) * (floor + (1 - floor) * share)
    reasons = [why for _, why in parts]
    reasons.append(
        f"{len(unactioned)} of {len(reports)} reports led to no action or recorded crime"
    )
    behind = sorted(set(reports) | {r for _, _, r in acts})
    return Score(subject, "priority", round(total, 3), None, reasons, behind)
