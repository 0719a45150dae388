"""The recording stage of ``lantern analyse``: proposes the crimes each report's
disclosures amount to (for every extraction that changed), then holds the
force to the 24-hour rule: a report with a proposed crime and no recording
decision 24 hours after the police received it raises an alert
(``recording-deadline-breached``) and an action for a person to decide."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, select

from lantern import clock
from lantern.domain import Report
from lantern.recording import alerts as alert_store
from lantern.recording.deadline import clock_starts_at, deadline
from lantern.recording.decisions import decisions_for, recording_state, report_subject
from lantern.recording.rules import propose
from lantern.store.findings.extraction import extractions, iter_extractions
from lantern.store.findings.recording import recording_proposals
from lantern.store.reports import report_from_body
from lantern.store.schema import report_revisions, reports

BATCH = 500
KIND = "recording-deadline-breached"
STAGE = "recording"


def _reports_by_pk(conn: Connection, pks: list[int]) -> dict[int, Report]:
    out: dict[int, Report] = {}
    for i in range(0, len(pks), 900):
        rows = conn.execute(
            select(reports.c.pk, report_revisions.c.body)
            .join(
                report_revisions,
                (report_revisions.c.report_pk == reports.c.pk)
                & (report_revisions.c.revision == reports.c.revisions),
            )
            .where(reports.c.pk.in_(pks[i : i + 900]))
        )
        for pk, body in rows:
            out[pk] = report_from_body(body)
    return out


def _proposal_rows(conn: Connection, pks: list[int]) -> list[dict[str, Any]]:
    found = _reports_by_pk(conn, pks)
    rows = []
    for pk, extraction in iter_extractions(conn, pks):
        report = found.get(pk)
        if report is None:
            continue
        proposal = propose(extraction, received_at=report.received_at, narrative=report.narrative)
        rows.append(
            {
                "report_pk": pk,
                "agency": report.agency,
                "report_id": report.id,
                "revision": extraction.revision,
                "extractor": extraction.extractor,
                "agency_type": report.agency_type,
                "channel": report.channel,
                "received_at": report.received_at,
                "clock_starts_at": clock_starts_at(report),
                "deadline": deadline(report),
                "has_crime": bool(proposal.crimes),
                "proposal": proposal.to_dict(),
            }
        )
    return rows


def _update_proposals(engine: Engine, full: bool) -> tuple[int, int]:
    with engine.connect() as conn:
        done = {
            pk: (rev, ex)
            for pk, rev, ex in conn.execute(
                select(
                    recording_proposals.c.report_pk,
                    recording_proposals.c.revision,
                    recording_proposals.c.extractor,
                )
            )
        }
        current = {
            pk: (rev, ex)
            for pk, rev, ex in conn.execute(
                select(extractions.c.report_pk, extractions.c.revision, extractions.c.extractor)
            )
        }
    todo = sorted(pk for pk, version in current.items() if full or done.get(pk) != version)
    crimes = 0
    for i in range(0, len(todo), BATCH):
        chunk = todo[i : i + BATCH]
        with engine.begin() as conn:
            rows = _proposal_rows(conn, chunk)
            conn.execute(
                delete(recording_proposals).where(recording_proposals.c.report_pk.in_(chunk))
            )
            if rows:
                conn.execute(recording_proposals.insert(), rows)
        crimes += sum(1 for r in rows if r["has_crime"])
    return len(todo), crimes


def _breach_reasons(row: Any, decided_at: datetime | None) -> list[str]:
    offences = [c["offence"]["act_section"] for c in row.proposal["crimes"]]
    reasons = [
        f"received by the police {row.clock_starts_at.isoformat()}; "
        f"recording decision due by {row.deadline.isoformat()}",
        "proposed: " + "; ".join(offences),
    ]
    reasons.append(
        f"decided late, at {decided_at.isoformat()}" if decided_at else "no recording decision yet"
    )
    return reasons


def _subjects(row: Any) -> list[str]:
    """The report (``agency/report_id``) and the victims' mentions."""
    victims = [c["victim"] for c in row.proposal["crimes"] if c.get("victim")]
    return [f"{row.agency}/{row.report_id}", *dict.fromkeys(victims)]


def check_deadlines(conn: Connection, now: datetime) -> tuple[int, int]:
    """Raises an alert (and an action) for each report with a proposed crime
    undecided at its deadline; closes alerts whose report has since been
    decided. Returns (raised, closed)."""
    due = conn.execute(
        select(recording_proposals).where(
            recording_proposals.c.has_crime.is_(True), recording_proposals.c.deadline <= now
        )
    ).all()
    known = alert_store.statuses(conn, KIND)
    history = decisions_for(conn, [report_subject(r.agency, r.report_id) for r in due], until=now)
    raised = closed = 0
    for row in due:
        report_key = f"{row.agency}/{row.report_id}"
        alert_id = alert_store.key(KIND, [report_key])
        state = recording_state(history.get(report_subject(row.agency, row.report_id), []))
        decided = state.first_decided_at
        if decided is not None and decided <= row.deadline:
            continue
        status = "closed" if decided is not None else "open"
        if alert_id in known:
            if known[alert_id] == "open" and status == "closed":
                alert_store.set_status(conn, alert_id, "closed", _breach_reasons(row, decided))
                closed += 1
            continue
        action_id = None
        if status == "open":
            action_id = _raise_action(conn, alert_id, row, now)
        alert_store.add(
            conn,
            alert_id=alert_id,
            kind=KIND,
            stage=STAGE,
            raised_at=row.deadline,
            subjects=_subjects(row),
            reasons=_breach_reasons(row, decided),
            reports=[report_key],
            status=status,
            action_id=action_id,
        )
        raised += 1
    return raised, closed


def _raise_action(conn: Connection, alert_id: str, row: Any, now: datetime) -> int:
    from lantern.tasking.actions import raise_action

    return raise_action(
        conn,
        title=f"Make the crime-recording decision for {row.agency}/{row.report_id} "
        "(24-hour deadline passed)",
        source=f"alert:{alert_id}",
        actor="system",
        priority="high",
        due=now + timedelta(hours=24),
        detail={"alert_id": alert_id},
    )


def run(engine: Engine, *, full: bool = False) -> str:
    now = clock.now()
    read, crimes = _update_proposals(engine, full)
    with engine.begin() as conn:
        raised, closed = check_deadlines(conn, now)
    return (
        f"{read} reports assessed, {crimes} with a crime to record; "
        f"{raised} deadline alerts raised, {closed} closed"
    )


def proposals(conn: Connection, report_pks: Iterable[int] | None = None) -> list[Any]:
    """Stored proposal rows (all, or for some reports)."""
    query = select(recording_proposals).order_by(recording_proposals.c.received_at)
    if report_pks is not None:
        query = query.where(recording_proposals.c.report_pk.in_(list(report_pks)))
    return list(conn.execute(query))
