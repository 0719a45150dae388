"""One report in, one Extraction out: structured fields, then the narrative."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lantern.domain import Extraction, Report
from lantern.extract.narrative import pipeline, read
from lantern.extract.structured import extract_structured

# Bump when extraction changes what it produces: stored extractions made by an
# older extractor are redone by the next ``lantern analyse``.
EXTRACTOR = "lantern-extract/0.15"


def extract_report(report: Report, revision: int) -> Extraction:
    """Everything read from one revision of one report."""
    structured = extract_structured(report, revision, EXTRACTOR)
    return read(report, pipeline()(report.narrative), structured)


def extract_reports(reports: Iterable[tuple[Report, int]]) -> Iterator[Extraction]:
    """Extractions of many (report, revision) pairs, tokenised in batches."""
    pairs = list(reports)
    docs = pipeline().pipe((r.narrative for r, _ in pairs), batch_size=256)
    for (report, revision), doc in zip(pairs, docs, strict=True):
        yield read(report, doc, extract_structured(report, revision, EXTRACTOR))
