"""Time to detection: how long after a group's first report did Lantern first
raise an alert naming one of its members?

Per group: days from the first report's ``received_at`` to the earliest time
an alert named a member (its ``raised_at``, or the time its ``named_at`` gives
for that member), and how many of the group's reports (reports that
mention a member) had been received by then, the first one included. Groups
never alerted on are listed apart. Also the recall of survival-crime reviews:
a true survival crime is caught by an alert of kind ``survival-crime-review``
that names the child (their system person) or the report
(``agency/report_id``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from statistics import median
from typing import Any

from lantern.evaluate.align import Alignment, as_list, bare_id, parse_time, report_key
from lantern.evaluate.groups import alerts, names_any, naming_ids, true_groups

SURVIVAL_REVIEW = "survival-crime-review"


def score(aligned: Alignment) -> dict[str, Any]:
    raised = sorted(
        (
            (moment, alert)
            for alert in alerts(aligned)
            if (moment := parse_time(alert.get("raised_at")))
        ),
        key=lambda pair: pair[0],
    )
    if not raised:
        return {"score": None, "note": "the export holds no alerts with a raised_at time"}
    received = {report_key(r): parse_time(r.get("received_at")) for r in aligned.reports}
    reports_of: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for mention in aligned.mentions:
        reports_of[mention.person_id].add(mention.report)
    truth_groups = {str(g.get("group_id")): g for g in as_list(aligned.truth.get("groups"))}
    detected: list[dict[str, Any]] = []
    never: list[str] = []
    for group_id, members in true_groups(aligned):
        group_reports = sorted(
            moment
            for key in set().union(*(reports_of[p] for p in members))
            if (moment := received.get(key)) is not None
        )
        first = _first_report_time(truth_groups.get(group_id, {})) or (
            group_reports[0] if group_reports else None
        )
        people = aligned.system_people_of(members)
        named = naming_ids(aligned, members)
        hit, kind = min(
            (
                (moment, str(alert.get("kind")))
                for raised_at, alert in raised
                if (moment := _naming_time(alert, raised_at, people, named)) is not None
            ),
            default=(None, None),
        )
        if first is None or hit is None:
            never.append(group_id)
            continue
        detected.append(
            {
                "group_id": group_id,
                "first_report": first.isoformat(),
                "alerted_at": hit.isoformat(),
                "alert_kind": kind,
                "days": round((hit - first).total_seconds() / 86400, 2),
                "reports": sum(1 for moment in group_reports if first <= moment <= hit),
            }
        )
    days: list[float] = [g["days"] for g in detected]
    counts: list[int] = [g["reports"] for g in detected]
    return {
        "groups": detected,
        "median_days": median(days) if days else None,
        "max_days": max(days) if days else None,
        "median_reports": median(counts) if counts else None,
        "max_reports": max(counts) if counts else None,
        "never_detected": never,
    }


def _naming_time(
    alert: Mapping[str, Any], raised_at: datetime, people: set[str], named: set[str]
) -> datetime | None:
    """When ``alert`` first named one of a group's members. An alert that says
    when it named each subject (``named_at``: a group's alert names new members
    as the group grows) counts from the first of the members' ``people`` it
    named; its group ids do not count, as a group id names whoever the group
    holds at the end. Any other alert counts from ``raised_at`` if it names
    one of ``named`` (the members' people and the groups holding them)."""
    named_at = alert.get("named_at")
    if not isinstance(named_at, Mapping):
        return raised_at if names_any(alert, named) else None
    wanted = {bare_id(p) for p in people}
    times = [
        parse_time(named_at.get(s)) or raised_at
        for s in as_list(alert.get("subjects"))
        if bare_id(s) in wanted
    ]
    return min(times, default=None)


def _first_report_time(group: dict[str, Any]) -> datetime | None:
    first = group.get("first_report")
    return parse_time(first.get("received_at")) if isinstance(first, dict) else None


def survival_reviews(aligned: Alignment) -> dict[str, Any]:
    reviews = [a for a in alerts(aligned) if a.get("kind") == SURVIVAL_REVIEW]
    if not reviews:
        return {"score": None, "note": f"the export holds no {SURVIVAL_REVIEW} alerts"}
    in_scope = aligned.report_keys
    cases = [
        c
        for c in as_list(aligned.truth.get("survival_crimes"))
        if report_key(c) in in_scope and c.get("person_id")
    ]
    caught = 0
    for case in cases:
        ids = aligned.system_people_of({str(case["person_id"])})
        ids.add("/".join(report_key(case)))
        caught += any(names_any(alert, ids) for alert in reviews)
    return {
        "recall": round(caught / len(cases), 4) if cases else None,
        "cases": len(cases),
        "caught": caught,
        "review_alerts": len(reviews),
    }
