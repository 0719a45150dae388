"""The recording queue: reports whose disclosures amount to a crime, each with
its 24-hour clock, nearest deadline first. A crime is recorded here with its
crime reference, or a no-crime decision with its Counting Rules reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection, exists, literal, select

from lantern import clock
from lantern.recording import decisions as recording
from lantern.recording.catalogue import load as load_catalogue
from lantern.store.findings.recording import recording_proposals
from lantern.store.schema import decisions, reports
from lantern.web.pages import access
from lantern.web.pages.rendering import Page, PageRoutes, Viewer, engine_of, page_bounds, render

pages = PageRoutes()
router = pages.router
ACCESS = pages.access

DUE_SOON_HOURS = 4
VIEWS = {
    "pending": "Waiting for a decision",
    "decided": "Decided",
    "all": "All with a crime disclosed",
}


@dataclass(frozen=True, slots=True)
class Clock:
    """Where a report's 24-hour clock stands: ``ok``, ``due-soon`` or ``breached``."""

    state: str
    text: str
    seconds_left: int


def recording_clock(deadline: datetime, now: datetime) -> Clock:
    left = int((deadline - now).total_seconds())
    hours, minutes = divmod(abs(left) // 60, 60)
    days, hours_of_day = divmod(hours, 24)
    span = f"{days}d {hours_of_day}h" if days >= 2 else f"{hours}h {minutes:02d}m"
    if left < 0:
        return Clock("breached", f"{span} past the deadline", left)
    state = "due-soon" if left < DUE_SOON_HOURS * 3600 else "ok"
    return Clock(state, f"{span} left", left)


def _decided() -> Any:
    subject = (
        literal("report:") + recording_proposals.c.agency + "/" + recording_proposals.c.report_id
    )
    return exists().where(
        decisions.c.subject == subject,
        decisions.c.kind.in_([k.value for k in recording.RECORDING_KINDS]),
    )


def queue_page(
    conn: Connection, user: Any, view: str, offset: int, limit: int
) -> Page[dict[str, Any]]:
    """Reports disclosing a crime, nearest deadline first (``pending``), or
    the decided ones, newest first."""
    query = (
        select(recording_proposals, reports.c.handling)
        .join(reports, reports.c.pk == recording_proposals.c.report_pk)
        .where(recording_proposals.c.has_crime, access.visible_reports(user))
    )
    if view == "pending":
        query = query.where(~_decided()).order_by(
            recording_proposals.c.deadline, recording_proposals.c.report_pk
        )
    elif view == "decided":
        query = query.where(_decided()).order_by(recording_proposals.c.deadline.desc())
    else:
        query = query.order_by(recording_proposals.c.deadline.desc())
    rows = conn.execute(query.limit(limit + 1).offset(offset)).all()
    now = clock.now()
    history = recording.decisions_for(conn, [f"report:{r.agency}/{r.report_id}" for r in rows])
    items = []
    for row in rows:
        subject = f"report:{row.agency}/{row.report_id}"
        items.append(
            {
                **row._mapping,
                "clock": recording_clock(row.deadline, now),
                "state": recording.recording_state(history.get(subject, [])),
                "crimes": (row.proposal or {}).get("crimes", []),
                "concerns": (row.proposal or {}).get("concerns", []),
            }
        )
    return Page.of(items, offset, limit)


def pending_count(conn: Connection, user: Any) -> int:
    from sqlalchemy import func

    return int(
        conn.execute(
            select(func.count())
            .select_from(
                recording_proposals.join(reports, reports.c.pk == recording_proposals.c.report_pk)
            )
            .where(recording_proposals.c.has_crime, access.visible_reports(user), ~_decided())
        ).scalar()
        or 0
    )


@pages.get("/recording", "search")
def recording_page(
    request: Request,
    user: Viewer,
    view: str = "pending",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    view = view if view in VIEWS else "pending"
    offset, limit = page_bounds(offset, 20)
    catalogue = load_catalogue()
    with engine_of(request).connect() as conn:
        page = queue_page(conn, user, view, offset, limit)
    return render(
        request,
        "recording.html",
        {
            "page": page,
            "view": view,
            "views": VIEWS,
            "no_crime_reasons": catalogue.no_crime_reasons,
        },
        user=user,
    )


def _proposal_report(conn: Connection, user: Any, report_pk: int) -> Any:
    row = conn.execute(
        select(reports.c.agency, reports.c.report_id).where(
            reports.c.pk == report_pk, access.visible_reports(user)
        )
    ).first()
    if row is None:
        raise HTTPException(status_code=404, detail="no such report")
    return row


@pages.post("/recording/{report_pk}/crime", "recording.decide")
def record_crime(
    request: Request,
    user: Viewer,
    report_pk: int,
    crime_reference: Annotated[str, Form(min_length=1, max_length=100)],
    offences: Annotated[list[str], Form()],
    victim: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    with engine_of(request).begin() as conn:
        row = _proposal_report(conn, user, report_pk)
        try:
            recording.record_crime(
                conn,
                agency=row.agency,
                report_id=row.report_id,
                actor=access.actor(user),
                crime_reference=crime_reference.strip(),
                offences=[o for o in offences if o],
                victim=victim or None,
            )
        except recording.DecisionRefused as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
    return RedirectResponse(f"/recording?recorded={report_pk}", status_code=303)


@pages.post("/recording/{report_pk}/no-crime", "recording.decide")
def record_no_crime(
    request: Request,
    user: Viewer,
    report_pk: int,
    reason: Annotated[str, Form()],
    notes: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    with engine_of(request).begin() as conn:
        row = _proposal_report(conn, user, report_pk)
        try:
            recording.record_no_crime(
                conn,
                agency=row.agency,
                report_id=row.report_id,
                actor=access.actor(user),
                reason=reason,
                notes=notes.strip() or None,
            )
        except recording.DecisionRefused as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
    return RedirectResponse(f"/recording?decided={report_pk}", status_code=303)
