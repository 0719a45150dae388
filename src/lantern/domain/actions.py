"""Actions, as in a major-incident room: raised, allocated, resulted, reviewed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ActionStatus(StrEnum):
    RAISED = "raised"
    ALLOCATED = "allocated"
    RESULTED = "resulted"
    REVIEWED = "reviewed"


@dataclass(frozen=True, slots=True)
class Action:
    action_id: int | None
    title: str
    raised_at: datetime
    raised_by: str
    source: str  # "alert:<id>", "report:<agency>/<id>" or "manual"
    priority: str = "medium"  # high, medium, low
    owner: str | None = None
    due: datetime | None = None
    status: ActionStatus = ActionStatus.RAISED
    result: str | None = None

    def is_overdue(self, now: datetime) -> bool:
        return (
            self.due is not None
            and now > self.due
            and self.status in (ActionStatus.RAISED, ActionStatus.ALLOCATED)
        )
