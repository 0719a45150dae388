"""Victim-first findings (owned by the victimfirst stage): the language flags
of each report. Survival-crime review alerts live in the shared ``alerts``
table (``store/findings/network.py``, ``stage = "victimfirst"``)."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table

from lantern.store.findings import findings_metadata
from lantern.store.types import Json

# One row per report: flags in the author's own voice for its current revision.
language_flags = Table(
    "language_flags",
    findings_metadata,
    Column("report_pk", Integer, primary_key=True),
    Column("agency", String(100), nullable=False),
    Column("report_id", String(200), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("extractor", String(100), nullable=False),  # "" when read without an extraction
    Column("flags", Json, nullable=False),  # [lantern.victimfirst.language.Flag.to_dict()]
)
Index("ix_language_flags_key", language_flags.c.agency, language_flags.c.report_id)
