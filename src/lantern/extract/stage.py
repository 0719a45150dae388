"""The extraction stage of ``lantern analyse``: every report revision not yet
read by the current extractor is read and its Extraction stored."""

from __future__ import annotations

from sqlalchemy import Engine, delete, select

from lantern.extract.report import EXTRACTOR, extract_report
from lantern.store import reports as report_store
from lantern.store.findings.extraction import extractions

BATCH = 500


def run(engine: Engine, *, full: bool = False) -> str:
    with engine.connect() as conn:
        done = {
            pk: (rev, ex)
            for pk, rev, ex in conn.execute(
                select(extractions.c.report_pk, extractions.c.revision, extractions.c.extractor)
            )
        }
        todo = [
            stored
            for stored in report_store.iter_current(conn)
            if full or done.get(stored.pk) != (stored.revision, EXTRACTOR)
        ]
    for i in range(0, len(todo), BATCH):
        chunk = todo[i : i + BATCH]
        rows = [
            {
                "report_pk": s.pk,
                "revision": s.revision,
                "extractor": EXTRACTOR,
                "payload": extract_report(s.report, s.revision).to_dict(),
            }
            for s in chunk
        ]
        with engine.begin() as conn:
            conn.execute(
                delete(extractions).where(extractions.c.report_pk.in_([s.pk for s in chunk]))
            )
            conn.execute(extractions.insert(), rows)
    return (
        f"{len(todo)} reports read ({len(done)} already up to date)"
        if not full
        else f"{len(todo)} reports read"
    )
