"""The extraction stage: incremental over new and revised reports, and
reviewers' corrections always win, also after a report is read again."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, select

from lantern.extract import stage
from lantern.extract.corrections import record_correction
from lantern.store import reports as report_store
from lantern.store.findings.extraction import iter_extractions
from lantern.store.schema import audit_log, decisions
from tests.factories import report as report_body

NARRATIVE = "Jade Booth (14) was picked up from school by Imran KHAN in a silver Astra YX51 KDA."


def _ingest(engine: Engine, *bodies: dict[str, Any]) -> None:
    from lantern.domain import Report

    with engine.begin() as conn:
        report_store.put_many(conn, [Report.from_body(b) for b in bodies], "test")


def _extractions(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        return {ex.report_id: ex for _, ex in iter_extractions(conn)}


def test_only_new_or_revised_reports_are_read_again(sqlite_engine: Engine) -> None:
    _ingest(sqlite_engine, report_body(1, narrative=NARRATIVE), report_body(2))
    assert stage.run(sqlite_engine).startswith("2 reports read")
    assert stage.run(sqlite_engine).startswith("0 reports read")
    _ingest(sqlite_engine, report_body(1, narrative=NARRATIVE + " She was given vodka."))
    assert stage.run(sqlite_engine).startswith("1 reports read")
    codes = {i.code for i in _extractions(sqlite_engine)["R000001"].indicators}
    assert "alcohol-drugs" in codes


def test_a_correction_wins_over_the_extractor_and_survives_a_full_rerun(engine: Engine) -> None:
    _ingest(engine, report_body(1, narrative=NARRATIVE))
    stage.run(engine)
    ex = _extractions(engine)["R000001"]
    imran = next(p for p in ex.people if p.name == "Imran Khan" or "KHAN" in p.text)
    school = next(p for p in ex.people if p.name == "Jade Booth")
    with engine.begin() as conn:
        record_correction(
            conn,
            subject=f"mention:{imran.mention_id}",
            payload={"role": "associate"},
            actor="analyst1",
        )
        record_correction(
            conn, subject=f"mention:{school.mention_id}", payload={"age": 13}, actor="analyst1"
        )
        record_correction(
            conn,
            subject="report:syp/R000001",
            payload={
                "add": {
                    "kind": "indicator",
                    "code": "missing",
                    "text": "",
                    "child": school.mention_id,
                }
            },
            actor="analyst1",
            reason="missing overnight per the phone call",
        )
    assert "1 with corrections" in stage.run(engine)
    for _ in range(2):
        corrected = _extractions(engine)["R000001"]
        people = {p.mention_id: p for p in corrected.people}
        assert people[imran.mention_id].role == "associate"
        assert people[school.mention_id].age == 13
        assert ("missing", school.mention_id) in {(i.code, i.child) for i in corrected.indicators}
        stage.run(engine, full=True)
    with engine.connect() as conn:
        assert conn.execute(select(decisions.c.kind)).scalars().all() == ["correct-extraction"] * 3
        actions = conn.execute(select(audit_log.c.action, audit_log.c.actor)).all()
    assert actions.count(("decision.correct-extraction", "analyst1")) == 3


def test_a_removed_mention_takes_its_links_with_it(sqlite_engine: Engine) -> None:
    _ingest(sqlite_engine, report_body(1, narrative="Imran KHAN drives YX51 KDA."))
    stage.run(sqlite_engine)
    ex = _extractions(sqlite_engine)["R000001"]
    (car,) = [v for v in ex.vehicles if v.vrm == "YX51KDA"]
    assert any(link.target == car.mention_id for link in ex.links)
    with sqlite_engine.begin() as conn:
        record_correction(
            conn, subject=f"mention:{car.mention_id}", payload={"remove": True}, actor="a"
        )
    stage.run(sqlite_engine)
    after = _extractions(sqlite_engine)["R000001"]
    assert after.vehicles == [] and after.links == []


def test_a_correction_must_name_a_mention_or_a_report(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn, pytest.raises(ValueError):
        record_correction(conn, subject="entity:E1", payload={"remove": True}, actor="a")


def test_the_web_forms_correction_of_a_role_or_a_non_mention_is_applied(
    sqlite_engine: Engine,
) -> None:
    _ingest(sqlite_engine, report_body(1, narrative=NARRATIVE))
    stage.run(sqlite_engine)
    ex = _extractions(sqlite_engine)["R000001"]
    jade = next(p for p in ex.people if p.name == "Jade Booth")
    imran = next(p for p in ex.people if "KHAN" in p.text)
    with sqlite_engine.begin() as conn:
        for mention, correction in ((jade.mention_id, "role"), (imran.mention_id, "not-a-mention")):
            record_correction(
                conn,
                subject="report:syp/R000001",
                payload={"mention_id": mention, "correction": correction, "role": "victim"},
                actor="reviewer",
            )
    stage.run(sqlite_engine)
    people = {p.mention_id: p for p in _extractions(sqlite_engine)["R000001"].people}
    assert people[jade.mention_id].role == "victim"
    assert imran.mention_id not in people
