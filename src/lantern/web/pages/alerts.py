"""The alerts inbox: what the analysis has raised (a child at high risk, a
subject named again and again with no action, an emerging group, a recording
deadline breached…), each with its reasons and the action opened for it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection, func, select

from lantern.store.findings.network import alerts
from lantern.store.findings.resolution import entities
from lantern.tasking import actions as tasking
from lantern.web.pages import access
from lantern.web.pages.rendering import (
    Page,
    PageRoutes,
    Viewer,
    as_utc,
    engine_of,
    page_bounds,
    render,
)

pages = PageRoutes()
router = pages.router
ACCESS = pages.access

STATUSES = {"open": "Open", "closed": "Closed", "all": "All"}


def alerts_page(
    conn: Connection, status: str, kind: str, offset: int, limit: int
) -> Page[dict[str, Any]]:
    """Alerts, newest first, with the captions of the people they are about."""
    query = select(alerts).order_by(alerts.c.raised_at.desc(), alerts.c.alert_id)
    if status != "all":
        query = query.where(alerts.c.status == status)
    if kind:
        query = query.where(alerts.c.kind == kind)
    rows = [dict(r._mapping) for r in conn.execute(query.limit(limit + 1).offset(offset))]
    ids = {s for r in rows for s in (r["subjects"] or []) if ":" in str(s)}
    labels = (
        dict(
            conn.execute(
                select(entities.c.entity_id, entities.c.label).where(
                    entities.c.entity_id.in_(list(ids))
                )
            ).all()
        )
        if ids
        else {}
    )
    for row in rows:
        row["subject_links"] = [
            (
                *((f"/entities/{s}", labels.get(s, s)) if s in labels else (f"/reports/{s}", s)),
                _named_later(row, s),
            )
            for s in row["subjects"] or []
        ]
    return Page.of(rows, offset, limit)


def _named_later(alert: dict[str, Any], subject: str) -> datetime | None:
    """When a group's alert first named ``subject``, if later than the alert
    was raised (a member who joined the group since)."""
    value = (alert.get("named_at") or {}).get(subject)
    named = as_utc(datetime.fromisoformat(value)) if isinstance(value, str) else None
    raised = as_utc(alert["raised_at"])
    return named if named is not None and raised is not None and named > raised else None


def alert_kinds(conn: Connection) -> list[tuple[str, int]]:
    return [
        (r[0], r[1])
        for r in conn.execute(
            select(alerts.c.kind, func.count())
            .where(alerts.c.status == "open")
            .group_by(alerts.c.kind)
        )
    ]


@pages.get("/alerts", "action.read")
def alerts_inbox(
    request: Request,
    user: Viewer,
    status: str = "open",
    kind: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    status = status if status in STATUSES else "open"
    offset, limit = page_bounds(offset)
    with engine_of(request).connect() as conn:
        page = alerts_page(conn, status, kind, offset, limit)
        kinds = alert_kinds(conn)
    return render(
        request,
        "alerts.html",
        {"page": page, "status": status, "statuses": STATUSES, "kind": kind, "kinds": kinds},
        user=user,
    )


@pages.post("/alerts/{alert_id}/action", "action.raise")
def act_on_alert(
    request: Request,
    user: Viewer,
    alert_id: str,
    title: Annotated[str, Form(min_length=1, max_length=500)],
    priority: Annotated[str, Form()] = "high",
) -> Response:
    """Raises the action for an alert (or opens the one already raised)."""
    with engine_of(request).begin() as conn:
        alert = conn.execute(select(alerts).where(alerts.c.alert_id == alert_id)).first()
        if alert is None:
            raise HTTPException(status_code=404, detail="no such alert")
        try:
            action_id = tasking.raise_action(
                conn,
                title=title,
                source=f"alert:{alert_id}",
                actor=access.actor(user),
                priority=priority,
            )
        except tasking.ActionError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        for subject in alert.subjects or []:
            if ":" in str(subject):
                tasking.link(conn, action_id, str(subject))
    return RedirectResponse(f"/tasks/{action_id}", status_code=303)
