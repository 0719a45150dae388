"""One report in, one Extraction out: structured fields, then the narrative."""

from __future__ import annotations

from lantern.domain import Extraction, Report
from lantern.extract.structured import extract_structured

# Bump when extraction changes what it produces: stored extractions made by an
# older extractor are redone by the next ``lantern analyse``.
EXTRACTOR = "lantern-extract/0.1"


def extract_report(report: Report, revision: int) -> Extraction:
    return extract_structured(report, revision, EXTRACTOR)
