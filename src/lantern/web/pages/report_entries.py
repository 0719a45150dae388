"""Reports as the workspace shows them in a chronology or on their own page:
the current narrative cut into highlighted spans, and where recording stands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, select

from lantern.domain import Extraction
from lantern.recording.decisions import RecordingState, decisions_for, recording_state
from lantern.store.findings.extraction import iter_extractions
from lantern.store.schema import report_revisions, reports
from lantern.web.pages.spans import Segment, marks, segments


@dataclass(frozen=True, slots=True)
class ReportEntry:
    pk: int
    agency: str
    report_id: str
    agency_type: str | None
    channel: str | None
    handling: str
    received_at: datetime
    revision: int
    body: dict[str, Any]
    segments: list[Segment]
    extraction: Extraction | None
    recording: RecordingState
    roles: list[str] = field(default_factory=list)  # the focus entity's roles in it

    @property
    def key(self) -> str:
        return f"{self.agency}/{self.report_id}"

    @property
    def stale_extraction(self) -> bool:
        return self.extraction is not None and self.extraction.revision != self.revision


def report_entries(
    conn: Connection,
    pks: Iterable[int],
    *,
    focus: frozenset[str] = frozenset(),
    roles: dict[int, list[str]] | None = None,
) -> list[ReportEntry]:
    """The reports with these pks, newest first, each with its spans marked
    (the mentions in ``focus`` stand out)."""
    wanted = list(dict.fromkeys(pks))
    if not wanted:
        return []
    rows = conn.execute(
        select(
            reports.c.pk,
            reports.c.agency,
            reports.c.report_id,
            reports.c.agency_type,
            reports.c.channel,
            reports.c.handling,
            reports.c.received_at,
            report_revisions.c.revision,
            report_revisions.c.body,
        )
        .join(
            report_revisions,
            and_(
                report_revisions.c.report_pk == reports.c.pk,
                report_revisions.c.revision == reports.c.revisions,
            ),
        )
        .where(reports.c.pk.in_(wanted))
        .order_by(reports.c.received_at.desc(), reports.c.pk.desc())
    ).all()
    extractions = dict(iter_extractions(conn, wanted))
    subjects = [f"report:{r.agency}/{r.report_id}" for r in rows]
    history = decisions_for(conn, subjects)
    out = []
    for row in rows:
        extraction = extractions.get(row.pk)
        narrative = str(row.body.get("narrative") or "")
        found = marks(extraction) if extraction and extraction.revision == row.revision else []
        out.append(
            ReportEntry(
                pk=row.pk,
                agency=row.agency,
                report_id=row.report_id,
                agency_type=row.agency_type,
                channel=row.channel,
                handling=row.handling,
                received_at=row.received_at,
                revision=row.revision,
                body=row.body,
                segments=segments(narrative, found, focus),
                extraction=extraction,
                recording=recording_state(history.get(f"report:{row.agency}/{row.report_id}", [])),
                roles=(roles or {}).get(row.pk, []),
            )
        )
    return out
