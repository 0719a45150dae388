"""Alerts: rules as data (``data/alert_rules.yaml``) applied to the picture.
Each alert names its subjects, its reasons and the reports behind them, and
opens an action (``tasking.actions.raise_action``, source ``alert:<id>``).

An alert's id is stable (``alert_key(kind, key subjects)``): the same subject
or group keeps its alert while the evidence grows. An alert whose condition no
longer holds is closed, not deleted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import Connection, select, update

from lantern import clock
from lantern.network.evidence import Evidence
from lantern.network.groups import Group
from lantern.network.priority import Score
from lantern.store.findings.network import alert_key, alerts
from lantern.tasking.actions import raise_action

STAGE = "network"


@dataclass(slots=True)
class Alert:
    alert_id: str
    kind: str
    title: str
    subjects: list[str]
    reasons: list[str]
    reports: list[str]
    priority: str = "medium"
    due_days: float = 7


@cache
def load_rules() -> dict[str, dict[str, Any]]:
    """The alert rules by kind."""
    text = resources.files("lantern.data").joinpath("alert_rules.yaml").read_text("utf-8")
    return {r["kind"]: r for r in yaml.safe_load(text)["rules"]}


def _action(rule: Mapping[str, Any]) -> tuple[str, float]:
    action = rule.get("action") or {}
    return str(action.get("priority", "medium")), float(action.get("due_days", 7))


def evaluate(
    ev: Evidence,
    priorities: Mapping[str, Score],
    risks: Mapping[str, Score],
    groups: Iterable[Group],
    rules: Mapping[str, Mapping[str, Any]],
) -> list[Alert]:
    """Every alert the rules raise on the current picture."""
    found: list[Alert] = []
    if rule := rules.get("subject-no-action"):
        found += _subjects_no_action(ev, priorities, rule)
    if rule := rules.get("child-high-risk"):
        found += _children_high_risk(ev, risks, rule)
    if rule := rules.get("group-emerging"):
        found += _groups_emerging(groups, rule)
    if (rule := rules.get("referrer-not-told")) and ev.shared_back is not None:
        found += _referrers_not_told(ev, ev.shared_back, rule)
    return found


def _subjects_no_action(
    ev: Evidence, priorities: Mapping[str, Score], rule: Mapping[str, Any]
) -> list[Alert]:
    out = []
    prio, due = _action(rule)
    by_report = ev.by_report()
    for subject, score in priorities.items():
        reps = [
            r for r in score.reports if any(m.entity_id == subject for m in by_report.get(r, []))
        ]
        agencies = {ev.reports[r].agency for r in reps}
        unactioned = [r for r in reps if r not in ev.actioned_reports]
        if len(reps) < int(rule["min_reports"]) or len(agencies) < int(rule["min_agencies"]):
            continue
        if not reps or len(unactioned) / len(reps) < float(rule.get("min_unactioned_share", 1.0)):
            continue
        if rule.get("about_children", True) and not any(
            m.entity_id in ev.children for r in reps for m in by_report.get(r, [])
        ):
            continue
        out.append(
            Alert(
                alert_key("subject-no-action", [subject]),
                "subject-no-action",
                f"Review suspect {subject}: {len(reps)} reports, no action",
                [subject],
                [str(rule.get("why", "no action on a repeated suspect")), *score.reasons],
                sorted(reps),
                prio,
                due,
            )
        )
    return out


def _children_high_risk(
    ev: Evidence, risks: Mapping[str, Score], rule: Mapping[str, Any]
) -> list[Alert]:
    prio, due = _action(rule)
    level = str(rule.get("level", "high"))
    return [
        Alert(
            alert_key("child-high-risk", [child]),
            "child-high-risk",
            f"Strategy discussion for child {child} (risk {score.level})",
            [child],
            [f"risk {score.level}", "no strategy discussion recorded", *score.reasons],
            score.reports,
            prio,
            due,
        )
        for child, score in risks.items()
        if score.level == level and child not in ev.actioned_subjects
    ]


def _groups_emerging(groups: Iterable[Group], rule: Mapping[str, Any]) -> list[Alert]:
    prio, due = _action(rule)
    return [
        Alert(
            alert_key("group-emerging", [g.group_id]),
            "group-emerging",
            f"Group emerging: {len(g.members)} suspects, {len(g.victims)} children",
            [g.group_id, *g.members],
            list(g.reasons),
            g.reports,
            prio,
            due,
        )
        for g in groups
        if len(g.members) >= int(rule["min_members"]) and len(g.reports) >= int(rule["min_reports"])
    ]


def _referrers_not_told(
    ev: Evidence, shared_back: set[str], rule: Mapping[str, Any]
) -> list[Alert]:
    """Partner referrals about a child not told the outcome within ``max_days``."""
    prio, due = _action(rule)
    cutoff = clock.now() - timedelta(days=float(rule["max_days"]))
    about_child = {m.report for m in ev.mentions if m.entity_id in ev.children}
    out = []
    for key, info in sorted(ev.reports.items()):
        if key in shared_back or key not in about_child or info.agency_type in (None, "police"):
            continue
        if info.received_at > cutoff:
            continue
        days = (clock.now() - info.received_at).days
        out.append(
            Alert(
                alert_key("referrer-not-told", [key]),
                "referrer-not-told",
                f"Tell {info.agency} the outcome of referral {key}",
                [key],
                [f"referral from {info.agency} {days} days ago", "no outcome shared back"],
                [key],
                prio,
                due,
            )
        )
    return out


def write(
    conn: Connection, found: list[Alert], now: datetime, considered: Collection[str] | None = None
) -> tuple[int, int]:
    """Inserts new alerts (opening an action each), refreshes open ones (a
    subject named for the first time is noted with ``now``) and
    closes this stage's alerts that no longer hold — every alert of the stage,
    or only those with an id in ``considered`` (``found`` among them: an
    incremental run looks again only at what changed). Returns (new, closed)."""
    query = select(
        alerts.c.alert_id,
        alerts.c.status,
        alerts.c.subjects,
        alerts.c.named_at,
        alerts.c.reasons,
        alerts.c.reports,
    ).where(alerts.c.stage == STAGE)
    if considered is None:
        stored = {row.alert_id: row for row in conn.execute(query)}
    else:
        ids = sorted(considered)
        stored = {
            row.alert_id: row
            for i in range(0, len(ids), 500)
            for row in conn.execute(query.where(alerts.c.alert_id.in_(ids[i : i + 500])))
        }
    new = 0
    current = set()
    for a in found:
        current.add(a.alert_id)
        old = stored.get(a.alert_id)
        if old is None:
            action_id = raise_action(
                conn,
                title=a.title,
                source=f"alert:{a.alert_id}",
                actor="system",
                priority=a.priority,
                due=now + timedelta(days=a.due_days),
                detail={"alert": a.alert_id, "kind": a.kind, "subjects": a.subjects},
            )
            conn.execute(
                alerts.insert().values(
                    alert_id=a.alert_id,
                    kind=a.kind,
                    raised_at=now,
                    subjects=a.subjects,
                    named_at={s: now.isoformat() for s in a.subjects},
                    reasons=a.reasons,
                    reports=a.reports,
                    status="open",
                    action_id=action_id,
                    stage=STAGE,
                )
            )
            new += 1
        elif (old.status, old.subjects, old.reasons, old.reports) != (
            "open",
            a.subjects,
            a.reasons,
            a.reports,
        ):
            named = {s: now.isoformat() for s in a.subjects} | dict(old.named_at or {})
            conn.execute(
                update(alerts)
                .where(alerts.c.alert_id == a.alert_id)
                .values(
                    subjects=a.subjects,
                    named_at=named,
                    reasons=a.reasons,
                    reports=a.reports,
                    status="open",
                )
            )
    gone = [aid for aid, row in stored.items() if aid not in current and row.status == "open"]
    for i in range(0, len(gone), 500):
        conn.execute(
            update(alerts).where(alerts.c.alert_id.in_(gone[i : i + 500])).values(status="closed")
        )
    return new, len(gone)
