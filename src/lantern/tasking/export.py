"""The ``actions`` section of the JSON export (interchange spec section 2):
each action as it stood at ``as_of``, replayed from its events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from lantern.store.schema import action_events, actions


def section(engine: Engine, name: str, as_of: datetime | None) -> list[dict[str, Any]]:
    if name != "actions":
        raise KeyError(f"tasking exports only 'actions', not {name!r}")
    with engine.connect() as conn:
        query = select(actions).order_by(actions.c.pk)
        events = select(action_events).order_by(action_events.c.pk)
        if as_of is not None:
            query = query.where(actions.c.raised_at <= as_of)
            events = events.where(action_events.c.at <= as_of)
        rows = conn.execute(query).all()
        states: dict[int, dict[str, Any]] = {}
        if as_of is not None:
            for event in conn.execute(events):
                state = (event.detail or {}).get("state")
                if state:
                    states[event.action_pk] = state
    out = []
    for row in rows:
        state = states.get(row.pk) or {
            "owner": row.owner,
            "due": row.due,
            "status": row.status,
            "result": row.result,
        }
        due = state.get("due")
        out.append(
            {
                "action_id": row.pk,
                "raised_at": row.raised_at.isoformat(),
                "owner": state.get("owner"),
                "due": due.isoformat() if isinstance(due, datetime) else due,
                "status": state.get("status"),
                "result": state.get("result"),
                "source": row.source,
            }
        )
    return out
