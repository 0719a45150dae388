"""The signed-in user: who they are, their notifications; and the audit log
for those who review it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from sqlalchemy import func, select

from lantern.auth.accounts import User
from lantern.auth.roles import ROLE_PERMISSIONS
from lantern.store.schema import audit_log
from lantern.tasking import notify
from lantern.web.api.common import NO_NUL, IdPath, Limit, Offset, page
from lantern.web.security import require_permission, store

router = APIRouter()

ACCESS = {
    ("GET", "/api/me"): "signed-in",
    ("GET", "/api/notifications"): "signed-in",
    ("POST", "/api/notifications/{notification_id}/read"): "signed-in",
    ("GET", "/api/audit"): "audit.read",
}


@router.get("/me")
def me(user: User = Depends(require_permission("signed-in"))) -> dict[str, Any]:
    """Who you are and what your role may do."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "agency": user.agency,
        "role": user.role,
        "permissions": sorted(ROLE_PERMISSIONS.get(user.role, frozenset())),
    }


@router.get("/notifications")
def my_notifications(
    request: Request,
    user: User = Depends(require_permission("signed-in")),
    unread: bool = False,
) -> list[dict[str, Any]]:
    """Your notifications, newest first."""
    with store(request) as conn:
        return notify.for_user(conn, user.username, unread_only=unread)


@router.post("/notifications/{notification_id}/read")
def mark_read(
    notification_id: IdPath,
    request: Request,
    user: User = Depends(require_permission("signed-in")),
) -> dict[str, Any]:
    with store(request) as conn:
        if not notify.mark_read(conn, user.username, notification_id):
            raise HTTPException(404, "no such notification of yours")
    return {"read": True}


@router.get("/audit")
def read_audit(
    request: Request,
    user: User = Depends(require_permission("audit.read")),
    target: Annotated[str | None, Query(max_length=400, pattern=NO_NUL)] = None,
    actor: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The audit log, newest first, by target or actor."""
    where = []
    if target:
        where.append(audit_log.c.target == target)
    if actor:
        where.append(audit_log.c.actor == actor)
    with store(request) as conn:
        total = conn.execute(select(func.count()).select_from(audit_log).where(*where)).scalar_one()
        rows = conn.execute(
            select(audit_log)
            .where(*where)
            .order_by(audit_log.c.seq.desc())
            .limit(limit)
            .offset(offset)
        ).all()
    items = [
        {
            "seq": r.seq,
            "at": r.at,
            "actor": r.actor,
            "action": r.action,
            "target": r.target,
            "reason": r.reason,
            "detail": r.detail,
        }
        for r in rows
    ]
    return page(total, items, limit, offset)
