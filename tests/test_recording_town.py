"""Crime recording end to end on a simulated town: reports ingested, read by the
extractor, and assessed by the recording stage; scored against the truth."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from lantern import clock
from lantern.extract import stage as extract_stage
from lantern.intake.ingest import ingest_file
from lantern.recording import export, stage
from lantern.sim import generate_town
from lantern.store.db import open_store

AS_OF = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("town")
    reports, truth = generate_town(1, "small", folder)
    engine = open_store(f"sqlite:///{folder / 'lantern.db'}")
    ingest_file(engine, Path(reports), actor="test")
    extract_stage.run(engine)
    with clock.frozen_at(AS_OF):
        stage.run(engine)
    yield engine, json.loads(Path(truth).read_text("utf-8"))
    engine.dispose()


def test_reports_that_must_be_recorded_are_proposed_as_crimes(analysed) -> None:  # type: ignore[no-untyped-def]
    engine, truth = analysed
    fields = export.report_fields(engine, AS_OF)
    tp = fp = fn = 0
    for report in truth["reports"]:
        proposed = bool(fields[(report["agency"], report["report_id"])]["recording"]["offences"])
        tp += report["must_record"] and proposed
        fn += report["must_record"] and not proposed
        fp += proposed and not report["must_record"]
    assert tp > 0
    assert tp / (tp + fn) >= 0.95
    assert tp / (tp + fp) >= 0.95


def test_every_report_carries_a_recording_field_as_the_interchange_spec_says(analysed) -> None:  # type: ignore[no-untyped-def]
    engine, truth = analysed
    fields = export.report_fields(engine, AS_OF)
    assert len(fields) == len(truth["reports"])
    for entry in fields.values():
        recording = entry["recording"]
        assert set(recording) == {"decision", "offences", "decided_at", "within_24h"}
        assert recording["decision"] == "pending"  # nobody has decided anything
        for offence in recording["offences"]:
            assert set(offence) == {"code", "title", "act_section"}
        # undecided crimes are past their 24 hours by 2030
        assert recording["within_24h"] is (False if recording["offences"] else None)


def test_undecided_crimes_raise_deadline_alerts(analysed) -> None:  # type: ignore[no-untyped-def]
    engine, _ = analysed
    proposed = sum(
        1 for f in export.report_fields(engine, AS_OF).values() if f["recording"]["offences"]
    )
    alerts = export.alerts(engine, AS_OF)
    assert len(alerts) == proposed
    assert {a["kind"] for a in alerts} == {"recording-deadline-breached"}
