"""Crime-recording decisions: what a person decides about a report. Facts, kept
in the ``decisions`` table and never changed; each write is also appended to
the audit log. A later decision supersedes an earlier one: a recorded crime is
removed only by a cancellation with additional verifiable information and a
supervisor's authority."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from lantern import clock
from lantern.domain import Decision, DecisionKind
from lantern.recording.catalogue import load
from lantern.store import audit
from lantern.store.schema import decisions, reports

RECORDING_KINDS = (DecisionKind.RECORD_CRIME, DecisionKind.NO_CRIME, DecisionKind.CANCEL_CRIME)


class DecisionRefused(ValueError):
    """A decision that the Counting Rules do not allow as given."""


def report_subject(agency: str, report_id: str) -> str:
    return f"report:{agency}/{report_id}"


def _require_report(conn: Connection, agency: str, report_id: str) -> None:
    found = conn.execute(
        select(reports.c.pk).where(reports.c.agency == agency, reports.c.report_id == report_id)
    ).scalar()
    if found is None:
        raise DecisionRefused(f"no report {agency}/{report_id}")


def write(conn: Connection, decision: Decision) -> Decision:
    """Stores a decision and appends it to the audit log, in the caller's transaction."""
    inserted = conn.execute(
        decisions.insert().values(
            kind=decision.kind.value,
            subject=decision.subject,
            actor=decision.actor,
            made_at=decision.made_at,
            payload=decision.payload,
        )
    ).inserted_primary_key
    assert inserted is not None
    pk = inserted[0]
    audit.append(
        conn,
        [
            audit.Entry(
                decision.actor,
                f"decision.{decision.kind.value}",
                decision.subject,
                {"decision_id": int(pk), **decision.payload},
                reason=decision.payload.get("reason"),
            )
        ],
        at=decision.made_at,
    )
    return Decision(
        decision.kind, decision.subject, decision.actor, decision.made_at, decision.payload, int(pk)
    )


def record_crime(
    conn: Connection,
    *,
    agency: str,
    report_id: str,
    actor: str,
    crime_reference: str,
    offences: list[str],
    victim: str | None = None,
    at: datetime | None = None,
) -> Decision:
    """Records a crime with its crime reference. ``offences`` are catalogue
    ids, Acts and sections, or classification codes."""
    _require_report(conn, agency, report_id)
    if not crime_reference.strip():
        raise DecisionRefused("a recorded crime needs a crime reference")
    if not offences:
        raise DecisionRefused("a recorded crime needs its offence")
    catalogue = load()
    resolved = []
    for key in offences:
        offence = catalogue.find(key)
        if offence is None:
            raise DecisionRefused(f"{key!r} is not an offence in the catalogue")
        resolved.append(offence.id)
    subject = report_subject(agency, report_id)
    state = recording_state(decisions_for(conn, [subject]).get(subject, []))
    if crime_reference in state.crime_references:
        raise DecisionRefused(f"crime {crime_reference} is already recorded")
    payload = {"crime_reference": crime_reference.strip(), "offences": resolved, "victim": victim}
    return write(
        conn,
        Decision(DecisionKind.RECORD_CRIME, subject, actor, at or clock.now(), payload),
    )


def record_no_crime(
    conn: Connection,
    *,
    agency: str,
    report_id: str,
    actor: str,
    reason: str,
    notes: str | None = None,
    at: datetime | None = None,
) -> Decision:
    """Decides that the report is not a crime (kept as an incident), for a
    Counting Rules reason. Refused where a crime is already recorded: that
    needs a cancellation."""
    _require_report(conn, agency, report_id)
    catalogue = load()
    if reason not in catalogue.no_crime_reasons:
        raise DecisionRefused(
            f"{reason!r} is not a Counting Rules reason; one of: "
            + ", ".join(catalogue.no_crime_reasons)
        )
    subject = report_subject(agency, report_id)
    state = recording_state(decisions_for(conn, [subject]).get(subject, []))
    if state.crime_references:
        raise DecisionRefused("a crime is recorded for this report: cancel it instead")
    payload = {"reason": reason, "notes": notes}
    return write(conn, Decision(DecisionKind.NO_CRIME, subject, actor, at or clock.now(), payload))


def cancel_crime(
    conn: Connection,
    *,
    agency: str,
    report_id: str,
    actor: str,
    crime_reference: str,
    reason: str,
    verifiable_information: str,
    authorised_by: str,
    at: datetime | None = None,
) -> Decision:
    """Cancels a recorded crime: needs a cancellation reason, the additional
    verifiable information, and the supervisor who authorised it."""
    catalogue = load()
    if reason not in catalogue.cancellation_reasons:
        raise DecisionRefused(
            f"{reason!r} is not a cancellation reason; one of: "
            + ", ".join(catalogue.cancellation_reasons)
        )
    if not verifiable_information.strip():
        raise DecisionRefused("a cancellation needs the additional verifiable information")
    if not authorised_by.strip():
        raise DecisionRefused("a cancellation needs a supervisor's authority")
    subject = report_subject(agency, report_id)
    state = recording_state(decisions_for(conn, [subject]).get(subject, []))
    if crime_reference not in state.crime_references:
        raise DecisionRefused(f"no recorded crime {crime_reference} for {agency}/{report_id}")
    payload = {
        "crime_reference": crime_reference,
        "reason": reason,
        "verifiable_information": verifiable_information.strip(),
        "authorised_by": authorised_by.strip(),
    }
    return write(
        conn, Decision(DecisionKind.CANCEL_CRIME, subject, actor, at or clock.now(), payload)
    )


def decisions_for(
    conn: Connection, subjects: Iterable[str] | None = None, *, until: datetime | None = None
) -> dict[str, list[Decision]]:
    """Recording decisions by subject, oldest first (those made by ``until``)."""
    query = (
        select(decisions)
        .where(decisions.c.kind.in_([k.value for k in RECORDING_KINDS]))
        .order_by(decisions.c.made_at, decisions.c.pk)
    )
    if until is not None:
        query = query.where(decisions.c.made_at <= until)
    wanted = None if subjects is None else list(subjects)
    out: dict[str, list[Decision]] = defaultdict(list)
    chunks = [None] if wanted is None else [wanted[i : i + 900] for i in range(0, len(wanted), 900)]
    for chunk in chunks:
        q = query if chunk is None else query.where(decisions.c.subject.in_(chunk))
        for row in conn.execute(q):
            out[row.subject].append(
                Decision(
                    DecisionKind(row.kind), row.subject, row.actor, row.made_at, row.payload, row.pk
                )
            )
    return dict(out)


@dataclass(frozen=True, slots=True)
class RecordingState:
    """Where a report stands: ``crime``, ``no-crime`` or ``pending``."""

    decision: str
    offences: list[str] = field(default_factory=list)  # catalogue ids of live crimes
    crime_references: list[str] = field(default_factory=list)
    decided_at: datetime | None = None  # the decision that set the current state
    decided_by: str | None = None
    first_decided_at: datetime | None = None  # the first recording decision (24 h rule)
    first_decided_by: str | None = None
    cancelled: list[dict[str, Any]] = field(default_factory=list)


def recording_state(history: list[Decision]) -> RecordingState:
    """The current state from a report's recording decisions, oldest first."""
    if not history:
        return RecordingState("pending")
    live: dict[str, Decision] = {}
    cancelled: list[dict[str, Any]] = []
    last: Decision = history[0]
    for decision in history:
        ref = str(decision.payload.get("crime_reference"))
        if decision.kind == DecisionKind.RECORD_CRIME:
            live[ref] = decision
        elif decision.kind == DecisionKind.CANCEL_CRIME and ref in live:
            del live[ref]
            cancelled.append(dict(decision.payload, cancelled_by=decision.actor))
        last = decision
    first = history[0]
    if live:
        latest = max(live.values(), key=lambda d: d.made_at)
        return RecordingState(
            "crime",
            offences=[o for d in live.values() for o in d.payload.get("offences", [])],
            crime_references=list(live),
            decided_at=latest.made_at,
            decided_by=latest.actor,
            first_decided_at=first.made_at,
            first_decided_by=first.actor,
            cancelled=cancelled,
        )
    return RecordingState(
        "no-crime",
        decided_at=last.made_at,
        decided_by=last.actor,
        first_decided_at=first.made_at,
        first_decided_by=first.actor,
        cancelled=cancelled,
    )
