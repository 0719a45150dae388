"""The ``language_flags`` field of each report in the JSON export
(``[{phrase, suggestion}]``), and the survival-crime review alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from lantern.recording import alerts as alert_store
from lantern.store.findings.victimfirst import language_flags
from lantern.store.schema import reports


def report_fields(engine: Engine, as_of: datetime) -> dict[tuple[str, str], dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(language_flags.c.agency, language_flags.c.report_id, language_flags.c.flags)
            .join(reports, reports.c.pk == language_flags.c.report_pk)
            .where(reports.c.received_at <= as_of)
        ).all()
    return {
        (agency, report_id): {
            "language_flags": [
                {"phrase": f["phrase"], "suggestion": f["suggestion"]} for f in flags
            ]
        }
        for agency, report_id, flags in rows
    }


def alerts(engine: Engine, as_of: datetime) -> list[dict[str, Any]]:
    """Survival-crime review alerts in the export's alert shape, each with the
    exploitation history (``history``)."""
    return alert_store.of_stage(engine, "victimfirst", as_of)
