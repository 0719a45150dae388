"""What every API module shares: bounded input types (no NUL bytes, no
integers or times the database cannot hold), paging, finding a report the
user may see, and the reason asked for when opening a restricted record."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import HTTPException, Path, Query
from pydantic import AfterValidator, AwareDatetime, StringConstraints
from sqlalchemy import Connection, select

from lantern.auth.access import report_visibility
from lantern.auth.accounts import User
from lantern.store.schema import reports

NO_NUL = r"^[^\x00]*$"
MAX_INT = 2_147_483_647

ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL)]
LongText = Annotated[
    str, StringConstraints(min_length=1, max_length=20_000, pattern=NO_NUL, strip_whitespace=True)
]


def _sane_time(moment: datetime) -> datetime:
    if not 1900 <= moment.year <= 2200:
        raise ValueError("a time between the years 1900 and 2200")
    return moment


Moment = Annotated[AwareDatetime, AfterValidator(_sane_time)]

AgencyPath = Annotated[str, Path(max_length=100, pattern=NO_NUL)]
ReportIdPath = Annotated[str, Path(max_length=200, pattern=NO_NUL)]
EntityPath = Annotated[str, Path(max_length=60, pattern=NO_NUL)]
IdPath = Annotated[int, Path(ge=1, le=MAX_INT)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
SearchText = Annotated[str, Query(min_length=1, max_length=200, pattern=NO_NUL)]
Reason = Annotated[
    str | None,
    Query(
        max_length=500,
        pattern=NO_NUL,
        description="Why you are opening the record: needed for a restricted record.",
    ),
]


def visible_report(conn: Connection, user: User, agency: str, report_id: str) -> Any:
    """The report's row if it exists and ``user`` may see it; 404 otherwise
    (never saying whether a hidden report exists)."""
    row = conn.execute(
        select(reports).where(
            reports.c.agency == agency, reports.c.report_id == report_id, report_visibility(user)
        )
    ).first()
    if row is None:
        raise HTTPException(status_code=404, detail="no such report, or not yours to see")
    return row


def reason_needed(reason: str | None) -> str:
    """The reason given for opening a restricted record, or 428 asking for one."""
    if reason is None or not reason.strip():
        raise HTTPException(
            status_code=428,
            detail="this is a restricted record: give a reason (?reason=…) to open it; "
            "it is written to the audit log",
        )
    return reason.strip()


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with its wildcards escaped."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def page(total: int, items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items}
