"""Actions through the API: lists (an owner's, everything needing attention),
raising by hand, allocating, resulting, reviewing. Who may do which is in
``lantern.auth.roles``; an owner results only their own actions unless they
supervise."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, StringConstraints
from sqlalchemy import select

from lantern.auth.accounts import User, get_user
from lantern.auth.roles import OWNER_ROLES, allows
from lantern.store.schema import actions as actions_table
from lantern.tasking import actions
from lantern.tasking.queries import list_actions, with_overdue
from lantern.web.api.common import NO_NUL, IdPath, Limit, LongText, Moment, Offset, ShortText, page
from lantern.web.security import require_permission, store

router = APIRouter()

ACCESS = {
    ("GET", "/api/actions"): "action.read",
    ("POST", "/api/actions"): "action.raise",
    ("GET", "/api/actions/attention"): "action.review",
    ("GET", "/api/actions/{action_id}"): "action.read",
    ("POST", "/api/actions/{action_id}/allocate"): "action.allocate",
    ("POST", "/api/actions/{action_id}/result"): "action.result",
    ("POST", "/api/actions/{action_id}/review"): "action.review",
}


class NewAction(BaseModel):
    title: LongText
    priority: ShortText = "medium"
    owner: ShortText | None = None
    due: Moment | None = None
    about: list[ShortText] = []  # "report:syp/1", "person:…", "group:…"


class Allocation(BaseModel):
    owner: ShortText
    due: Moment | None = None
    priority: ShortText | None = None


class Result(BaseModel):
    result: LongText


class Review(BaseModel):
    accepted: bool
    note: Annotated[str, StringConstraints(max_length=20_000, pattern=NO_NUL)] = ""


@router.get("/actions")
def find_actions(
    request: Request,
    user: User = Depends(require_permission("action.read")),
    owner: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
    status: Annotated[str | None, Query(pattern="^(raised|allocated|resulted|reviewed)$")] = None,
    about: Annotated[str | None, Query(max_length=400, pattern=NO_NUL)] = None,
    attention: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Actions, newest first: by owner (``me`` for yours), status, what they
    are about; ``attention`` keeps the overdue and unowned."""
    who = user.username if owner == "me" else owner
    with store(request) as conn:
        total, items = list_actions(
            conn,
            owner=who,
            status=status,
            about=about,
            needs_attention=attention,
            limit=limit,
            offset=offset,
        )
    return page(total, items, limit, offset)


@router.get("/actions/attention")
def needing_attention(
    request: Request,
    user: User = Depends(require_permission("action.review")),
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The supervisor's view: everything overdue or unowned."""
    with store(request) as conn:
        total, items = list_actions(conn, needs_attention=True, limit=limit, offset=offset)
    return page(total, items, limit, offset)


@router.post("/actions", status_code=201)
def raise_by_hand(
    body: NewAction,
    request: Request,
    user: User = Depends(require_permission("action.raise")),
) -> dict[str, Any]:
    """Raise an action by hand. Only a supervisor gives it to someone else."""
    _check_priority(body.priority)
    with store(request) as conn:
        if body.owner is not None:
            _check_owner(conn, user, body.owner)
        action_id = actions.raise_action(
            conn,
            title=body.title,
            source="manual",
            actor=user.actor,
            priority=body.priority,
            owner=body.owner,
            due=body.due,
        )
        for target in body.about:
            actions.link(conn, action_id, target)
    return {"action_id": action_id}


@router.get("/actions/{action_id}")
def read_action(
    action_id: IdPath,
    request: Request,
    user: User = Depends(require_permission("action.read")),
) -> dict[str, Any]:
    """One action with what it is about and its history."""
    with store(request) as conn:
        found = actions.get_action(conn, action_id)
    if found is None:
        raise HTTPException(404, "no such action")
    from lantern import clock

    return with_overdue(found, clock.now())


@router.post("/actions/{action_id}/allocate")
def allocate(
    action_id: IdPath,
    body: Allocation,
    request: Request,
    user: User = Depends(require_permission("action.allocate")),
) -> dict[str, Any]:
    if body.priority is not None:
        _check_priority(body.priority)
    with store(request) as conn:
        _check_owner(conn, user, body.owner)
        _apply(
            lambda: actions.allocate(
                conn,
                action_id,
                owner=body.owner,
                actor=user.actor,
                due=body.due,
                priority=body.priority,
            )
        )
    return {"allocated": True}


@router.post("/actions/{action_id}/result")
def record_result(
    action_id: IdPath,
    body: Result,
    request: Request,
    user: User = Depends(require_permission("action.result")),
) -> dict[str, Any]:
    with store(request) as conn:
        owner = conn.execute(
            select(actions_table.c.owner).where(actions_table.c.pk == action_id)
        ).first()
        if owner is None:
            raise HTTPException(404, "no such action")
        if owner.owner != user.username and not allows(user.role, "action.review"):
            raise HTTPException(403, "only the owner (or a supervisor) results an action")
        _apply(lambda: actions.record_result(conn, action_id, result=body.result, actor=user.actor))
    return {"resulted": True}


@router.post("/actions/{action_id}/review")
def review(
    action_id: IdPath,
    body: Review,
    request: Request,
    user: User = Depends(require_permission("action.review")),
) -> dict[str, Any]:
    with store(request) as conn:
        _apply(
            lambda: actions.review(
                conn, action_id, actor=user.actor, accepted=body.accepted, note=body.note
            )
        )
    return {"reviewed": True, "accepted": body.accepted}


def _apply(change: Any) -> None:
    try:
        change()
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except actions.ActionError as exc:
        raise HTTPException(409, str(exc)) from exc


def _check_priority(priority: str) -> None:
    if priority not in actions.PRIORITIES:
        raise HTTPException(422, "priority is high, medium or low")


def _check_owner(conn: Any, user: User, owner: str) -> None:
    if owner != user.username and not allows(user.role, "action.allocate"):
        raise HTTPException(403, "only a supervisor gives an action to someone else")
    found = get_user(conn, owner)
    if found is None or found.role not in OWNER_ROLES:
        raise HTTPException(422, f"{owner!r} cannot own actions")
