"""Who sees which report: agency, sharing back, handling-code C conditions,
advisers' victims, auditors and admins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select

from lantern.auth.access import (
    can_see_report,
    read_condition,
    record_condition,
    report_visibility,
    share_report,
)
from lantern.auth.accounts import get_user
from lantern.auth.demo import create_demo_users
from lantern.intake.ingest import store_reports
from lantern.intake.validate import validate
from lantern.store.findings.resolution import entity_mentions
from lantern.store.schema import reports
from lantern.tasking.notify import link_adviser
from lantern.tasking.stage import record_new_conditions
from tests.security_support import report


def _store(engine: Engine, *bodies: dict) -> dict[str, int]:  # type: ignore[type-arg]
    store_reports(engine, [validate(b) for b in bodies], actor="tests")
    with engine.connect() as conn:
        return {
            row.report_id: row.pk for row in conn.execute(select(reports.c.pk, reports.c.report_id))
        }


def _visible(engine: Engine, username: str) -> set[str]:
    with engine.connect() as conn:
        user = get_user(conn, username)
        assert user is not None
        rows = conn.execute(select(reports.c.report_id).where(report_visibility(user)))
        return set(rows.scalars())


def _c(n: int, condition: str, agency: str = "syp") -> dict:  # type: ignore[type-arg]
    return report(
        n,
        agency,
        grading={"source": "1", "intelligence": "A", "handling": "C", "conditions": condition},
    )


def test_partner_sees_its_own_reports_and_what_is_shared_back(engine: Engine) -> None:
    create_demo_users(engine)
    pks = _store(engine, report(1), report(2, "rmbc-social-care"), report(3, "youth-project"))
    assert _visible(engine, "rita.referrer") == {"R0002"}
    with engine.begin() as conn:
        share_report(
            conn, pks["R0001"], "rmbc-social-care", actor="sam.supervisor", reason="joint strategy"
        )
    assert _visible(engine, "rita.referrer") == {"R0001", "R0002"}
    assert _visible(engine, "yusuf.youthworker") == {"R0003"}


def test_host_staff_see_every_p_report_and_c_only_as_its_condition_allows(engine: Engine) -> None:
    create_demo_users(engine)
    _store(
        engine,
        report(1, "rmbc-social-care"),
        _c(2, "Share with police investigators only; roles: investigator"),
        _c(3, "originator only: no further dissemination", agency="rmbc-social-care"),
        _c(4, "for police use"),
    )
    with engine.begin() as conn:
        record_new_conditions(conn)
    assert _visible(engine, "ian.investigator") == {"R0001", "R0002", "R0004"}
    # R0002 and R0004 are syp's own reports: the analyst's agency sent them.
    assert _visible(engine, "ana.analyst") == {"R0001", "R0002", "R0004"}
    assert _visible(engine, "sam.supervisor") == {"R0001", "R0002", "R0004"}
    assert _visible(engine, "rita.referrer") == {"R0001", "R0003"}
    assert _visible(engine, "aud.auditor") == {"R0001", "R0002", "R0003", "R0004"}
    assert _visible(engine, "adm.admin") == set()


def test_a_c_report_from_a_partner_is_hidden_from_roles_its_condition_leaves_out(
    engine: Engine,
) -> None:
    create_demo_users(engine)
    pks = _store(engine, _c(5, "roles: supervisor", agency="rmbc-social-care"))
    with engine.begin() as conn:
        record_new_conditions(conn)
    assert _visible(engine, "sam.supervisor") == {"R0005"}
    assert _visible(engine, "ana.analyst") == set()
    with engine.begin() as conn:
        record_condition(conn, pks["R0005"], "roles: analyst, supervisor", actor="sam.supervisor")
        analyst = get_user(conn, "ana.analyst")
        assert analyst is not None
        assert can_see_report(conn, analyst, {"pk": pks["R0005"]})


def test_each_c_report_is_judged_by_its_own_newest_condition(engine: Engine) -> None:
    create_demo_users(engine)
    _store(
        engine,
        _c(6, "roles: supervisor", agency="rmbc-social-care"),
        _c(7, "roles: analyst", agency="rmbc-social-care"),
    )
    with engine.begin() as conn:
        record_new_conditions(conn)
    assert _visible(engine, "sam.supervisor") == {"R0006"}
    assert _visible(engine, "ana.analyst") == {"R0007"}


def test_c_report_without_a_recorded_condition_is_shown_to_nobody_but_sender_and_auditors(
    engine: Engine,
) -> None:
    create_demo_users(engine)
    _store(engine, _c(6, "for police use", agency="rmbc-social-care"))
    assert _visible(engine, "sam.supervisor") == set()
    assert _visible(engine, "rita.referrer") == {"R0006"}
    assert _visible(engine, "aud.auditor") == {"R0006"}


def test_adviser_sees_reports_about_the_victims_linked_to_them(engine: Engine) -> None:
    create_demo_users(engine)
    pks = _store(engine, report(7), report(8))
    with engine.begin() as conn:
        conn.execute(
            entity_mentions.insert(),
            [
                {
                    "mention_id": "m7",
                    "entity_id": "person:amy",
                    "kind": "person",
                    "report_pk": pks["R0007"],
                    "agency": "syp",
                    "report_id": "R0007",
                    "received_at": datetime.fromisoformat(report(7)["received_at"]),
                    "role": "victim",
                    "text": "Amy",
                    "reasons": [],
                },
            ],
        )
    assert _visible(engine, "ada.adviser") == set()
    with engine.begin() as conn:
        link_adviser(conn, "ada.adviser", "person:amy", actor="sam.supervisor")
    assert _visible(engine, "ada.adviser") == {"R0007"}


def test_conditions_are_read_from_what_the_sender_wrote() -> None:
    assert read_condition("originator only")[1] == []
    assert read_condition("agencies: syp, rmbc-social-care; roles: supervisor")[1] == [
        ("syp", "supervisor"),
        ("rmbc-social-care", "supervisor"),
    ]
    assert read_condition({"text": "x", "roles": ["analyst"]})[1] == [("host", "analyst")]
    assert set(read_condition("for police use")[1]) == {
        ("host", "investigator"),
        ("host", "supervisor"),
    }
