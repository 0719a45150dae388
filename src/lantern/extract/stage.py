"""The extraction stage of ``lantern analyse``: every report revision not yet
read by the current extractor is read, reviewers' corrections are applied on
top (they always win), and its Extraction is stored. A new correction makes
its report be read again on the next run."""

from __future__ import annotations

from sqlalchemy import Engine, delete, select

from lantern.extract import corrections
from lantern.extract.report import EXTRACTOR, extract_reports
from lantern.store import reports as report_store
from lantern.store.findings import findings_state
from lantern.store.findings.extraction import extractions

BATCH = 500
WATERMARK = "extract.corrections"


def run(engine: Engine, *, full: bool = False) -> str:
    with engine.connect() as conn:
        done = {
            pk: (rev, ex)
            for pk, rev, ex in conn.execute(
                select(extractions.c.report_pk, extractions.c.revision, extractions.c.extractor)
            )
        }
        seen = int(
            conn.execute(
                select(findings_state.c.value).where(findings_state.c.key == WATERMARK)
            ).scalar()
            or 0
        )
        fixes = corrections.load(conn)
        corrected_since = {
            key for key, items in fixes.items() if any(pk > seen for pk, _, _ in items)
        }
        latest = max((pk for items in fixes.values() for pk, _, _ in items), default=seen)
        todo = [
            stored
            for stored in report_store.iter_current(conn)
            if full
            or done.get(stored.pk) != (stored.revision, EXTRACTOR)
            or stored.report.key in corrected_since
        ]
    for i in range(0, len(todo), BATCH):
        chunk = todo[i : i + BATCH]
        read = extract_reports((s.report, s.revision) for s in chunk)
        rows = [
            {
                "report_pk": s.pk,
                "revision": s.revision,
                "extractor": EXTRACTOR,
                "payload": corrections.apply(ex, fixes.get(s.report.key, [])).to_dict(),
            }
            for s, ex in zip(chunk, read, strict=True)
        ]
        with engine.begin() as conn:
            conn.execute(
                delete(extractions).where(extractions.c.report_pk.in_([s.pk for s in chunk]))
            )
            conn.execute(extractions.insert(), rows)
    with engine.begin() as conn:
        conn.execute(delete(findings_state).where(findings_state.c.key == WATERMARK))
        conn.execute(findings_state.insert().values(key=WATERMARK, value=str(latest)))
    fixed = sum(1 for s in todo if s.report.key in fixes)
    summary = f"{len(todo)} reports read" + (f", {fixed} with corrections" if fixed else "")
    return summary if full else f"{summary} ({len(done)} already up to date)"
