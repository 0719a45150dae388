"""Notifications: an action given to its owner, an overdue action escalated to
the owner's supervisor, and anything that changes about a victim told to the
advisers (ISVAs) linked to that victim. Each notification has a key, so the
same event never notifies the same person twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from lantern import clock
from lantern.store import audit
from lantern.store.security_schema import action_links, adviser_links, notifications


def send(
    conn: Connection,
    recipient: str,
    kind: str,
    subject: str,
    message: str,
    *,
    key: str,
    at: datetime | None = None,
) -> bool:
    """Notifies ``recipient`` once per ``key``. True if this call sent it."""
    known = conn.execute(
        select(notifications.c.pk).where(
            notifications.c.recipient == recipient, notifications.c.key == key
        )
    ).first()
    if known is not None:
        return False
    conn.execute(
        notifications.insert().values(
            recipient=recipient,
            at=at or clock.now(),
            kind=kind,
            subject=subject,
            message=message,
            key=key[:400],
        )
    )
    return True


def advisers_of(conn: Connection, victim: str) -> list[str]:
    """The advisers linked now to ``victim`` ("person:<id>")."""
    return list(
        conn.execute(
            select(adviser_links.c.adviser)
            .where(adviser_links.c.victim == victim, adviser_links.c.ended_at.is_(None))
            .distinct()
        ).scalars()
    )


def victim_changed(conn: Connection, victim: str, message: str, *, key: str) -> int:
    """Tells every adviser linked to ``victim`` that something changed. Returns
    how many were told."""
    sent = 0
    for adviser in advisers_of(conn, victim):
        sent += send(conn, adviser, "victim-changed", victim, message, key=f"{victim}|{key}")
    return sent


def action_changed(conn: Connection, action_id: int, message: str, at: datetime) -> int:
    """Tells the advisers of any victim the action is linked to."""
    targets = conn.execute(
        select(action_links.c.target).where(
            action_links.c.action_pk == action_id, action_links.c.target.like("person:%")
        )
    ).scalars()
    return sum(
        victim_changed(conn, victim, message, key=f"action:{action_id}:{at.isoformat()}")
        for victim in targets
    )


def link_adviser(conn: Connection, adviser: str, victim: str, *, actor: str) -> bool:
    """Links an adviser to a victim. False if already linked."""
    if adviser in advisers_of(conn, victim):
        return False
    now = clock.now()
    conn.execute(
        adviser_links.insert().values(
            adviser=adviser, victim=victim, linked_at=now, linked_by=actor
        )
    )
    audit.append(conn, [audit.Entry(actor, "adviser.linked", victim, {"adviser": adviser})], at=now)
    return True


def unlink_adviser(conn: Connection, adviser: str, victim: str, *, actor: str) -> None:
    now = clock.now()
    conn.execute(
        update(adviser_links)
        .where(
            adviser_links.c.adviser == adviser,
            adviser_links.c.victim == victim,
            adviser_links.c.ended_at.is_(None),
        )
        .values(ended_at=now)
    )
    audit.append(
        conn, [audit.Entry(actor, "adviser.unlinked", victim, {"adviser": adviser})], at=now
    )


def for_user(
    conn: Connection, username: str, *, unread_only: bool = False, limit: int = 100
) -> list[dict[str, Any]]:
    query = select(notifications).where(notifications.c.recipient == username)
    if unread_only:
        query = query.where(notifications.c.read_at.is_(None))
    rows = conn.execute(query.order_by(notifications.c.pk.desc()).limit(limit)).all()
    return [
        {
            "notification_id": r.pk,
            "at": r.at,
            "kind": r.kind,
            "subject": r.subject,
            "message": r.message,
            "read": r.read_at is not None,
        }
        for r in rows
    ]


def mark_read(conn: Connection, username: str, notification_id: int) -> bool:
    result = conn.execute(
        update(notifications)
        .where(notifications.c.pk == notification_id, notifications.c.recipient == username)
        .values(read_at=clock.now())
    )
    return bool(result.rowcount)
