"""The public "report a concern" form: anyone may tell us about a child they
are worried about, with their name or anonymously. The live language helper
runs as they type; the concern becomes a report like any other."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.web.pages.intake_form import (
    analyse_after_intake,
    analyse_now,
    new_report_id,
    take_report,
)
from lantern.web.pages.rendering import PageRoutes, Visitor, render

pages = PageRoutes()
router = pages.router
ACCESS = pages.access

PUBLIC_AGENCY = "public"


def concern_body(
    *, narrative: str, where: str, anonymous: bool, name: str, contact: str
) -> dict[str, Any]:
    """A member of the public's concern as a report in the interchange format."""
    reporter: dict[str, Any] = (
        {"anonymous": True}
        if anonymous or not (name.strip() or contact.strip())
        else {"role": "member of the public", "name": name.strip(), "contact": contact.strip()}
    )
    body: dict[str, Any] = {
        "id": new_report_id("WEB"),
        "agency": PUBLIC_AGENCY,
        "agency_type": "public",
        "channel": "online-form",
        "reporter": reporter,
        "narrative": narrative.strip(),
    }
    if where.strip():
        body["locations"] = [{"ref": "l1", "name": where.strip()}]
    return body


@pages.get("/report-a-concern", "public")
def concern_form(request: Request, user: Visitor) -> HTMLResponse:
    return render(request, "report_concern.html", {}, user=user)


@pages.post("/report-a-concern", "public")
def submit_concern(
    request: Request,
    user: Visitor,
    background: BackgroundTasks,
    narrative: Annotated[str, Form(min_length=1, max_length=50_000)],
    where: Annotated[str, Form(max_length=300)] = "",
    anonymous: Annotated[str, Form()] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    contact: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    body = concern_body(
        narrative=narrative, where=where, anonymous=bool(anonymous), name=name, contact=contact
    )
    report = take_report(request.app.state.engine, body, actor="public-form")
    if analyse_after_intake(request):
        background.add_task(analyse_now, request.app.state.engine)
    return RedirectResponse(f"/report-a-concern/thanks?ref={report.id}", status_code=303)


@pages.get("/report-a-concern/thanks", "public")
def concern_thanks(request: Request, user: Visitor, ref: str = "") -> HTMLResponse:
    return render(request, "report_thanks.html", {"ref": ref[:40]}, user=user)
