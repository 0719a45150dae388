"""Helpers for the recording and victim-first tests: store a report and a
hand-built extraction of it, so the stages are tested apart from the extractor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, select

from lantern.domain import Disclosure, Extraction, PersonMention, Report, Span
from lantern.store import reports as report_store
from lantern.store.findings.extraction import extractions
from lantern.store.schema import reports


def store_report(
    engine: Engine,
    report_id: str,
    received_at: datetime,
    *,
    agency: str = "syp",
    agency_type: str = "police",
    narrative: str = "Report.",
    people: list[PersonMention] | None = None,
    disclosures: list[Disclosure] | None = None,
    **body: Any,
) -> int:
    """Stores a report and an extraction of it; returns the report's pk."""
    content = {
        "id": report_id,
        "agency": agency,
        "agency_type": agency_type,
        "received_at": received_at.isoformat(),
        "narrative": narrative,
        **body,
    }
    with engine.begin() as conn:
        report_store.put_many(conn, [Report.from_body(content)], actor="test")
        pk, revision = conn.execute(
            select(reports.c.pk, reports.c.revisions).where(
                reports.c.agency == agency, reports.c.report_id == report_id
            )
        ).one()
        extraction = Extraction(
            agency,
            report_id,
            revision,
            "test-extractor",
            people=people or [],
            disclosures=disclosures or [],
        )
        conn.execute(delete(extractions).where(extractions.c.report_pk == pk))
        conn.execute(
            extractions.insert().values(
                report_pk=pk,
                revision=revision,
                extractor="test-extractor",
                payload=extraction.to_dict(),
            )
        )
    return int(pk)


def girl(mid: str, age: int = 14, name: str = "Amy Smith", **kw: Any) -> PersonMention:
    return PersonMention(
        mid, name, Span(0, len(name)), role="victim", name=name, sex="F", age=age, **kw
    )


def touching(victim: str, age: int = 14, **kw: Any) -> Disclosure:
    return Disclosure(
        "sexual-touching", "touched her", Span(0, 5), victim=victim, child_age=age, **kw
    )
