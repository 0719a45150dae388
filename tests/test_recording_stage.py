"""The recording stage end to end: proposals from stored extractions, the
24-hour rule and its alerts and actions, the export's ``recording`` field, and
the compliance audit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from lantern import clock
from lantern.recording import export, stage
from lantern.recording.compliance import run_audit, wilson
from lantern.recording.compliance_report import as_html, as_text
from lantern.recording.decisions import record_crime, record_no_crime
from lantern.store.schema import actions
from tests.recording_support import girl, store_report, touching

RECEIVED = datetime(2012, 3, 1, 20, 0, tzinfo=UTC)


def _analyse(engine: Engine, at: datetime, full: bool = False) -> str:
    with clock.frozen_at(at):
        return stage.run(engine, full=full)


def _recording(engine: Engine, report_id: str, as_of: datetime) -> dict:
    return export.report_fields(engine, as_of)[("syp", report_id)]["recording"]


def test_an_undecided_proposal_is_pending_with_its_offences(sqlite_engine: Engine) -> None:
    store_report(sqlite_engine, "R1", RECEIVED, people=[girl("c1")], disclosures=[touching("c1")])
    store_report(sqlite_engine, "R2", RECEIVED, narrative="A neighbour dispute about parking.")
    _analyse(sqlite_engine, RECEIVED + timedelta(hours=1))
    as_of = RECEIVED + timedelta(hours=1)
    r1 = _recording(sqlite_engine, "R1", as_of)
    assert r1["decision"] == "pending"
    assert [o["act_section"] for o in r1["offences"]] == ["Sexual Offences Act 2003 s9"]
    assert r1["offences"][0]["code"] == "22B"
    assert r1["within_24h"] is None
    r2 = _recording(sqlite_engine, "R2", as_of)
    assert (r2["decision"], r2["offences"], r2["within_24h"]) == ("pending", [], None)


def test_no_decision_24_hours_after_receipt_raises_an_alert_and_an_action(
    sqlite_engine: Engine,
) -> None:
    store_report(sqlite_engine, "R1", RECEIVED, people=[girl("c1")], disclosures=[touching("c1")])
    _analyse(sqlite_engine, RECEIVED + timedelta(hours=23))
    assert export.alerts(sqlite_engine, RECEIVED + timedelta(hours=23)) == []
    summary = _analyse(sqlite_engine, RECEIVED + timedelta(hours=25))
    assert "1 deadline alerts raised" in summary
    (alert,) = export.alerts(sqlite_engine, RECEIVED + timedelta(hours=25))
    assert alert["kind"] == "recording-deadline-breached"
    assert alert["status"] == "open"
    assert "syp/R1" in alert["subjects"]
    assert alert["reports"] == ["syp/R1"]
    with sqlite_engine.connect() as conn:
        action = conn.execute(select(actions)).one()
    assert action.source == f"alert:{alert['alert_id']}"
    assert (action.priority, action.raised_by) == ("high", "system")
    assert _recording(sqlite_engine, "R1", RECEIVED + timedelta(hours=25))["within_24h"] is False


def test_a_decision_within_24_hours_raises_no_alert(sqlite_engine: Engine) -> None:
    store_report(sqlite_engine, "R1", RECEIVED, people=[girl("c1")], disclosures=[touching("c1")])
    with sqlite_engine.begin() as conn:
        record_crime(
            conn,
            agency="syp",
            report_id="R1",
            actor="ds.jones",
            crime_reference="CR1",
            offences=["Sexual Offences Act 2003 s9"],
            at=RECEIVED + timedelta(hours=5),
        )
    _analyse(sqlite_engine, RECEIVED + timedelta(days=3))
    assert export.alerts(sqlite_engine, RECEIVED + timedelta(days=3)) == []
    fields = _recording(sqlite_engine, "R1", RECEIVED + timedelta(days=3))
    assert fields["decision"] == "crime"
    assert fields["within_24h"] is True
    assert fields["decided_at"] == (RECEIVED + timedelta(hours=5)).isoformat()


def test_a_late_decision_closes_the_alert(sqlite_engine: Engine) -> None:
    store_report(sqlite_engine, "R1", RECEIVED, people=[girl("c1")], disclosures=[touching("c1")])
    _analyse(sqlite_engine, RECEIVED + timedelta(hours=30))
    with sqlite_engine.begin() as conn:
        record_no_crime(
            conn,
            agency="syp",
            report_id="R1",
            actor="ds.jones",
            reason="credible-evidence-to-contrary",
            at=RECEIVED + timedelta(hours=40),
        )
    summary = _analyse(sqlite_engine, RECEIVED + timedelta(hours=41))
    assert "1 closed" in summary
    (alert,) = export.alerts(sqlite_engine, RECEIVED + timedelta(hours=41))
    assert alert["status"] == "closed"
    assert any("decided late" in reason for reason in alert["reasons"])
    assert _recording(sqlite_engine, "R1", RECEIVED + timedelta(hours=41))["within_24h"] is False


def test_a_partner_report_clock_starts_when_passed_to_police(sqlite_engine: Engine) -> None:
    passed = RECEIVED + timedelta(days=2)
    store_report(
        sqlite_engine,
        "YP1",
        RECEIVED,
        agency="youth-project",
        agency_type="voluntary",
        people=[girl("c1")],
        disclosures=[touching("c1")],
        passed_to_police_at=passed.isoformat(),
    )
    _analyse(sqlite_engine, passed + timedelta(hours=20))
    assert export.alerts(sqlite_engine, passed + timedelta(hours=20)) == []
    _analyse(sqlite_engine, passed + timedelta(hours=25))
    assert len(export.alerts(sqlite_engine, passed + timedelta(hours=25))) == 1


def test_rerunning_the_stage_does_not_raise_a_second_alert_or_action(sqlite_engine: Engine) -> None:
    store_report(sqlite_engine, "R1", RECEIVED, people=[girl("c1")], disclosures=[touching("c1")])
    _analyse(sqlite_engine, RECEIVED + timedelta(days=2))
    _analyse(sqlite_engine, RECEIVED + timedelta(days=3))
    _analyse(sqlite_engine, RECEIVED + timedelta(days=3), full=True)
    assert len(export.alerts(sqlite_engine, RECEIVED + timedelta(days=3))) == 1
    with sqlite_engine.connect() as conn:
        assert len(conn.execute(select(actions)).all()) == 1


def _audit_town(engine: Engine) -> None:
    for n in range(4):
        store_report(
            engine,
            f"R{n}",
            RECEIVED + timedelta(days=n),
            people=[girl("c1", age=12)],
            disclosures=[touching("c1", age=12)],
            channel="999" if n % 2 else "101",
        )
    store_report(engine, "R9", RECEIVED, narrative="Nothing to record.")
    with engine.begin() as conn:
        record_crime(
            conn,
            agency="syp",
            report_id="R0",
            actor="dc.ali",
            crime_reference="CR0",
            offences=["Sexual Offences Act 2003 s7"],
            at=RECEIVED + timedelta(hours=2),
        )
        record_crime(
            conn,
            agency="syp",
            report_id="R1",
            actor="dc.ali",
            crime_reference="CR1",
            offences=["Sexual Offences Act 2003 s9"],  # misclassified: she was 12
            at=RECEIVED + timedelta(days=3),
        )
    _analyse(engine, RECEIVED + timedelta(days=10))


def test_the_compliance_audit_counts_recorded_classified_and_timely(sqlite_engine: Engine) -> None:
    _audit_town(sqlite_engine)
    audit = run_audit(sqlite_engine, as_of=RECEIVED + timedelta(days=10))
    assert len(audit.reports) == 4  # R9 disclosed nothing
    assert (audit.overall.recorded.k, audit.overall.recorded.n) == (2, 4)
    assert (audit.overall.classified_right.k, audit.overall.classified_right.n) == (1, 2)
    assert (audit.overall.within_24h.k, audit.overall.within_24h.n) == (1, 4)
    assert sorted(r.report_id for r in audit.unrecorded) == ["R2", "R3"]
    assert set(audit.by["decision_maker"]) == {"dc.ali", "(no decision)"}
    assert set(audit.by["channel"]) == {"101", "999"}


def test_the_compliance_audit_period_is_inclusive_of_its_last_day(sqlite_engine: Engine) -> None:
    _audit_town(sqlite_engine)
    day = RECEIVED.date()
    audit = run_audit(
        sqlite_engine,
        period_from=day + timedelta(days=1),
        period_to=day + timedelta(days=2),
        as_of=RECEIVED + timedelta(days=10),
    )
    assert sorted(r.report_id for r in audit.reports) == ["R1", "R2"]


def test_the_compliance_report_lists_unrecorded_reports_with_links(sqlite_engine: Engine) -> None:
    _audit_town(sqlite_engine)
    audit = run_audit(sqlite_engine, as_of=RECEIVED + timedelta(days=10))
    text = as_text(audit)
    assert "syp/R2" in text and "/reports/syp/R3" in text
    html = as_html(audit)
    assert "@media print" in html
    assert "href='/reports/syp/R2'" in html


def test_wilson_interval_brackets_the_rate() -> None:
    # 89.5% of 200, as in the 2018 South Yorkshire crime data integrity audit
    low, high = wilson(179, 200) or (0, 0)
    assert low == pytest.approx(0.845, abs=0.001)
    assert high == pytest.approx(0.930, abs=0.001)
    assert wilson(0, 0) is None
    assert wilson(10, 10) == pytest.approx((0.722, 1.0), abs=0.001)


def test_audit_recording_command_writes_json(sqlite_engine: Engine, sqlite_url: str) -> None:
    import typer

    from lantern.recording import cli

    _audit_town(sqlite_engine)
    app, audit_app = typer.Typer(), typer.Typer()
    app.add_typer(audit_app, name="audit")
    cli.register(app, audit_app)
    with clock.frozen_at(RECEIVED + timedelta(days=10)):
        result = CliRunner().invoke(
            app, ["audit", "recording", "--format", "json", "--database", sqlite_url]
        )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["overall"]["recorded"]["k"] == 2
    assert [r["report_id"] for r in doc["unrecorded"]] == ["R2", "R3"]


def test_recording_commands_record_and_refuse(sqlite_engine: Engine, sqlite_url: str) -> None:
    import typer

    from lantern.recording import cli

    store_report(sqlite_engine, "R1", RECEIVED, people=[girl("c1")], disclosures=[touching("c1")])
    app, audit_app = typer.Typer(), typer.Typer()
    cli.register(app, audit_app)
    runner = CliRunner()
    base = ["--database", sqlite_url, "--actor", "dc.ali"]
    ok = runner.invoke(
        app,
        ["recording", "record", "syp", "R1", "--crime-reference", "CR1", "--offence", "22B", *base],
    )
    assert ok.exit_code == 0, ok.output
    refused = runner.invoke(
        app,
        ["recording", "cancel", "syp", "R1", "--crime-reference", "CR1", "--reason", "duplicate",
         "--information", "", "--authorised-by", "insp.khan", *base],
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "verifiable information" in refused.output
