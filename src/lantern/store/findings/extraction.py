"""Extraction findings: what was read from each revision of each report."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table

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
