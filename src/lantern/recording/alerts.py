"""Writing and reading this stage's alerts in the shared ``alerts`` findings
table (``store/findings/network.py``), in the export's alert shape. Each row
names the stage that owns it, so a stage only changes its own rows; the
victim-first stage uses the same helpers."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from lantern.store.findings.network import alert_key, alerts


def key(kind: str, subjects: list[str]) -> str:
    """The stable id of an alert of ``kind`` about ``subjects``."""
    return alert_key(kind, subjects)


def add(
    conn: Connection,
    *,
    alert_id: str,
    kind: str,
    stage: str,
    raised_at: datetime,
    subjects: list[str],
    reasons: list[str],
    reports: list[str],
    status: str = "open",
    action_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        alerts.insert().values(
            alert_id=alert_id,
            kind=kind,
            raised_at=raised_at,
            subjects=subjects,
            reasons=reasons,
            reports=reports,
            status=status,
            action_id=action_id,
            stage=stage,
            detail=json.dumps(detail) if detail is not None else None,
        )
    )


def statuses(conn: Connection, kind: str) -> dict[str, str]:
    """alert_id -> status for the alerts of one kind."""
    rows = conn.execute(select(alerts.c.alert_id, alerts.c.status).where(alerts.c.kind == kind))
    return {alert_id: status for alert_id, status in rows}


def set_status(
    conn: Connection, alert_id: str, status: str, reasons: list[str] | None = None
) -> None:
    """Changes an alert's status (and its reasons, where they changed with it)."""
    values: dict[str, Any] = {"status": status}
    if reasons is not None:
        values["reasons"] = reasons
    conn.execute(update(alerts).where(alerts.c.alert_id == alert_id).values(**values))


def refresh(
    conn: Connection,
    alert_id: str,
    *,
    subjects: list[str],
    reasons: list[str],
    reports: list[str],
    detail: dict[str, Any] | None = None,
) -> None:
    """Brings an existing alert's subjects, reasons and reports up to date (as
    resolution joins more of a person's records), keeping its status and action."""
    conn.execute(
        update(alerts)
        .where(alerts.c.alert_id == alert_id)
        .values(
            subjects=subjects,
            reasons=reasons,
            reports=reports,
            detail=json.dumps(detail) if detail is not None else None,
        )
    )


def of_stage(engine: Engine, stage: str, as_of: datetime) -> list[dict[str, Any]]:
    """A stage's alerts raised by ``as_of``, in the export shape
    ``{alert_id, kind, raised_at, subjects, reasons, status}`` (plus the
    reports behind each, its action and any detail)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(alerts)
            .where(alerts.c.stage == stage, alerts.c.raised_at <= as_of)
            .order_by(alerts.c.raised_at, alerts.c.alert_id)
        ).all()
    out = []
    for r in rows:
        entry = {
            "alert_id": r.alert_id,
            "kind": r.kind,
            "raised_at": r.raised_at.isoformat(),
            "subjects": r.subjects,
            "reasons": r.reasons,
            "status": r.status,
            "reports": r.reports,
            "action_id": r.action_id,
        }
        if r.detail:
            entry.update(json.loads(r.detail))
        out.append(entry)
    return out
