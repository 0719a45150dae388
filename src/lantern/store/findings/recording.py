"""Recording findings (owned by the recording stage): the crimes each report's
disclosures amount to and the 24-hour clock of each report. The alerts raised
when no recording decision was made in time live in the shared ``alerts``
table (``store/findings/network.py``, ``stage = "recording"``)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table

from lantern.store.findings import findings_metadata
from lantern.store.types import Json, UtcDateTime

# One row per report: the proposal made from its current extraction.
recording_proposals = Table(
    "recording_proposals",
    findings_metadata,
    Column("report_pk", Integer, primary_key=True),
    Column("agency", String(100), nullable=False),
    Column("report_id", String(200), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("extractor", String(100), nullable=False),
    Column("agency_type", String(40)),
    Column("channel", String(60)),
    Column("received_at", UtcDateTime, nullable=False),
    Column("clock_starts_at", UtcDateTime, nullable=False),  # receipt by the police
    Column("deadline", UtcDateTime, nullable=False),  # clock_starts_at + 24 h
    Column("has_crime", Boolean, nullable=False),
    Column("proposal", Json, nullable=False),  # lantern.recording.rules.Proposal.to_dict()
)
Index("ix_recording_proposals_key", recording_proposals.c.agency, recording_proposals.c.report_id)
Index("ix_recording_proposals_received", recording_proposals.c.received_at)
