"""Journeys through the API, on SQLite and PostgreSQL: a partner's referral
is read, acted on and fed back; every read lands in the audit log; tampering
with the log is detected by ``lantern audit verify``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import typer
from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

from lantern.cli import audit_verify
from lantern.store.findings.resolution import entities, entity_mentions
from lantern.store.schema import audit_log, reports
from lantern.tasking.stage import run as tasking_stage
from tests.security_support import report, world

CONDITION = {"source": "2", "intelligence": "B", "handling": "C", "conditions": "roles: supervisor"}


def _audit_cli() -> typer.Typer:
    """``lantern audit verify`` on its own (other packages' commands are not
    this test's business)."""
    app, audit = typer.Typer(), typer.Typer()
    app.add_typer(audit, name="audit")
    audit.command("verify")(audit_verify)
    return app


def _reads(engine: Engine) -> list[tuple[str, str, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.actor, audit_log.c.target, audit_log.c.reason)
            .where(audit_log.c.action.like("read.%"))
            .order_by(audit_log.c.seq)
        ).all()
    return [(r.actor, r.target, r.reason) for r in rows]


def test_a_referral_is_read_acted_on_and_fed_back(engine: Engine) -> None:
    town = world(engine)
    partner = town.token_client("rita.referrer")
    sent = partner.post(
        "/api/reports",
        json=[
            report(1, "rmbc-social-care", narrative="Girl, 14, picked up by men in a grey Astra."),
            report(2, "rmbc-social-care", grading=CONDITION, narrative="Disclosure to teacher."),
        ],
    )
    assert sent.status_code == 201 and [s["outcome"] for s in sent.json()["stored"]] == [
        "new",
        "new",
    ]

    supervisor, investigator = town.session("sam.supervisor"), town.session("ian.investigator")
    assert supervisor.get("/api/reports/rmbc-social-care/R0001").status_code == 200
    assert supervisor.get("/api/reports/rmbc-social-care/R0002").status_code == 428
    opened = supervisor.get(
        "/api/reports/rmbc-social-care/R0002", params={"reason": "strategy meeting"}
    )
    assert opened.status_code == 200
    assert (
        investigator.get("/api/reports/rmbc-social-care/R0002").status_code == 404
    )  # condition: supervisors

    raised = supervisor.post(
        "/api/reports/rmbc-social-care/R0001/actions", json={"title": "Trace the Astra"}
    )
    action_id = raised.json()["action_id"]
    due = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    assert (
        supervisor.post(
            f"/api/actions/{action_id}/allocate", json={"owner": "ian.investigator", "due": due}
        ).status_code
        == 200
    )
    mine = investigator.get("/api/actions", params={"owner": "me"}).json()
    assert [a["action_id"] for a in mine["items"]] == [action_id]
    assert (
        town.session("ana.analyst")
        .post(f"/api/actions/{action_id}/result", json={"result": "not mine"})
        .status_code
        == 403
    )
    assert (
        investigator.post(
            f"/api/actions/{action_id}/result",
            json={"result": "VRM traced to a private hire driver"},
        ).status_code
        == 200
    )
    assert (
        supervisor.post(f"/api/actions/{action_id}/review", json={"accepted": True}).status_code
        == 200
    )
    assert (
        supervisor.post(
            "/api/reports/rmbc-social-care/R0001/feedback",
            json={"message": "We have acted on your referral; a driver has been identified."},
        ).status_code
        == 201
    )

    outcome = partner.get("/api/reports/rmbc-social-care/R0001/feedback").json()
    assert outcome["status"] == "actions complete"
    assert outcome["actions"] == {"open": 0, "complete": 1}
    assert outcome["messages"][0]["message"].startswith("We have acted")
    assert "private hire" not in str(outcome) and "Trace the Astra" not in str(outcome)
    assert partner.get("/api/feedback").json()["total"] == 2

    reads = _reads(engine)
    assert ("sam.supervisor", "report:rmbc-social-care/R0001", None) in reads
    assert ("sam.supervisor", "report:rmbc-social-care/R0002", "strategy meeting") in reads
    assert ("rita.referrer", "feedback:rmbc-social-care/R0001", None) in reads
    # the refused reads (428, 404) opened nothing and are not written as reads
    assert sum(1 for r in reads if r[1] == "report:rmbc-social-care/R0002") == 1


def test_every_read_in_a_journey_is_audited_and_tampering_is_detected(engine: Engine) -> None:
    town = world(engine)
    town.token_client("sam.supervisor").post("/api/reports", json=[report(n) for n in range(1, 4)])
    with engine.begin() as conn:
        pk = conn.execute(select(reports.c.pk).where(reports.c.report_id == "R0001")).scalar_one()
        when = datetime(2024, 3, 2, 10, tzinfo=UTC)
        conn.execute(
            entities.insert().values(
                entity_id="person:amy",
                kind="person",
                label="Amy Smith",
                data={},
                reports=1,
                agencies=1,
            )
        )
        conn.execute(
            entity_mentions.insert().values(
                mention_id="m1",
                entity_id="person:amy",
                kind="person",
                report_pk=pk,
                agency="syp",
                report_id="R0001",
                received_at=when,
                role="victim",
                text="Amy",
                reasons=[],
            )
        )
    analyst = town.session("ana.analyst")
    opened = [
        analyst.get("/api/reports/syp/R0001"),
        analyst.get("/api/reports/syp/R0002"),
        analyst.get("/api/people/person:amy"),
        analyst.get("/api/people", params={"q": "amy"}),
        town.session("aud.auditor").get("/api/reports/syp/R0003"),
    ]
    assert [r.status_code for r in opened] == [200] * 5
    targets = [(actor, target) for actor, target, _ in _reads(engine)]
    assert targets == [
        ("ana.analyst", "report:syp/R0001"),
        ("ana.analyst", "report:syp/R0002"),
        ("ana.analyst", "person:amy"),
        ("ana.analyst", "search:people"),
        ("aud.auditor", "report:syp/R0003"),
    ]

    url = engine.url.render_as_string(hide_password=False)
    runner, cli = CliRunner(), _audit_cli()
    intact = runner.invoke(cli, ["audit", "verify", "--database", url])
    assert intact.exit_code == 0, intact.output
    with engine.begin() as conn:
        seq = conn.execute(
            select(audit_log.c.seq).where(audit_log.c.target == "person:amy")
        ).scalar_one()
        conn.execute(update(audit_log).where(audit_log.c.seq == seq).values(actor="someone.else"))
    broken = runner.invoke(cli, ["audit", "verify", "--database", url])
    assert broken.exit_code == 1
    assert f"broken at row {seq}" in broken.output


def test_an_adviser_is_told_when_anything_about_their_victim_changes(engine: Engine) -> None:
    town = world(engine)
    supervisor = town.session("sam.supervisor")
    supervisor.post("/api/reports", json=[report(1)])
    with engine.begin() as conn:
        conn.execute(
            entities.insert().values(
                entity_id="person:amy", kind="person", label="Amy", data={}, reports=1, agencies=1
            )
        )
    linked = supervisor.post("/api/people/person:amy/advisers", json={"adviser": "ada.adviser"})
    assert linked.status_code == 201
    assert (
        supervisor.post(
            "/api/people/person:amy/advisers", json={"adviser": "ana.analyst"}
        ).status_code
        == 422
    )

    supervisor.post("/api/reports", json=[report(2, narrative="Amy seen again at the hotel.")])
    with engine.begin() as conn:
        pk = conn.execute(select(reports.c.pk).where(reports.c.report_id == "R0002")).scalar_one()
        conn.execute(
            entity_mentions.insert().values(
                mention_id="m2",
                entity_id="person:amy",
                kind="person",
                report_pk=pk,
                agency="syp",
                report_id="R0002",
                received_at=datetime(2024, 3, 3, tzinfo=UTC),
                role="victim",
                text="Amy",
                reasons=[],
            )
        )
    tasking_stage(engine)
    tasking_stage(engine)  # a second run tells nobody twice
    raised = supervisor.post(
        "/api/actions", json={"title": "Safeguarding visit", "about": ["person:amy"]}
    )
    supervisor.post(
        f"/api/actions/{raised.json()['action_id']}/allocate", json={"owner": "ian.investigator"}
    )

    adviser = town.session("ada.adviser")
    told = adviser.get("/api/notifications").json()
    assert [n["subject"] for n in told] == ["person:amy", "person:amy"]
    assert "new report" in told[1]["message"].lower()
    assert "allocated" in told[0]["message"]
    # the adviser may now open the report about their victim, but not others
    assert adviser.get("/api/reports/syp/R0002").status_code == 200
    assert adviser.get("/api/reports/syp/R0001").status_code == 404
