"""A supervisor's review of a survival-crime alert: a decision (a fact, in the
audit log) with its outcome; the alert then reads ``reviewed``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from lantern import clock
from lantern.domain import Decision, DecisionKind
from lantern.recording.decisions import DecisionRefused, write

OUTCOMES = (
    "treat-as-victim",  # no further action against the child as a suspect
    "statutory-defence-considered",  # Modern Slavery Act 2015 s45 considered, proceed
    "not-exploitation-related",
)


def record_review(
    conn: Connection,
    *,
    alert_id: str,
    actor: str,
    outcome: str,
    notes: str,
    at: datetime | None = None,
) -> Decision:
    """Records the supervisor's review of alert ``alert_id``."""
    if outcome not in OUTCOMES:
        raise DecisionRefused(f"outcome must be one of {', '.join(OUTCOMES)}")
    if not notes.strip():
        raise DecisionRefused("a review needs the supervisor's reasons")
    return write(
        conn,
        Decision(
            DecisionKind.SURVIVAL_REVIEW,
            f"alert:{alert_id}",
            actor,
            at or clock.now(),
            {"outcome": outcome, "notes": notes.strip()},
        ),
    )
