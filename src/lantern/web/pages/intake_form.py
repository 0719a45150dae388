"""Taking a report typed into a form (a partner's referral, a member of the
public's concern): validated as the interchange format says, stored as a fact
like any other report, then analysed in the background so the recording clock
and the queues see it within seconds."""

from __future__ import annotations

import secrets
import threading
from typing import Any

from fastapi import HTTPException, Request
from sqlalchemy import Engine

from lantern import clock
from lantern.domain import Report
from lantern.intake.ingest import store_reports
from lantern.intake.validate import Invalid, validate
from lantern.pipeline import analyse

_analysing = threading.Lock()


def new_report_id(prefix: str) -> str:
    """A reference for a report made here: the date and a random part."""
    return f"{prefix}-{clock.now():%Y%m%d}-{secrets.token_hex(3).upper()}"


def take_report(engine: Engine, body: dict[str, Any], *, actor: str) -> Report:
    """Validates and stores the report; 422 with every problem if it is not valid."""
    body = {"received_at": clock.now().isoformat(timespec="seconds"), **body}
    try:
        report = validate(body)
    except Invalid as exc:
        raise HTTPException(status_code=422, detail=exc.problems) from exc
    store_reports(engine, [report], actor=actor)
    return report


def analyse_after_intake(request: Request) -> bool:
    """Whether a report taken from a form is analysed straight away (the app's
    ``state.analyse_after_intake``, on unless set off)."""
    return bool(getattr(request.app.state, "analyse_after_intake", True))


def analyse_now(engine: Engine) -> None:
    """Brings the findings up to date (one run at a time in this process)."""
    with _analysing:
        analyse(engine)
