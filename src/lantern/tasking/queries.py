"""Lists of actions: an owner's tasks, everything overdue or unowned (the
supervisor's view), the actions about a report or a person. Overdue is
judged at ``lantern.clock.now()``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, or_, select

from lantern import clock
from lantern.store.schema import actions
from lantern.store.security_schema import action_links
from lantern.tasking.actions import OPEN, as_dict

PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def overdue_clause() -> ColumnElement[bool]:
    return and_(actions.c.status.in_(OPEN), actions.c.due.is_not(None), actions.c.due < clock.now())


def unowned_clause() -> ColumnElement[bool]:
    return and_(actions.c.status.in_(OPEN), actions.c.owner.is_(None))


def list_actions(
    conn: Connection,
    *,
    owner: str | None = None,
    status: str | None = None,
    about: str | None = None,
    needs_attention: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """(total, one page of actions) matching every filter given. ``about`` is a
    linked target ("report:syp/1", "person:…"); ``needs_attention`` keeps
    what is overdue or unowned. Newest first."""
    conditions: list[ColumnElement[bool]] = []
    if owner is not None:
        conditions.append(actions.c.owner == owner)
    if status is not None:
        conditions.append(actions.c.status == status)
    if about is not None:
        conditions.append(
            or_(
                actions.c.source == about,
                actions.c.pk.in_(
                    select(action_links.c.action_pk).where(action_links.c.target == about)
                ),
            )
        )
    if needs_attention:
        conditions.append(or_(overdue_clause(), unowned_clause()))
    where = and_(*conditions) if conditions else None
    count_query = select(func.count()).select_from(actions)
    query = select(actions)
    if where is not None:
        count_query = count_query.where(where)
        query = query.where(where)
    total = int(conn.execute(count_query).scalar() or 0)
    rows = conn.execute(query.order_by(actions.c.pk.desc()).limit(limit).offset(offset)).all()
    now = clock.now()
    return total, [with_overdue(as_dict(row), now) for row in rows]


def with_overdue(action: dict[str, Any], now: Any) -> dict[str, Any]:
    due = action.get("due")
    action["overdue"] = bool(due is not None and due < now and action["status"] in OPEN)
    return action


def open_overdue(conn: Connection) -> list[Any]:
    """Every open action past its due time, oldest due first."""
    return list(conn.execute(select(actions).where(overdue_clause()).order_by(actions.c.due)).all())
