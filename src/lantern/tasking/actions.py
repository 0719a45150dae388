"""Raising and changing actions. Actions are facts: every change is kept as an
action event (holding the action's state after it, so its history can be
replayed to any time) and written to the audit log.

Life of an action, as in a major-incident room::

    raised ──allocate──▶ allocated ──result──▶ resulted ──review──▶ reviewed
                          ▲   │reallocate                  │sent back
                          └───┴────────────────────────────┘
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from lantern import clock
from lantern.store import audit
from lantern.store.schema import action_events, actions
from lantern.store.security_schema import action_links
from lantern.tasking import notify

PRIORITIES = ("high", "medium", "low")
OPEN = ("raised", "allocated")


class ActionError(ValueError):
    """A change an action cannot take in its present state."""


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
    if priority not in PRIORITIES:
        raise ActionError(f"priority must be one of {', '.join(PRIORITIES)}")
    existing = conn.execute(
        select(actions.c.pk).where(actions.c.source == source, actions.c.status.in_(OPEN))
    ).scalar()
    if existing is not None and source != "manual":
        return int(existing)
    now = clock.now()
    status = "allocated" if owner else "raised"
    pk = conn.execute(
        actions.insert().values(
            title=title,
            source=source,
            raised_at=now,
            raised_by=actor,
            priority=priority,
            owner=owner,
            due=due,
            status=status,
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    state = {"status": status, "owner": owner, "due": due, "priority": priority, "result": None}
    _event(conn, int(pk), now, actor, "raised", {**(detail or {}), "state": state})
    audit.append(
        conn,
        [audit.Entry(actor, "action.raised", f"action:{pk}", {"source": source, "title": title})],
        at=now,
    )
    if source != "manual":
        link(conn, int(pk), source)
    if owner:
        notify.send(
            conn,
            owner,
            "allocated",
            f"action:{pk}",
            f"Action {pk} is yours: {title}",
            key=f"allocated:{pk}:{now.isoformat()}",
        )
    return int(pk)


def allocate(
    conn: Connection,
    action_id: int,
    *,
    owner: str,
    actor: str,
    due: datetime | None = None,
    priority: str | None = None,
) -> None:
    """Gives an open (or sent-back) action to ``owner``, with a due date."""
    row = _get(conn, action_id)
    if row.status not in OPEN:
        raise ActionError(f"action {action_id} is {row.status}; only an open action is allocated")
    if priority is not None and priority not in PRIORITIES:
        raise ActionError(f"priority must be one of {', '.join(PRIORITIES)}")
    values: dict[str, Any] = {"owner": owner, "status": "allocated"}
    if due is not None:
        values["due"] = due
    if priority is not None:
        values["priority"] = priority
    now = _change(conn, row, actor, "allocated", values)
    notify.send(
        conn,
        owner,
        "allocated",
        f"action:{action_id}",
        f"Action {action_id} is yours: {row.title}",
        key=f"allocated:{action_id}:{now.isoformat()}",
    )


def record_result(conn: Connection, action_id: int, *, result: str, actor: str) -> None:
    """Records what was done. Only an allocated action can be resulted."""
    row = _get(conn, action_id)
    if row.status != "allocated":
        raise ActionError(f"action {action_id} is {row.status}; allocate it before resulting it")
    if not result.strip():
        raise ActionError("a result says what was done")
    _change(conn, row, actor, "resulted", {"status": "resulted", "result": result})


def review(conn: Connection, action_id: int, *, actor: str, accepted: bool, note: str = "") -> None:
    """A supervisor's review of a result: accepted (reviewed), or sent back to
    the owner (allocated again)."""
    row = _get(conn, action_id)
    if row.status != "resulted":
        raise ActionError(f"action {action_id} is {row.status}; only a resulted action is reviewed")
    status = "reviewed" if accepted else "allocated"
    _change(
        conn,
        row,
        actor,
        "reviewed" if accepted else "sent-back",
        {"status": status},
        {"note": note},
    )
    if not accepted and row.owner:
        notify.send(
            conn,
            row.owner,
            "sent-back",
            f"action:{action_id}",
            f"Action {action_id} was sent back: {note}",
            key=f"sent-back:{action_id}:{clock.now().isoformat()}",
        )


def link(conn: Connection, action_id: int, target: str) -> None:
    """Records that an action is about ``target`` ("report:…", "person:…",
    "group:…", "alert:…"); advisers of a linked victim hear of its changes."""
    known = conn.execute(
        select(action_links.c.pk).where(
            action_links.c.action_pk == action_id, action_links.c.target == target
        )
    ).first()
    if known is None:
        conn.execute(action_links.insert().values(action_pk=action_id, target=target))


def get_action(conn: Connection, action_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(actions).where(actions.c.pk == action_id)).first()
    if row is None:
        return None
    links = conn.execute(
        select(action_links.c.target).where(action_links.c.action_pk == action_id)
    ).scalars()
    history = conn.execute(
        select(action_events)
        .where(action_events.c.action_pk == action_id)
        .order_by(action_events.c.pk)
    ).all()
    return {
        **as_dict(row),
        "links": list(links),
        "history": [
            {"at": e.at, "actor": e.actor, "event": e.event, "note": (e.detail or {}).get("note")}
            for e in history
        ],
    }


def as_dict(row: Any) -> dict[str, Any]:
    return {
        "action_id": row.pk,
        "title": row.title,
        "source": row.source,
        "raised_at": row.raised_at,
        "raised_by": row.raised_by,
        "priority": row.priority,
        "owner": row.owner,
        "due": row.due,
        "status": row.status,
        "result": row.result,
    }


def _get(conn: Connection, action_id: int) -> Any:
    row = conn.execute(select(actions).where(actions.c.pk == action_id)).first()
    if row is None:
        raise LookupError(f"no action {action_id}")
    return row


def _change(
    conn: Connection,
    row: Any,
    actor: str,
    event: str,
    values: dict[str, Any],
    detail: dict[str, Any] | None = None,
) -> datetime:
    now = clock.now()
    conn.execute(update(actions).where(actions.c.pk == row.pk).values(**values))
    state = {k: getattr(row, k) for k in ("status", "owner", "due", "priority", "result")}
    state.update(values)
    _event(conn, row.pk, now, actor, event, {**(detail or {}), "state": state})
    audit.append(
        conn,
        [
            audit.Entry(
                actor,
                f"action.{event}",
                f"action:{row.pk}",
                {k: v for k, v in values.items() if k != "result"},
            )
        ],
        at=now,
    )
    notify.action_changed(conn, row.pk, f"Action {row.pk} was {event}", now)
    return now


def _event(
    conn: Connection, action_id: int, at: datetime, actor: str, event: str, detail: dict[str, Any]
) -> None:
    conn.execute(
        action_events.insert().values(
            action_pk=action_id,
            at=at,
            actor=actor,
            event=event,
            detail={k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in detail.items()}
            | {"state": _jsonable(detail.get("state", {}))},
        )
    )


def _jsonable(state: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in state.items()}
