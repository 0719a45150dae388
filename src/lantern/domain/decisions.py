"""Decisions: what people decide. Facts, like reports — never deleted or overwritten;
a later decision supersedes an earlier one about the same subject."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class DecisionKind(StrEnum):
    RECORD_CRIME = "record-crime"  # payload: crime_reference, offences, victim
    NO_CRIME = "no-crime"  # payload: reason (a Counting Rules reason)
    CANCEL_CRIME = "cancel-crime"  # payload: reason, verifiable_information, authorised_by
    SAME_ENTITY = "same-entity"  # subject: mention/entity pair
    NOT_SAME_ENTITY = "not-same-entity"
    CORRECT_EXTRACTION = "correct-extraction"  # payload: the corrected item
    SURVIVAL_REVIEW = "survival-review"  # payload: outcome, notes
    SHARE_BACK = "share-back"  # payload: agency, text


@dataclass(frozen=True, slots=True)
class Decision:
    kind: DecisionKind
    subject: str  # what it is about, e.g. "report:syp/123" or "pair:m1|m2"
    actor: str  # a user name, or "system"
    made_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    decision_id: int | None = None
