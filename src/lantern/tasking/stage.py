"""The tasking stage of ``lantern analyse``: records the conditions of newly
arrived handling-code C reports, raises an action for every new alert,
escalates overdue actions to the owner's supervisor (or, with no owner, to
every supervisor), and tells advisers of new reports about their victims.

Every step writes facts (conditions, actions, notifications), each once only,
so the stage is incremental by construction: a second run finds nothing new.
``full`` changes nothing: nothing here is a rebuildable finding."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, select

from lantern import clock
from lantern.auth.access import record_condition
from lantern.store import audit
from lantern.store.findings import findings_metadata
from lantern.store.schema import action_events, actions, report_revisions, reports
from lantern.store.security_schema import adviser_links, handling_conditions, users
from lantern.tasking import notify
from lantern.tasking.actions import raise_action
from lantern.tasking.queries import open_overdue

SYSTEM = "system"


def run(engine: Engine, *, full: bool = False) -> str:
    with engine.begin() as conn:
        conditions = record_new_conditions(conn)
        raised = raise_from_alerts(conn)
        escalated = escalate_overdue(conn)
        told = tell_advisers(conn)
    return (
        f"{conditions} handling conditions recorded, {raised} actions raised from alerts, "
        f"{escalated} overdue actions escalated, {told} adviser notifications"
    )


def record_new_conditions(conn: Connection) -> int:
    """Records the condition of each C report that has none yet (reports that
    came in by file rather than through the API)."""
    rows = conn.execute(
        select(reports.c.pk, report_revisions.c.body)
        .join(
            report_revisions,
            and_(
                report_revisions.c.report_pk == reports.c.pk,
                report_revisions.c.revision == reports.c.revisions,
            ),
        )
        .where(
            reports.c.handling == "C",
            ~exists().where(handling_conditions.c.report_pk == reports.c.pk),
        )
    ).all()
    for row in rows:
        grading = (row.body or {}).get("grading") or {}
        record_condition(conn, row.pk, grading.get("conditions") or "", actor=SYSTEM)
    return len(rows)


def raise_from_alerts(conn: Connection) -> int:
    """An action for each alert that has never had one (read defensively: the
    alerts table belongs to the network stage and may not exist yet)."""
    alerts = findings_metadata.tables.get("alerts")
    if alerts is None or "alert_id" not in alerts.c:
        return 0
    if not conn.dialect.has_table(conn, "alerts"):
        return 0
    source = "alert:" + alerts.c.alert_id.cast(actions.c.source.type)
    rows = conn.execute(select(alerts).where(~exists().where(actions.c.source == source))).all()
    for row in rows:
        kind = getattr(row, "kind", None) or "alert"
        raise_action(
            conn,
            title=f"Review alert {row.alert_id} ({kind})",
            source=f"alert:{row.alert_id}",
            actor=SYSTEM,
            priority="high",
        )
    return len(rows)


def escalate_overdue(conn: Connection) -> int:
    """Tells the owner's supervisor (or every supervisor, if the action has no
    owner or the owner no supervisor) once about each overdue action."""
    supervisors = list(
        conn.execute(
            select(users.c.username).where(users.c.role == "supervisor", users.c.active.is_(True))
        ).scalars()
    )
    count = 0
    now = clock.now()
    for row in open_overdue(conn):
        boss = _supervisor(conn, row.owner)
        recipients = [boss] if boss else supervisors
        key = f"overdue:{row.pk}:{row.due.isoformat()}"
        message = (
            f"Action {row.pk} ({row.title}) was due {row.due:%Y-%m-%d %H:%M} and is "
            f"{'unowned' if row.owner is None else 'still open, owner ' + row.owner}"
        )
        sent = [
            r
            for r in recipients
            if notify.send(conn, r, "overdue", f"action:{row.pk}", message, key=key, at=now)
        ]
        if sent:
            count += 1
            conn.execute(
                action_events.insert().values(
                    action_pk=row.pk,
                    at=now,
                    actor=SYSTEM,
                    event="escalated",
                    detail={"to": sent, "due": row.due.isoformat()},
                )
            )
            audit.append(
                conn,
                [audit.Entry(SYSTEM, "action.escalated", f"action:{row.pk}", {"to": sent})],
                at=now,
            )
    return count


def tell_advisers(conn: Connection) -> int:
    """Tells each adviser about every report stored (or revised) after they
    were linked that mentions their victim (needs the resolve stage's
    mentions; nothing happens before it has run)."""
    mentions = findings_metadata.tables.get("entity_mentions")
    if mentions is None or not conn.dialect.has_table(conn, "entity_mentions"):
        return 0
    rows = conn.execute(
        select(
            adviser_links.c.victim,
            reports.c.agency,
            reports.c.report_id,
            report_revisions.c.report_pk,
            report_revisions.c.revision,
        )
        .select_from(adviser_links)
        .join(mentions, mentions.c.entity_id == adviser_links.c.victim)
        .join(report_revisions, report_revisions.c.report_pk == mentions.c.report_pk)
        .join(reports, reports.c.pk == report_revisions.c.report_pk)
        .where(
            adviser_links.c.ended_at.is_(None),
            report_revisions.c.stored_at > adviser_links.c.linked_at,
        )
        .distinct()
    ).all()
    told = 0
    for row in rows:
        what = "A new report" if row.revision == 1 else "A revised report"
        told += notify.victim_changed(
            conn,
            row.victim,
            f"{what} ({row.agency}) mentions {row.victim}",
            key=f"report:{row.report_pk}:{row.revision}",
        )
    return told


def _supervisor(conn: Connection, owner: Any) -> str | None:
    if owner is None:
        return None
    value = conn.execute(select(users.c.supervisor).where(users.c.username == owner)).scalar()
    return str(value) if value else None
