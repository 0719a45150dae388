"""Reading reports: narrative and structured fields -> mentions, indicators,
disclosures and stated links, each with the span it came from."""

from lantern.extract.report import EXTRACTOR, extract_report

__all__ = ["EXTRACTOR", "extract_report"]
