"""Risk of a child: the indicators every agency has reported about the child,
over time, weighed into none / low / medium / high, as UK CSE screening tools
do. A disclosure of a sexual act against the child, or a link to a detected
group, raises it. Weights and thresholds in ``data/risk_weights.yaml``
(``risk``); each level lists its reasons and the reports behind them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from lantern.network.evidence import Evidence
from lantern.network.priority import Score

LEVELS = ("none", "low", "medium", "high")
MAX_REPEATS = 3


def level_of(score: float, thresholds: Mapping[str, float]) -> str:
    level = "none"
    for name in LEVELS[1:]:
        if score >= float(thresholds[name]):
            level = name
    return level


def risks(
    ev: Evidence, params: Mapping[str, Any], group_victims: Iterable[str] = ()
) -> dict[str, Score]:
    """The risk of every child with an indicator, a disclosure or a group link."""
    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    # a missing episode counts once, in the first report of it: the police
    # report of a child going missing and the return interview after it are
    # one episode (and the interviewer's agency no second agency for it)
    told: dict[tuple[str, str], str] = {}
    for ind in ev.indicators:
        if ind.child in ev.children and ind.episode:
            first = told.get((ind.child, ind.episode))
            if first is None or _earlier(ev, ind.report, first):
                told[(ind.child, ind.episode)] = ind.report
    for ind in ev.indicators:
        if ind.child in ev.children:
            if ind.episode and told[(ind.child, ind.episode)] != ind.report:
                continue
            seen[ind.child][ind.code].add(ind.report)
    disclosed: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for d in ev.disclosures:
        if d.victim and d.victim in ev.children:
            disclosed[d.victim].append((d.act, d.report))
    in_group = set(group_victims) & ev.children
    out = {}
    for child in sorted(set(seen) | set(disclosed) | in_group):
        out[child] = _score(
            ev, child, seen.get(child, {}), disclosed.get(child, []), child in in_group, params
        )
    return out


def _earlier(ev: Evidence, a: str, b: str) -> bool:
    """Whether report ``a`` came in before report ``b`` (by key, on a tie)."""
    ra, rb = ev.reports[a], ev.reports[b]
    return (ra.received_at, a) < (rb.received_at, b)


def _score(
    ev: Evidence,
    child: str,
    codes: Mapping[str, set[str]],
    acts: list[tuple[str, str]],
    in_group: bool,
    p: Mapping[str, Any],
) -> Score:
    weights = p["indicators"]
    total = 0.0
    reasons = []
    reports: set[str] = set()
    for code in sorted(codes):
        reps = sorted(codes[code], key=lambda r: ev.reports[r].received_at)
        w = float(weights.get(code, 0.5))
        repeats = min(len(reps) - 1, MAX_REPEATS)
        total += w * (1 + float(p["repeat"]) * repeats)
        first, last = ev.reports[reps[0]].received_at, ev.reports[reps[-1]].received_at
        when = f"{first:%Y-%m-%d}" if len(reps) == 1 else f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"
        reasons.append(f"indicator {code} in {len(reps)} report{'s' * (len(reps) > 1)} ({when})")
        reports.update(reps)
    agencies = sorted({ev.reports[r].agency for r in reports})
    if len(agencies) > 1:
        total += float(p["agencies"]) * (len(agencies) - 1)
        reasons.append(f"indicators reported by {len(agencies)} agencies ({', '.join(agencies)})")
    if in_group:
        total += float(p["linked_to_group"])
        reasons.append("linked to a group of suspects")
    level = level_of(total, p["levels"])
    if acts:
        floor = str(p.get("disclosure_level", "high"))
        if LEVELS.index(floor) > LEVELS.index(level):
            level = floor
        names = sorted({a for a, _ in acts})
        reasons.append(
            f"sexual act disclosed against the child: {', '.join(names)} ({len(acts)} disclosures)"
        )
        reports.update(r for _, r in acts)
    return Score(child, "risk", round(total, 3), level, reasons, sorted(reports))
