"""Reports are facts; the audit chain is tamper-evident — on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from lantern.intake.ingest import ingest_file
from lantern.store import audit
from lantern.store import reports as report_store
from lantern.store.schema import audit_log, report_revisions, reports
from tests.factories import report, write_jsonl


def _snapshot(engine: Engine) -> tuple[list[tuple], list[tuple], int]:
    with engine.connect() as conn:
        reps = conn.execute(select(reports).order_by(reports.c.pk)).all()
        revs = conn.execute(select(report_revisions).order_by(report_revisions.c.pk)).all()
        audits = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
    return [tuple(r) for r in reps], [tuple(r) for r in revs], audits


def test_ingesting_the_same_file_twice_leaves_the_store_unchanged(
    engine: Engine, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [report(n) for n in range(50)])
    first = ingest_file(engine, path)
    assert first.counts["new"] == 50
    before = _snapshot(engine)
    second = ingest_file(engine, path)
    assert second.counts["unchanged"] == 50 and second.counts["new"] == 0
    assert _snapshot(engine) == before


def test_changed_content_adds_a_revision_and_keeps_the_earlier_one(
    engine: Engine, tmp_path: Path
) -> None:
    ingest_file(engine, write_jsonl(tmp_path / "a.jsonl", [report(1)]))
    changed = report(1, narrative="Updated: the caller rang back with a vehicle registration.")
    result = ingest_file(engine, write_jsonl(tmp_path / "b.jsonl", [changed]))
    assert result.counts["revised"] == 1
    with engine.connect() as conn:
        history = report_store.revisions(conn, "syp", "R000001")
        current = report_store.get(conn, "syp", "R000001")
        first = report_store.get(conn, "syp", "R000001", revision=1)
    assert [h["revision"] for h in history] == [1, 2]
    assert current is not None and current.revision == 2
    assert current.report.narrative.startswith("Updated")
    assert first is not None and first.report.narrative.startswith("Routine incident")


def test_resending_an_earlier_revision_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    original = write_jsonl(tmp_path / "a.jsonl", [report(1)])
    ingest_file(engine, original)
    ingest_file(engine, write_jsonl(tmp_path / "b.jsonl", [report(1, narrative="Changed.")]))
    before = _snapshot(engine)
    assert ingest_file(engine, original).counts["unchanged"] == 1
    assert _snapshot(engine) == before


def test_same_id_from_different_agencies_are_different_reports(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [
        report(1, agency="syp"),
        report(1, agency="rmbc-social-care", agency_type="social-care"),
    ]
    assert ingest_file(engine, write_jsonl(tmp_path / "a.jsonl", rows)).counts["new"] == 2


def test_key_order_and_spacing_do_not_make_a_revision(engine: Engine, tmp_path: Path) -> None:
    body = report(7)
    reordered = dict(reversed(list(body.items())))
    ingest_file(engine, write_jsonl(tmp_path / "a.jsonl", [body]))
    assert (
        ingest_file(engine, write_jsonl(tmp_path / "b.jsonl", [reordered])).counts["unchanged"] == 1
    )


def test_unknown_fields_are_kept(engine: Engine, tmp_path: Path) -> None:
    body = report(3, force_system_ref="NICHE-42", custom={"a": [1, 2]})
    ingest_file(engine, write_jsonl(tmp_path / "a.jsonl", [body]))
    with engine.connect() as conn:
        stored = report_store.get(conn, "syp", "R000003")
    assert stored is not None
    assert stored.report.body["force_system_ref"] == "NICHE-42"
    assert stored.report.body["custom"] == {"a": [1, 2]}


def test_the_store_api_offers_no_way_to_delete_or_overwrite_reports() -> None:
    public = {name for name in dir(report_store) if not name.startswith("_")}
    assert not {
        n for n in public if any(w in n for w in ("delete", "remove", "overwrite", "replace"))
    }


def test_every_write_is_audited_with_its_actor(engine: Engine, tmp_path: Path) -> None:
    ingest_file(
        engine, write_jsonl(tmp_path / "a.jsonl", [report(1), report(2)]), actor="analyst.jones"
    )
    with engine.connect() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).all()
        result = audit.verify(conn)
    assert [r.actor for r in rows] == ["analyst.jones", "analyst.jones"]
    assert [r.target for r in rows] == ["report:syp/R000001", "report:syp/R000002"]
    assert result.ok and result.rows == 2


@pytest.mark.parametrize(
    "column,value",
    [("actor", "someone.else"), ("target", "report:syp/X"), ("detail", '{"revision": 9}')],
)
def test_changing_any_audit_row_breaks_the_chain_at_that_row(
    engine: Engine, tmp_path: Path, column: str, value: str
) -> None:
    ingest_file(engine, write_jsonl(tmp_path / "a.jsonl", [report(n) for n in range(5)]))
    with engine.begin() as conn:
        if column == "detail" and conn.dialect.name == "postgresql":
            conn.execute(
                text(f"UPDATE audit_log SET {column} = CAST(:v AS jsonb) WHERE seq = 3"),
                {"v": value},
            )
        else:
            conn.execute(text(f"UPDATE audit_log SET {column} = :v WHERE seq = 3"), {"v": value})
    with engine.connect() as conn:
        result = audit.verify(conn)
    assert not result.ok
    assert result.broken_seq == 3


def test_deleting_an_audit_row_breaks_the_chain(engine: Engine, tmp_path: Path) -> None:
    ingest_file(engine, write_jsonl(tmp_path / "a.jsonl", [report(n) for n in range(5)]))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    with engine.connect() as conn:
        result = audit.verify(conn)
    assert not result.ok and result.broken_seq == 3
