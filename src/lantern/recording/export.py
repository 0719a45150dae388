"""The ``recording`` field of each report in the JSON export (interchange spec
section 2), and the recording alerts.

``decision`` is ``crime`` or ``no-crime`` only when a person decided so;
otherwise ``pending``. A pending report with a proposed crime lists the
proposed offences (one per proposed crime); a pending report with nothing to
record has no offences. So "Lantern says this must be recorded" is: decision
``crime``, or decision ``pending`` with offences.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from lantern.recording import alerts as alert_store
from lantern.recording.catalogue import load
from lantern.recording.deadline import RECORDING_WINDOW, within_24h
from lantern.recording.decisions import decisions_for, recording_state, report_subject
from lantern.store.findings.recording import recording_proposals
from lantern.store.schema import reports


def report_fields(engine: Engine, as_of: datetime) -> dict[tuple[str, str], dict[str, Any]]:
    catalogue = load()
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                reports.c.agency,
                reports.c.report_id,
                reports.c.received_at,
                recording_proposals.c.deadline,
                recording_proposals.c.proposal,
            )
            .select_from(reports)
            .outerjoin(recording_proposals, recording_proposals.c.report_pk == reports.c.pk)
            .where(reports.c.received_at <= as_of)
        ).all()
        history = decisions_for(conn, until=as_of)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        proposal = row.proposal or {"crimes": []}
        due = row.deadline or row.received_at + RECORDING_WINDOW
        state = recording_state(history.get(report_subject(row.agency, row.report_id), []))
        sexes = {c.get("victim_sex") for c in proposal["crimes"]}
        sex = next(iter(sexes)) if len(sexes) == 1 else None
        if state.decision == "crime":
            offences = [catalogue.offences[o].as_export(sex) for o in state.offences]
        elif state.decision == "pending":
            offences = [c["offence"] for c in proposal["crimes"]]
        else:
            offences = []
        in_time = (
            within_24h(state.first_decided_at, due, as_of)
            if state.decision != "pending" or offences
            else None
        )
        out[(row.agency, row.report_id)] = {
            "recording": {
                "decision": state.decision,
                "offences": offences,
                "decided_at": state.decided_at.isoformat() if state.decided_at else None,
                "within_24h": in_time,
            }
        }
    return out


def alerts(engine: Engine, as_of: datetime) -> list[dict[str, Any]]:
    """The recording stage's alerts in the export's alert shape."""
    return alert_store.of_stage(engine, "recording", as_of)
