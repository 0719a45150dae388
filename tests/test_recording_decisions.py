"""Recording decisions are facts: written to the decisions table and the audit
log; a crime is removed only by a cancellation with verifiable information and
a supervisor's authority."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from lantern.recording.decisions import (
    DecisionRefused,
    cancel_crime,
    decisions_for,
    record_crime,
    record_no_crime,
    recording_state,
    report_subject,
)
from lantern.store import audit
from lantern.store.schema import audit_log
from tests.recording_support import girl, store_report, touching

RECEIVED = datetime(2012, 3, 1, 20, 0, tzinfo=UTC)


def _state(engine: Engine, report_id: str):  # type: ignore[no-untyped-def]
    subject = report_subject("syp", report_id)
    with engine.connect() as conn:
        return recording_state(decisions_for(conn, [subject]).get(subject, []))


def test_recording_a_crime_is_a_decision_written_to_the_audit_log(engine: Engine) -> None:
    store_report(engine, "R1", RECEIVED, people=[girl("c1")], disclosures=[touching("c1")])
    with engine.begin() as conn:
        decision = record_crime(
            conn,
            agency="syp",
            report_id="R1",
            actor="ds.jones",
            crime_reference="CR/123/12",
            offences=["Sexual Offences Act 2003 s9"],
            at=RECEIVED + timedelta(hours=3),
        )
    state = _state(engine, "R1")
    assert (state.decision, state.offences, state.decided_by) == ("crime", ["soa-s9"], "ds.jones")
    with engine.connect() as conn:
        entry = conn.execute(
            select(audit_log).where(audit_log.c.action == "decision.record-crime")
        ).one()
        assert entry.target == "report:syp/R1"
        assert entry.detail["crime_reference"] == "CR/123/12"
        assert entry.detail["decision_id"] == decision.decision_id
        assert audit.verify(conn).ok


def test_an_offence_not_in_the_catalogue_is_refused(engine: Engine) -> None:
    store_report(engine, "R1", RECEIVED)
    with engine.begin() as conn, pytest.raises(DecisionRefused, match="not an offence"):
        record_crime(
            conn, agency="syp", report_id="R1", actor="a", crime_reference="CR1", offences=["s999"]
        )


def test_a_crime_needs_a_crime_reference(engine: Engine) -> None:
    store_report(engine, "R1", RECEIVED)
    with engine.begin() as conn, pytest.raises(DecisionRefused, match="crime reference"):
        record_crime(
            conn, agency="syp", report_id="R1", actor="a", crime_reference=" ", offences=["22B"]
        )


def test_no_crime_needs_a_counting_rules_reason(engine: Engine) -> None:
    store_report(engine, "R1", RECEIVED)
    with engine.begin() as conn, pytest.raises(DecisionRefused, match="Counting Rules reason"):
        record_no_crime(conn, agency="syp", report_id="R1", actor="a", reason="victim withdrew")
    with engine.begin() as conn:
        record_no_crime(
            conn, agency="syp", report_id="R1", actor="a", reason="no-notifiable-offence"
        )
    assert _state(engine, "R1").decision == "no-crime"


def test_no_crime_cannot_remove_a_recorded_crime(engine: Engine) -> None:
    store_report(engine, "R1", RECEIVED)
    with engine.begin() as conn:
        record_crime(
            conn,
            agency="syp",
            report_id="R1",
            actor="a",
            crime_reference="CR1",
            offences=["soa-s9"],
        )
    with engine.begin() as conn, pytest.raises(DecisionRefused, match="cancel it instead"):
        record_no_crime(
            conn, agency="syp", report_id="R1", actor="a", reason="no-notifiable-offence"
        )
    assert _state(engine, "R1").decision == "crime"


@pytest.mark.parametrize(
    ("information", "authorised_by", "message"),
    [(" ", "insp.khan", "verifiable information"), ("CCTV shows elsewhere", "", "supervisor")],
)
def test_cancellation_needs_verifiable_information_and_a_supervisor(
    engine: Engine, information: str, authorised_by: str, message: str
) -> None:
    store_report(engine, "R1", RECEIVED)
    with engine.begin() as conn:
        record_crime(
            conn,
            agency="syp",
            report_id="R1",
            actor="a",
            crime_reference="CR1",
            offences=["soa-s9"],
        )
    with engine.begin() as conn, pytest.raises(DecisionRefused, match=message):
        cancel_crime(
            conn,
            agency="syp",
            report_id="R1",
            actor="a",
            crime_reference="CR1",
            reason="did-not-happen",
            verifiable_information=information,
            authorised_by=authorised_by,
        )
    assert _state(engine, "R1").decision == "crime"


def test_a_cancellation_stores_its_reason_information_and_authority(engine: Engine) -> None:
    store_report(engine, "R1", RECEIVED)
    with engine.begin() as conn:
        record_crime(
            conn,
            agency="syp",
            report_id="R1",
            actor="dc.a",
            crime_reference="CR1",
            offences=["soa-s9"],
        )
        cancel_crime(
            conn,
            agency="syp",
            report_id="R1",
            actor="dc.a",
            crime_reference="CR1",
            reason="duplicate",
            verifiable_information="Same incident as CR/77/12 reported by the school",
            authorised_by="insp.khan",
        )
    state = _state(engine, "R1")
    assert state.decision == "no-crime"
    assert state.cancelled[0]["authorised_by"] == "insp.khan"
    assert state.cancelled[0]["verifiable_information"].startswith("Same incident")
    with engine.connect() as conn:
        assert audit.verify(conn).ok


def test_cancelling_a_crime_that_was_never_recorded_is_refused(engine: Engine) -> None:
    store_report(engine, "R1", RECEIVED)
    with engine.begin() as conn, pytest.raises(DecisionRefused, match="no recorded crime"):
        cancel_crime(
            conn,
            agency="syp",
            report_id="R1",
            actor="a",
            crime_reference="CR9",
            reason="duplicate",
            verifiable_information="x",
            authorised_by="insp",
        )
