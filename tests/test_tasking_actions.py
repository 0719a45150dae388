"""Actions from raising to review, escalation of overdue actions, the
supervisor's view, actions from alerts, and the export section."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from lantern import clock
from lantern.auth.demo import create_demo_users
from lantern.store.findings.network import alerts
from lantern.store.schema import action_events, audit_log, decisions
from lantern.tasking import actions, export, feedback, notify
from lantern.tasking.queries import list_actions
from lantern.tasking.stage import run as tasking_stage
from tests.security_support import report

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def test_an_action_goes_from_raised_to_reviewed_and_keeps_its_history(engine: Engine) -> None:
    with clock.frozen_at(T0), engine.begin() as conn:
        pk = actions.raise_action(
            conn, title="Visit the hotel", source="report:syp/R1", actor="ana"
        )
        with pytest.raises(actions.ActionError):
            actions.record_result(conn, pk, result="done", actor="ian")
        actions.allocate(conn, pk, owner="ian", actor="sam", due=T0 + timedelta(days=1))
        actions.record_result(conn, pk, result="Manager spoken to", actor="ian")
        actions.review(conn, pk, actor="sam", accepted=False, note="get the register")
        actions.record_result(conn, pk, result="Register seized", actor="ian")
        actions.review(conn, pk, actor="sam", accepted=True)
        found = actions.get_action(conn, pk)
        logged = (
            conn.execute(select(audit_log.c.action).where(audit_log.c.target == f"action:{pk}"))
            .scalars()
            .all()
        )
    assert found is not None
    assert found["status"] == "reviewed" and found["result"] == "Register seized"
    assert [h["event"] for h in found["history"]] == [
        "raised",
        "allocated",
        "resulted",
        "sent-back",
        "resulted",
        "reviewed",
    ]
    assert found["links"] == ["report:syp/R1"]
    assert logged == [
        "action.raised",
        "action.allocated",
        "action.resulted",
        "action.sent-back",
        "action.resulted",
        "action.reviewed",
    ]


def test_an_open_action_from_the_same_source_is_not_raised_twice(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn:
        first = actions.raise_action(conn, title="a", source="alert:7", actor="system")
        assert actions.raise_action(conn, title="b", source="alert:7", actor="system") == first
        actions.allocate(conn, first, owner="ian", actor="sam")
        actions.record_result(conn, first, result="done", actor="ian")
        assert actions.raise_action(conn, title="c", source="alert:7", actor="system") != first


def test_an_overdue_action_is_escalated_once_to_the_owners_supervisor(engine: Engine) -> None:
    create_demo_users(engine)
    with clock.frozen_at(T0), engine.begin() as conn:
        pk = actions.raise_action(
            conn,
            title="Trace the phone",
            source="manual",
            actor="sam.supervisor",
            owner="ian.investigator",
            due=T0 + timedelta(hours=8),
        )
    with clock.frozen_at(T0 + timedelta(hours=7)):
        assert "0 overdue" in tasking_stage(engine)
    with clock.frozen_at(T0 + timedelta(hours=9)):
        assert "1 overdue" in tasking_stage(engine)
        assert "0 overdue" in tasking_stage(engine)
    with engine.connect() as conn:
        told = notify.for_user(conn, "sam.supervisor")
        events = (
            conn.execute(select(action_events.c.event).where(action_events.c.action_pk == pk))
            .scalars()
            .all()
        )
    assert [(n["kind"], n["subject"]) for n in told] == [("overdue", f"action:{pk}")]
    assert events == ["raised", "escalated"]


def test_an_unowned_overdue_action_goes_to_every_supervisor(sqlite_engine: Engine) -> None:
    create_demo_users(sqlite_engine)
    from lantern.auth.accounts import add_user

    with sqlite_engine.begin() as conn:
        add_user(
            conn,
            username="sue.supervisor",
            password="a long test password",
            agency="syp",
            role="supervisor",
        )
    with clock.frozen_at(T0), sqlite_engine.begin() as conn:
        actions.raise_action(
            conn, title="Unowned", source="manual", actor="ana.analyst", due=T0 + timedelta(hours=1)
        )
    with clock.frozen_at(T0 + timedelta(hours=2)):
        tasking_stage(sqlite_engine)
    with sqlite_engine.connect() as conn:
        assert len(notify.for_user(conn, "sam.supervisor")) == 1
        assert len(notify.for_user(conn, "sue.supervisor")) == 1
        assert notify.for_user(conn, "ian.investigator") == []


def test_the_supervisor_sees_everything_overdue_or_unowned(engine: Engine) -> None:
    with clock.frozen_at(T0), engine.begin() as conn:
        unowned = actions.raise_action(conn, title="u", source="manual", actor="a")
        late = actions.raise_action(
            conn, title="l", source="manual", actor="a", owner="ian", due=T0 - timedelta(hours=1)
        )
        actions.raise_action(
            conn, title="fine", source="manual", actor="a", owner="ian", due=T0 + timedelta(days=3)
        )
        total, items = list_actions(conn, needs_attention=True)
    assert total == 2
    assert {a["action_id"] for a in items} == {unowned, late}
    assert next(a for a in items if a["action_id"] == late)["overdue"]


def test_each_new_alert_gets_one_action(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn:
        conn.execute(
            alerts.insert().values(
                alert_id="A1", kind="new-group", raised_at=T0, subjects=[], reasons=[], reports=[]
            )
        )
    assert "1 actions raised from alerts" in tasking_stage(sqlite_engine)
    assert "0 actions raised from alerts" in tasking_stage(sqlite_engine)
    with sqlite_engine.connect() as conn:
        total, items = list_actions(conn, about="alert:A1")
    assert total == 1 and items[0]["priority"] == "high"


def test_the_export_shows_each_action_as_it_stood_at_the_time_asked(engine: Engine) -> None:
    with clock.frozen_at(T0), engine.begin() as conn:
        pk = actions.raise_action(conn, title="t", source="manual", actor="a")
    with clock.frozen_at(T0 + timedelta(hours=1)), engine.begin() as conn:
        actions.allocate(conn, pk, owner="ian", actor="sam", due=T0 + timedelta(days=1))
    with clock.frozen_at(T0 + timedelta(hours=5)), engine.begin() as conn:
        actions.record_result(conn, pk, result="done", actor="ian")
    then = export.section(engine, "actions", T0 + timedelta(hours=2))
    now = export.section(engine, "actions", None)
    before = export.section(engine, "actions", T0 - timedelta(hours=1))
    assert set(now[0]) == {"action_id", "raised_at", "owner", "due", "status", "result", "source"}
    assert (then[0]["status"], then[0]["owner"], then[0]["result"]) == ("allocated", "ian", None)
    assert (now[0]["status"], now[0]["result"]) == ("resulted", "done")
    assert before == []


def test_the_sender_is_told_the_recording_decision_in_plain_words(sqlite_engine: Engine) -> None:
    from lantern.intake.ingest import store_reports
    from lantern.intake.validate import validate

    store_reports(sqlite_engine, [validate(report(1, "rmbc-social-care"))], actor="t")
    with sqlite_engine.begin() as conn:
        assert feedback.outcome(conn, 1)["status"] == "received"
        conn.execute(
            decisions.insert().values(
                kind="record-crime",
                subject="report:rmbc-social-care/R0001",
                actor="sam",
                made_at=T0,
                payload={"offences": ["SOA 2003 s9"], "note": "internal"},
            )
        )
        seen = feedback.outcome(conn, 1)
    assert seen["recording"] == "A crime has been recorded."
    assert "internal" not in str(seen) and "s9" not in str(seen)
