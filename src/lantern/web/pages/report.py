"""One report: its narrative with what was read from it, where recording
stands, the actions about it and what its sender has been told. Extracted
spans are corrected here (a correction is a decision, kept as a fact)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection, select

from lantern import clock
from lantern.domain import DecisionKind
from lantern.domain.mentions import PERSON_ROLES
from lantern.store import audit
from lantern.store.findings.recording import recording_proposals
from lantern.store.schema import decisions, reports
from lantern.store.security_schema import referral_feedback
from lantern.tasking.feedback import outcome, write_feedback
from lantern.tasking.queries import list_actions
from lantern.web.pages import access
from lantern.web.pages.rendering import PageRoutes, Viewer, engine_of, render
from lantern.web.pages.report_entries import report_entries

pages = PageRoutes()
router = pages.router
ACCESS = pages.access

CORRECTIONS = ("role", "not-a-mention", "wrong-person")


def visible_report(conn: Connection, user: Any, agency: str, report_id: str) -> Any:
    """The report's row if this user may see it; 404 otherwise (a report one may
    not see is not admitted to exist)."""
    row = conn.execute(
        select(reports).where(
            reports.c.agency == agency,
            reports.c.report_id == report_id,
            access.visible_reports(user),
        )
    ).first()
    if row is None:
        raise HTTPException(status_code=404, detail="no such report")
    return row


def report_back(path: str) -> str:
    return path if path.startswith("/") and not path.startswith("//") else "/"


@pages.get("/reports/{agency}/{report_id}", "report.read")
def report_page(
    request: Request, user: Viewer, agency: str, report_id: str, reason: str = ""
) -> HTMLResponse:
    with engine_of(request).begin() as conn:
        row = visible_report(conn, user, agency, report_id)
        if access.is_restricted(row) and not reason.strip():
            return render(
                request, "reason.html", {"agency": agency, "report_id": report_id}, user=user
            )
        access.audit_read(conn, user, f"report:{agency}/{report_id}", reason.strip() or None)
        (entry,) = report_entries(conn, [row.pk])
        proposal = conn.execute(
            select(recording_proposals.c.proposal, recording_proposals.c.deadline).where(
                recording_proposals.c.report_pk == row.pk
            )
        ).first()
        _total, report_actions = list_actions(conn, about=f"report:{agency}/{report_id}")
        context = {
            "r": entry,
            "proposal": proposal.proposal if proposal else None,
            "deadline": proposal.deadline if proposal else None,
            "actions": report_actions,
            "outcome": outcome(conn, row.pk),
            "feedback": conn.execute(
                select(referral_feedback)
                .where(referral_feedback.c.report_pk == row.pk)
                .order_by(referral_feedback.c.pk)
            ).all(),
            "roles": PERSON_ROLES,
            "source": f"report:{agency}/{report_id}",
        }
    return render(request, "report.html", context, user=user)


@pages.post("/reports/{agency}/{report_id}/corrections", "report.read")
def correct_extraction(
    request: Request,
    user: Viewer,
    agency: str,
    report_id: str,
    mention_id: Annotated[str, Form(max_length=200)],
    correction: Annotated[str, Form()],
    role: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    """Records a correction of what extraction read (a decision: the stages
    that read the report take it into account on their next run)."""
    if correction not in CORRECTIONS or (correction == "role" and role not in PERSON_ROLES):
        raise HTTPException(status_code=422, detail="choose a correction (and a role)")
    if not mention_id.startswith(f"{agency}/{report_id}#"):
        raise HTTPException(status_code=422, detail="that span is not in this report")
    now = clock.now()
    subject = f"report:{agency}/{report_id}"
    payload = {
        "mention_id": mention_id,
        "correction": correction,
        "role": role or None,
        "note": note.strip() or None,
    }
    with engine_of(request).begin() as conn:
        visible_report(conn, user, agency, report_id)
        inserted = conn.execute(
            decisions.insert().values(
                kind=DecisionKind.CORRECT_EXTRACTION.value,
                subject=subject,
                actor=access.actor(user),
                made_at=now,
                payload=payload,
            )
        ).inserted_primary_key
        pk = int(inserted[0]) if inserted else None
        audit.append(
            conn,
            [
                audit.Entry(
                    access.actor(user),
                    "decision.correct-extraction",
                    subject,
                    {"decision_id": pk, **payload},
                )
            ],
            at=now,
        )
    target = report_back(back) if back else f"/reports/{agency}/{report_id}"
    return RedirectResponse(f"{target}?corrected={mention_id}", status_code=303)


@pages.post("/reports/{agency}/{report_id}/feedback", "feedback.write")
def tell_referrer(
    request: Request,
    user: Viewer,
    agency: str,
    report_id: str,
    message: Annotated[str, Form(min_length=1, max_length=5000)],
) -> Response:
    """Writes a message the sending agency will see with its report's outcome."""
    with engine_of(request).begin() as conn:
        row = visible_report(conn, user, agency, report_id)
        write_feedback(conn, row.pk, message, actor=access.actor(user))
    return RedirectResponse(f"/reports/{agency}/{report_id}?told=1", status_code=303)
