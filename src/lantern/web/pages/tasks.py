"""Tasks: actions as in a major-incident room — raised, allocated, resulted,
reviewed. A user's own tasks, everything needing attention (overdue or
unowned), one action with its history."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.tasking import actions as tasking
from lantern.tasking.queries import list_actions
from lantern.web.pages import access
from lantern.web.pages.rendering import Page, PageRoutes, Viewer, engine_of, page_bounds, render

pages = PageRoutes()
router = pages.router
ACCESS = pages.access

VIEWS = {
    "mine": "Mine",
    "attention": "Overdue or unowned",
    "raised": "Raised",
    "allocated": "Allocated",
    "resulted": "Waiting for review",
    "all": "All",
}


def due_at(day: str) -> datetime | None:
    """A due date from a form: the end of that day (UTC)."""
    if not day.strip():
        return None
    try:
        return datetime.combine(date.fromisoformat(day), time(23, 59), tzinfo=UTC)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail="the due date is not a date") from exc


def _back(source: str, action_id: int) -> str:
    if source.startswith("report:"):
        agency, _, report_id = source.removeprefix("report:").partition("/")
        return f"/reports/{agency}/{report_id}"
    return f"/tasks/{action_id}"


@pages.get("/tasks", "action.read")
def tasks_page(
    request: Request,
    user: Viewer,
    view: str = "mine",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    view = view if view in VIEWS else "mine"
    offset, limit = page_bounds(offset)
    filters: dict[str, object] = {}
    if view == "mine":
        filters["owner"] = user.username
    elif view == "attention":
        filters["needs_attention"] = True
    elif view != "all":
        filters["status"] = view
    with engine_of(request).connect() as conn:
        total, rows = list_actions(conn, limit=limit + 1, offset=offset, **filters)  # type: ignore[arg-type]
    return render(
        request,
        "tasks.html",
        {
            "view": view,
            "views": VIEWS,
            "page": Page.of(rows, offset, limit),
            "total": total,
            "actions": rows[:limit],
            "source": "manual",
        },
        user=user,
    )


@pages.post("/tasks", "action.raise")
def raise_task(
    request: Request,
    user: Viewer,
    title: Annotated[str, Form(min_length=1, max_length=500)],
    source: Annotated[str, Form(max_length=400)] = "manual",
    priority: Annotated[str, Form()] = "medium",
    due: Annotated[str, Form()] = "",
    owner: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Raises an action by hand, or about a report, person, group or alert."""
    if (
        owner.strip()
        and not access.allows(user, "action.allocate")
        and owner.strip() != user.username
    ):
        raise HTTPException(
            status_code=403, detail="only a supervisor gives an action to someone else"
        )
    with engine_of(request).begin() as conn:
        try:
            action_id = tasking.raise_action(
                conn,
                title=title.strip(),
                source=source.strip() or "manual",
                actor=access.actor(user),
                priority=priority,
                owner=owner.strip() or None,
                due=due_at(due),
            )
        except tasking.ActionError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
    return RedirectResponse(f"/tasks/{action_id}?raised=1", status_code=303)


@pages.get("/tasks/{action_id}", "action.read")
def task_page(request: Request, user: Viewer, action_id: int) -> HTMLResponse:
    with engine_of(request).connect() as conn:
        action = tasking.get_action(conn, action_id)
    if action is None:
        raise HTTPException(status_code=404, detail="no such action")
    return render(request, "task.html", {"a": action}, user=user)


def _change(request: Request, action_id: int, change: str, **kwargs: object) -> Response:
    with engine_of(request).begin() as conn:
        try:
            getattr(tasking, change)(conn, action_id, **kwargs)
        except LookupError as exc:
            raise HTTPException(status_code=404, detail="no such action") from exc
        except tasking.ActionError as exc:
            raise HTTPException(status_code=409, detail=str(exc)) from exc
    return RedirectResponse(f"/tasks/{action_id}", status_code=303)


@pages.post("/tasks/{action_id}/allocate", "action.allocate")
def allocate_task(
    request: Request,
    user: Viewer,
    action_id: int,
    owner: Annotated[str, Form(min_length=1, max_length=100)],
    due: Annotated[str, Form()] = "",
) -> Response:
    return _change(
        request,
        action_id,
        "allocate",
        owner=owner.strip(),
        actor=access.actor(user),
        due=due_at(due),
    )


@pages.post("/tasks/{action_id}/result", "action.result")
def result_task(
    request: Request,
    user: Viewer,
    action_id: int,
    result: Annotated[str, Form(min_length=1, max_length=5000)],
) -> Response:
    return _change(request, action_id, "record_result", result=result, actor=access.actor(user))


@pages.post("/tasks/{action_id}/review", "action.review")
def review_task(
    request: Request,
    user: Viewer,
    action_id: int,
    accepted: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    return _change(
        request,
        action_id,
        "review",
        actor=access.actor(user),
        accepted=accepted == "yes",
        note=note,
    )
