"""Reports through the API: intake (validated exactly as ``lantern ingest``
validates a line), reading one report (audited; a reason for a restricted
one), lists, sharing back to a partner, a handling condition, and the
feedback loop to the sending agency."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from pydantic import BaseModel
from sqlalchemy import Text, and_, cast, func, select

from lantern.auth.access import is_restricted, record_condition, report_visibility, share_report
from lantern.auth.accounts import User
from lantern.intake.ingest import store_reports
from lantern.intake.validate import Invalid, validate
from lantern.store import reports as report_store
from lantern.store.schema import report_revisions, reports
from lantern.store.security_schema import agencies
from lantern.tasking import feedback
from lantern.tasking.actions import raise_action
from lantern.web.api.common import (
    NO_NUL,
    AgencyPath,
    Limit,
    LongText,
    Moment,
    Offset,
    Reason,
    ReportIdPath,
    SearchText,
    ShortText,
    like_pattern,
    page,
    reason_needed,
    visible_report,
)
from lantern.web.security import audit_read, engine_of, queued, require_permission, store

router = APIRouter()
MAX_BATCH = 1000

ACCESS = {
    ("POST", "/api/reports"): "report.submit",
    ("GET", "/api/reports"): "report.read",
    ("GET", "/api/reports/{agency}/{report_id}"): "report.read",
    ("POST", "/api/reports/{agency}/{report_id}/share"): "report.share",
    ("POST", "/api/reports/{agency}/{report_id}/condition"): "report.share",
    ("POST", "/api/reports/{agency}/{report_id}/actions"): "action.raise",
    ("GET", "/api/reports/{agency}/{report_id}/feedback"): "feedback.read",
    ("POST", "/api/reports/{agency}/{report_id}/feedback"): "feedback.write",
    ("GET", "/api/feedback"): "feedback.read",
}


class Share(BaseModel):
    agency: ShortText
    reason: LongText


class Condition(BaseModel):
    condition: LongText


class FromReport(BaseModel):
    title: LongText
    priority: ShortText = "medium"
    due: Moment | None = None


class Message(BaseModel):
    message: LongText


@router.post("/reports", status_code=201)
def submit_reports(
    body: Annotated[Any, Body(description="One report (interchange format) or a list of them.")],
    request: Request,
    user: User = Depends(require_permission("report.submit")),
) -> dict[str, Any]:
    """Take one report, or a list of up to 1,000, as ``lantern ingest`` does.
    A partner (non-host) user sends reports of its own agency only."""
    items = body if isinstance(body, list) else [body]
    if not items or len(items) > MAX_BATCH:
        raise HTTPException(422, f"send between 1 and {MAX_BATCH} reports")
    valid, rejected = [], []
    for index, item in enumerate(items):
        try:
            report = validate(item)
        except Invalid as exc:
            rejected.append({"index": index, "problems": exc.problems})
            continue
        if not user.host and report.agency != user.agency:
            rejected.append(
                {"index": index, "problems": [f"agency: you send reports as {user.agency!r}"]}
            )
            continue
        valid.append(report)
    if rejected and not isinstance(body, list):
        raise HTTPException(422, {"rejected": rejected})
    engine = engine_of(request)
    with queued(engine):
        outcomes = store_reports(engine, valid, actor=user.actor) if valid else []
    results = [
        {"agency": report.agency, "id": report.id, "outcome": outcome.value}
        for report, outcome in zip(valid, outcomes, strict=True)
    ]
    restricted = [
        report
        for report, outcome in zip(valid, outcomes, strict=True)
        if report.handling == "C" and outcome.value != "unchanged"
    ]
    if not restricted:
        return {"stored": results, "rejected": rejected}
    with store(request) as conn:
        for report in restricted:
            pk = conn.execute(
                select(reports.c.pk).where(
                    reports.c.agency == report.agency, reports.c.report_id == report.id
                )
            ).scalar_one()
            record_condition(conn, pk, report.grading.conditions, actor=user.actor)  # type: ignore[union-attr]
    return {"stored": results, "rejected": rejected}


@router.get("/reports")
def list_reports(
    request: Request,
    user: User = Depends(require_permission("report.read")),
    agency: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
    q: SearchText | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The reports you may see, newest first; ``q`` searches their text."""
    where = [report_visibility(user)]
    if agency:
        where.append(reports.c.agency == agency)
    query = select(reports)
    if q:
        query = query.join(
            report_revisions,
            and_(
                report_revisions.c.report_pk == reports.c.pk,
                report_revisions.c.revision == reports.c.revisions,
            ),
        )
        where.append(
            func.lower(cast(report_revisions.c.body, Text)).like(like_pattern(q), escape="\\")
        )
    with store(request) as conn:
        total = conn.execute(
            select(func.count()).select_from(query.where(*where).subquery())
        ).scalar_one()
        rows = conn.execute(
            query.where(*where)
            .order_by(reports.c.received_at.desc(), reports.c.pk.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        if q:
            audit_read(conn, user, "search:reports", detail={"q": q, "results": len(rows)})
    items = [
        {
            "agency": r.agency,
            "id": r.report_id,
            "received_at": r.received_at,
            "channel": r.channel,
            "handling": r.handling,
            "revisions": r.revisions,
        }
        for r in rows
    ]
    return page(total, items, limit, offset)


@router.get("/reports/{agency}/{report_id}")
def read_report(
    agency: AgencyPath,
    report_id: ReportIdPath,
    request: Request,
    reason: Reason = None,
    user: User = Depends(require_permission("report.read")),
) -> dict[str, Any]:
    """One report as sent (the narrative exactly as written). Opening a
    handling-code C report needs a reason. Every read is audited."""
    with store(request) as conn:
        row = visible_report(conn, user, agency, report_id)
        if is_restricted(row):
            reason = reason_needed(reason)
        stored = report_store.get(conn, agency, report_id)
        audit_read(conn, user, f"report:{agency}/{report_id}", reason, {"revision": row.revisions})
    assert stored is not None
    return {
        "agency": agency,
        "id": report_id,
        "handling": row.handling,
        "revision": stored.revision,
        "received_at": row.received_at,
        "report": stored.report.body,
    }


@router.post("/reports/{agency}/{report_id}/share", status_code=201)
def share(
    agency: AgencyPath,
    report_id: ReportIdPath,
    body: Share,
    request: Request,
    user: User = Depends(require_permission("report.share")),
) -> dict[str, Any]:
    """Share a report back to a partner agency, which will then see it."""
    with store(request) as conn:
        row = visible_report(conn, user, agency, report_id)
        if (
            conn.execute(select(agencies.c.code).where(agencies.c.code == body.agency)).first()
            is None
        ):
            raise HTTPException(422, f"no agency {body.agency!r}")
        shared = share_report(conn, row.pk, body.agency, actor=user.actor, reason=body.reason)
    return {"shared": shared, "agency": body.agency}


@router.post("/reports/{agency}/{report_id}/condition", status_code=201)
def set_condition(
    agency: AgencyPath,
    report_id: ReportIdPath,
    body: Condition,
    request: Request,
    user: User = Depends(require_permission("report.share")),
) -> dict[str, Any]:
    """Record (or correct) a handling-code C report's condition."""
    with store(request) as conn:
        row = visible_report(conn, user, agency, report_id)
        if not is_restricted(row):
            raise HTTPException(422, "only a handling-code C report carries a condition")
        record_condition(conn, row.pk, body.condition, actor=user.actor)
    return {"recorded": True}


@router.post("/reports/{agency}/{report_id}/actions", status_code=201)
def raise_from_report(
    agency: AgencyPath,
    report_id: ReportIdPath,
    body: FromReport,
    request: Request,
    user: User = Depends(require_permission("action.raise")),
) -> dict[str, Any]:
    """Raise an action from a report (an open one from it is returned instead)."""
    if body.priority not in ("high", "medium", "low"):
        raise HTTPException(422, "priority is high, medium or low")
    with store(request) as conn:
        visible_report(conn, user, agency, report_id)
        action_id = raise_action(
            conn,
            title=body.title,
            source=f"report:{agency}/{report_id}",
            actor=user.actor,
            priority=body.priority,
            due=body.due,
        )
    return {"action_id": action_id}


@router.get("/reports/{agency}/{report_id}/feedback")
def read_feedback(
    agency: AgencyPath,
    report_id: ReportIdPath,
    request: Request,
    user: User = Depends(require_permission("feedback.read")),
) -> dict[str, Any]:
    """The status and outcome of a report, as the agency that sent it may see them."""
    with store(request) as conn:
        row = _sender_view(conn, user, agency, report_id)
        audit_read(conn, user, f"feedback:{agency}/{report_id}")
        return feedback.outcome(conn, row.pk)


@router.post("/reports/{agency}/{report_id}/feedback", status_code=201)
def write_feedback(
    agency: AgencyPath,
    report_id: ReportIdPath,
    body: Message,
    request: Request,
    user: User = Depends(require_permission("feedback.write")),
) -> dict[str, Any]:
    """Write a message for the agency that sent the report."""
    with store(request) as conn:
        row = visible_report(conn, user, agency, report_id)
        feedback.write_feedback(conn, row.pk, body.message, actor=user.actor)
    return {"written": True}


@router.get("/feedback")
def my_referrals(
    request: Request,
    user: User = Depends(require_permission("feedback.read")),
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The reports your agency sent, newest first, with their status and outcome."""
    where = reports.c.agency == user.agency
    with store(request) as conn:
        total = conn.execute(select(func.count()).select_from(reports).where(where)).scalar_one()
        pks = (
            conn.execute(
                select(reports.c.pk)
                .where(where)
                .order_by(reports.c.received_at.desc(), reports.c.pk.desc())
                .limit(limit)
                .offset(offset)
            )
            .scalars()
            .all()
        )
        items = [feedback.outcome(conn, pk) for pk in pks]
        audit_read(conn, user, f"feedback:{user.agency}", detail={"reports": len(items)})
    return page(total, items, limit, offset)


def _sender_view(conn: Any, user: User, agency: str, report_id: str) -> Any:
    """The sending agency sees its own reports' outcome; host staff and
    auditors see any report's they may see."""
    row = visible_report(conn, user, agency, report_id)
    if row.agency != user.agency and not (user.host or user.role == "auditor"):
        raise HTTPException(status_code=404, detail="no such report, or not yours to see")
    return row
