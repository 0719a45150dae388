"""Survival-crime review: a person known as a victim or child at risk, later
recorded as a suspect, raises an alert for a supervisor with the history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from lantern import clock
from lantern.domain import PersonMention, Span
from lantern.recording.decisions import DecisionRefused
from lantern.store.findings.resolution import entity_mentions
from lantern.store.schema import actions
from lantern.victimfirst import export, stage
from lantern.victimfirst.review import record_review
from tests.recording_support import store_report

FIRST = datetime(2009, 2, 1, 10, tzinfo=UTC)


def subject(
    mid: str,
    role: str,
    name: str = "Amy Smith",
    dob: date | None = date(1995, 4, 2),
    age: int | None = None,
) -> PersonMention:
    return PersonMention(
        mid, name, Span(0, 0, "subjects[0]"), role=role, name=name, dob=dob, age=age
    )


def _run(engine: Engine, at: datetime) -> str:
    with clock.frozen_at(at):
        return stage.run(engine)


def _alerts(engine: Engine) -> list[dict]:
    return export.alerts(engine, FIRST + timedelta(days=3650))


def test_a_known_victim_recorded_as_a_suspect_raises_a_review_with_history(
    sqlite_engine: Engine,
) -> None:
    store_report(sqlite_engine, "MFH-1", FIRST, people=[subject("syp/MFH-1#sp0", "missing-person")])
    store_report(
        sqlite_engine,
        "INC-2",
        FIRST + timedelta(days=30),
        people=[subject("syp/INC-2#sp0", "victim")],
    )
    store_report(
        sqlite_engine,
        "INC-3",
        FIRST + timedelta(days=90),
        narrative="Criminal damage at a flat.",
        people=[subject("syp/INC-3#sp0", "suspect")],
    )
    assert "1 survival-crime reviews raised" in _run(sqlite_engine, FIRST + timedelta(days=91))
    (alert,) = _alerts(sqlite_engine)
    assert alert["kind"] == "survival-crime-review"
    assert alert["status"] == "open"
    assert [(h["report_id"], h["role"]) for h in alert["history"]] == [
        ("MFH-1", "missing-person"),
        ("INC-2", "victim"),
    ]
    assert alert["reports"][0] == "syp/INC-3"
    assert "syp/INC-3" in alert["subjects"]
    with sqlite_engine.connect() as conn:
        action = conn.execute(select(actions)).one()
    assert action.source == f"alert:{alert['alert_id']}"
    assert action.priority == "high"


def test_a_different_person_with_the_same_name_raises_nothing(sqlite_engine: Engine) -> None:
    store_report(sqlite_engine, "INC-1", FIRST, people=[subject("syp/INC-1#sp0", "victim")])
    store_report(
        sqlite_engine,
        "INC-2",
        FIRST + timedelta(days=5),
        people=[subject("syp/INC-2#sp0", "suspect", dob=date(1970, 1, 1))],
    )
    _run(sqlite_engine, FIRST + timedelta(days=6))
    assert _alerts(sqlite_engine) == []


def test_without_a_date_of_birth_ages_a_year_apart_match(sqlite_engine: Engine) -> None:
    store_report(
        sqlite_engine,
        "INC-1",
        FIRST,
        people=[subject("syp/INC-1#sp0", "person-at-risk", dob=None, age=14)],
    )
    store_report(
        sqlite_engine,
        "INC-2",
        FIRST + timedelta(days=400),
        people=[subject("syp/INC-2#sp0", "suspect", dob=None, age=15)],
    )
    _run(sqlite_engine, FIRST + timedelta(days=401))
    assert len(_alerts(sqlite_engine)) == 1


def test_an_adult_victim_of_an_assault_later_a_suspect_is_not_a_survival_case(
    sqlite_engine: Engine,
) -> None:
    # the man a child hit while escaping him is the "victim" of her assault
    man = subject("syp/INC-1#sp1", "victim", name="Kevin Sutcliffe", dob=date(1966, 1, 1))
    store_report(sqlite_engine, "INC-1", FIRST, people=[man])
    store_report(
        sqlite_engine,
        "INC-2",
        FIRST + timedelta(days=5),
        people=[subject("syp/INC-2#sp0", "suspect", name="Kevin Sutcliffe", dob=date(1966, 1, 1))],
    )
    _run(sqlite_engine, FIRST + timedelta(days=6))
    assert _alerts(sqlite_engine) == []


def test_one_review_per_person_per_report(sqlite_engine: Engine) -> None:
    store_report(sqlite_engine, "INC-1", FIRST, people=[subject("syp/INC-1#sp0", "victim")])
    store_report(
        sqlite_engine,
        "INC-2",
        FIRST + timedelta(days=5),
        people=[subject("syp/INC-2#sp0", "suspect"), subject("syp/INC-2#sp1", "suspect")],
    )
    _run(sqlite_engine, FIRST + timedelta(days=6))
    assert len(_alerts(sqlite_engine)) == 1


def test_a_suspect_who_becomes_a_victim_later_is_not_a_survival_case(sqlite_engine: Engine) -> None:
    store_report(sqlite_engine, "INC-1", FIRST, people=[subject("syp/INC-1#sp0", "suspect")])
    store_report(
        sqlite_engine,
        "INC-2",
        FIRST + timedelta(days=5),
        people=[subject("syp/INC-2#sp0", "victim")],
    )
    _run(sqlite_engine, FIRST + timedelta(days=6))
    assert _alerts(sqlite_engine) == []


def test_resolved_entities_join_a_victim_and_a_suspect_written_differently(
    sqlite_engine: Engine,
) -> None:
    victim = subject("syp/INC-1#sp0", "victim", name="Amy Smith")
    suspect = subject("syp/INC-2#sp0", "suspect", name="Aimee Smyth", dob=None)
    pk1 = store_report(sqlite_engine, "INC-1", FIRST, people=[victim])
    pk2 = store_report(sqlite_engine, "INC-2", FIRST + timedelta(days=9), people=[suspect])
    with sqlite_engine.begin() as conn:
        for mention, pk, role, at in (
            (victim, pk1, "victim", FIRST),
            (suspect, pk2, "suspect", FIRST + timedelta(days=9)),
        ):
            conn.execute(
                entity_mentions.insert().values(
                    mention_id=mention.mention_id,
                    entity_id="person:amy",
                    kind="person",
                    report_pk=pk,
                    agency="syp",
                    report_id=f"INC-{pk}",
                    received_at=at,
                    role=role,
                    text=mention.text,
                    reasons=[],
                )
            )
    _run(sqlite_engine, FIRST + timedelta(days=10))
    (alert,) = _alerts(sqlite_engine)
    assert alert["subjects"][0] == "person:amy"


def test_a_supervisors_review_closes_the_alert(sqlite_engine: Engine) -> None:
    store_report(sqlite_engine, "INC-1", FIRST, people=[subject("syp/INC-1#sp0", "victim")])
    store_report(
        sqlite_engine,
        "INC-2",
        FIRST + timedelta(days=5),
        people=[subject("syp/INC-2#sp0", "suspect")],
    )
    _run(sqlite_engine, FIRST + timedelta(days=6))
    (alert,) = _alerts(sqlite_engine)
    with sqlite_engine.begin() as conn, pytest.raises(DecisionRefused):
        record_review(
            conn, alert_id=alert["alert_id"], actor="insp.khan", outcome="treat-as-victim", notes=""
        )
    with sqlite_engine.begin() as conn:
        record_review(
            conn,
            alert_id=alert["alert_id"],
            actor="insp.khan",
            outcome="treat-as-victim",
            notes="Damage was to the abuser's flat while escaping; no further action.",
        )
    _run(sqlite_engine, FIRST + timedelta(days=7))
    (alert,) = _alerts(sqlite_engine)
    assert alert["status"] == "reviewed"
