"""The 24-hour rule: a recording decision is due within 24 hours of the report
being received by the police.

When the clock starts:
- a police report: its ``received_at``;
- a report from a partner agency or the public: when it reached the police.
  Lantern is the police's system, so a partner report reaches the police when
  it arrives here (its ``received_at``), unless the report carries a later
  ``passed_to_police_at`` (an unknown field kept with the report, for partner
  systems that hold a report before passing it on), which is then used.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lantern.domain import Report

RECORDING_WINDOW = timedelta(hours=24)
PASSED_TO_POLICE_FIELD = "passed_to_police_at"


def clock_starts_at(report: Report) -> datetime:
    """When the police received the report."""
    if report.is_police:
        return report.received_at
    raw = report.body.get(PASSED_TO_POLICE_FIELD)
    if isinstance(raw, str):
        try:
            passed = datetime.fromisoformat(raw)
        except ValueError:
            return report.received_at
        if passed.tzinfo is not None and passed > report.received_at:
            return passed
    return report.received_at


def deadline(report: Report) -> datetime:
    """When the recording decision is due."""
    return clock_starts_at(report) + RECORDING_WINDOW


def within_24h(first_decided_at: datetime | None, due: datetime, as_of: datetime) -> bool | None:
    """True if decided in time; False if decided late, or undecided after the
    deadline; None while undecided and still in time."""
    if first_decided_at is not None and first_decided_at <= as_of:
        return first_decided_at <= due
    return False if as_of > due else None
