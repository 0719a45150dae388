"""Raising and changing actions. Actions are facts: every change is kept as an
action event and written to the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from lantern import clock
from lantern.store import audit
from lantern.store.schema import action_events, actions


def raise_action(
    conn: Connection,
    *,
    title: str,
    source: str,
    actor: str,
    priority: str = "medium",
    owner: str | None = None,
    due: datetime | None = None,
    detail: dict[str, Any] | None = None,
) -> int:
    """Raises an action (from an alert ``alert:<id>``, a report
    ``report:<agency>/<id>``, or ``manual``) in the caller's transaction and
    returns its id. An open action from the same source is returned instead of
    raising a second one."""
    existing = conn.execute(
        select(actions.c.pk).where(
            actions.c.source == source, actions.c.status.in_(("raised", "allocated"))
        )
    ).scalar()
    if existing is not None and source != "manual":
        return int(existing)
    now = clock.now()
    pk = conn.execute(
        actions.insert().values(
            title=title,
            source=source,
            raised_at=now,
            raised_by=actor,
            priority=priority,
            owner=owner,
            due=due,
            status="allocated" if owner else "raised",
        )
    ).inserted_primary_key[0]
    conn.execute(
        action_events.insert().values(
            action_pk=pk, at=now, actor=actor, event="raised", detail=detail or {}
        )
    )
    audit.append(
        conn,
        [audit.Entry(actor, "action.raised", f"action:{pk}", {"source": source, "title": title})],
        at=now,
    )
    return int(pk)
