"""Feedback to the agency that sent a report: its status and outcome, in the
words that agency is entitled to see. A referrer is told whether the report
was received, is being acted on, what the recording decision was, whether the
actions arising from it are complete, and any message written for them; never
the titles, owners or results of police actions, nor anything from other
agencies' reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from lantern import clock
from lantern.store import audit
from lantern.store.schema import actions, decisions, reports
from lantern.store.security_schema import referral_feedback
from lantern.tasking.actions import OPEN

# Recording decisions, in the words a referring agency sees.
DECISION_WORDS = {
    "record-crime": "A crime has been recorded.",
    "crime": "A crime has been recorded.",
    "no-crime": "After assessment, no crime has been recorded.",
}


def write_feedback(conn: Connection, report_pk: int, message: str, *, actor: str) -> int:
    """Writes a message for the agency that sent the report."""
    if not message.strip():
        raise ValueError("feedback needs a message")
    now = clock.now()
    pk = conn.execute(
        referral_feedback.insert().values(report_pk=report_pk, at=now, by=actor, message=message)
    ).inserted_primary_key[0]  # type: ignore[index]
    audit.append(
        conn, [audit.Entry(actor, "feedback.written", f"report-pk:{report_pk}", {})], at=now
    )
    return int(pk)


def outcome(conn: Connection, report_pk: int) -> dict[str, Any]:
    """The status and outcome of one report as its sender may see them."""
    report = conn.execute(select(reports).where(reports.c.pk == report_pk)).one()
    subject = f"report:{report.agency}/{report.report_id}"
    decision_rows = conn.execute(
        select(decisions.c.kind, decisions.c.made_at)
        .where(decisions.c.subject == subject)
        .order_by(decisions.c.made_at)
    ).all()
    action_rows = conn.execute(select(actions.c.status).where(actions.c.source == subject)).all()
    messages = conn.execute(
        select(referral_feedback.c.at, referral_feedback.c.message)
        .where(referral_feedback.c.report_pk == report_pk)
        .order_by(referral_feedback.c.pk)
    ).all()
    recording = next(
        (DECISION_WORDS[row.kind] for row in reversed(decision_rows) if row.kind in DECISION_WORDS),
        None,
    )
    open_actions = sum(1 for row in action_rows if row.status in OPEN)
    if open_actions:
        status = "being acted on"
    elif action_rows:
        status = "actions complete"
    elif recording or messages:
        status = "assessed"
    else:
        status = "received"
    return {
        "agency": report.agency,
        "report_id": report.report_id,
        "received_at": report.received_at,
        "status": status,
        "recording": recording,
        "actions": {"open": open_actions, "complete": len(action_rows) - open_actions},
        "messages": [{"at": _iso(m.at), "message": m.message} for m in messages],
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat()
