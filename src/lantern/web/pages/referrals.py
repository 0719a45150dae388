"""A partner's referrals: the referral form (with the live language helper),
and the status and outcome of every report the agency sent, in the words it is
entitled to see (``lantern.tasking.feedback.outcome``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import BackgroundTasks, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection, select

from lantern.store.schema import reports
from lantern.store.security_schema import agencies
from lantern.tasking.feedback import outcome
from lantern.web.pages import access
from lantern.web.pages.intake_form import (
    analyse_after_intake,
    analyse_now,
    new_report_id,
    take_report,
)
from lantern.web.pages.rendering import Page, PageRoutes, Viewer, engine_of, page_bounds, render

pages = PageRoutes()
router = pages.router
ACCESS = pages.access

CONCERNS = {
    "sexual-exploitation": "Sexual exploitation or abuse",
    "missing": "Missing from home or care",
    "grooming": "Grooming, online or in person",
    "criminal-exploitation": "Criminal exploitation",
    "other": "Something else",
}


def referrals_page(conn: Connection, user: Any, offset: int, limit: int) -> Page[dict[str, Any]]:
    """The reports the user's agency sent, newest first, each with its outcome."""
    rows = conn.execute(
        select(reports.c.pk)
        .where(reports.c.agency == user.agency)
        .order_by(reports.c.received_at.desc(), reports.c.pk.desc())
        .limit(limit + 1)
        .offset(offset)
    ).all()
    return Page.of([outcome(conn, r.pk) for r in rows], offset, limit)


def referral_body(
    user: Any,
    agency_type: str | None,
    *,
    narrative: str,
    concern: str,
    child_name: str,
    child_age: str,
    place: str,
) -> dict[str, Any]:
    """A referral as a report in the interchange format."""
    subject: dict[str, Any] = {"ref": "c1", "role": "person-at-risk"}
    if child_name.strip():
        subject["name"] = child_name.strip()
    if child_age.strip().isdigit():
        subject["age"] = int(child_age.strip())
    body: dict[str, Any] = {
        "id": new_report_id("REF"),
        "agency": user.agency,
        "channel": "referral",
        "reporter": {"role": user.role, "name": user.display_name},
        "narrative": narrative.strip(),
        "concern": concern if concern in CONCERNS else "other",
    }
    if agency_type:
        body["agency_type"] = agency_type
    if len(subject) > 2:
        body["subjects"] = [subject]
    if place.strip():
        body["locations"] = [{"ref": "l1", "name": place.strip()}]
    return body


@pages.get("/referrals", "feedback.read")
def referrals_list(
    request: Request, user: Viewer, offset: Annotated[int, Query(ge=0)] = 0
) -> HTMLResponse:
    offset, limit = page_bounds(offset)
    with engine_of(request).connect() as conn:
        page = referrals_page(conn, user, offset, limit)
    return render(request, "referrals.html", {"page": page}, user=user)


@pages.get("/referrals/new", "report.submit")
def referral_form(request: Request, user: Viewer) -> HTMLResponse:
    return render(request, "referral_form.html", {"concerns": CONCERNS}, user=user)


@pages.post("/referrals", "report.submit")
def submit_referral(
    request: Request,
    user: Viewer,
    background: BackgroundTasks,
    narrative: Annotated[str, Form(min_length=1, max_length=100_000)],
    concern: Annotated[str, Form()] = "other",
    child_name: Annotated[str, Form(max_length=200)] = "",
    child_age: Annotated[str, Form(max_length=3)] = "",
    place: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    engine = engine_of(request)
    with engine.connect() as conn:
        agency_type = conn.execute(
            select(agencies.c.agency_type).where(agencies.c.code == user.agency)
        ).scalar()
    body = referral_body(
        user,
        agency_type,
        narrative=narrative,
        concern=concern,
        child_name=child_name,
        child_age=child_age,
        place=place,
    )
    report = take_report(engine, body, actor=access.actor(user))
    if analyse_after_intake(request):
        background.add_task(analyse_now, engine)
    return RedirectResponse(f"/referrals/{report.id}?sent=1", status_code=303)


@pages.get("/referrals/{report_id}", "feedback.read")
def referral_page(request: Request, user: Viewer, report_id: str) -> HTMLResponse:
    with engine_of(request).connect() as conn:
        pk = conn.execute(
            select(reports.c.pk).where(
                reports.c.agency == user.agency, reports.c.report_id == report_id
            )
        ).scalar()
        if pk is None:
            raise HTTPException(status_code=404, detail="no such referral from your agency")
        found = outcome(conn, pk)
    return render(request, "referral.html", {"o": found}, user=user)
