"""Extraction findings: what was read from each revision of each report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import Column, Connection, Integer, String, Table, select

from lantern.domain import Extraction
from lantern.store.findings import findings_metadata
from lantern.store.types import Json

extractions = Table(
    "extractions",
    findings_metadata,
    Column("report_pk", Integer, primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("extractor", String(100), nullable=False),
    Column("payload", Json, nullable=False),  # lantern.domain.Extraction.to_dict()
)


def iter_extractions(
    conn: Connection, report_pks: Iterable[int] | None = None
) -> Iterator[tuple[int, Extraction]]:
    """Stored extractions (report pk, Extraction), optionally only for some reports."""
    query = select(extractions.c.report_pk, extractions.c.payload).order_by(extractions.c.report_pk)
    if report_pks is not None:
        pks = list(report_pks)
        for i in range(0, len(pks), 900):
            for pk, payload in conn.execute(
                query.where(extractions.c.report_pk.in_(pks[i : i + 900]))
            ):
                yield pk, Extraction.from_dict(payload)
        return
    for pk, payload in conn.execute(query):
        yield pk, Extraction.from_dict(payload)
