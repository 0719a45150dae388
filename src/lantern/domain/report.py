"""A report: anything an agency or a member of the public tells Lantern.

Reports are facts: never deleted or overwritten. (agency, id) is a report's
identity; a changed report is stored as a new revision beside the old one.
The fields follow ``shared/spec/interchange.md`` section 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lantern.domain.grading import Grading

AGENCY_TYPES = (
    "police",
    "social-care",
    "health",
    "education",
    "housing",
    "voluntary",
    "business",
    "public",
)
SUBJECT_ROLES = (
    "victim",
    "person-at-risk",
    "suspect",
    "associate",
    "witness",
    "missing-person",
    "reporter",
    "other",
)
LINK_KINDS = (
    "drives",
    "owns",
    "lives-at",
    "uses-phone",
    "associate-of",
    "relative-of",
    "seen-with",
)


@dataclass(frozen=True, slots=True)
class Report:
    """One report as received. ``body`` is the full JSON object as sent
    (unknown fields included), so nothing the sender wrote is lost."""

    agency: str
    id: str
    received_at: datetime
    narrative: str
    agency_type: str | None = None
    channel: str | None = None
    grading: Grading | None = None
    body: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> Report:
        """The Report for a body that has passed intake validation."""
        grading = body.get("grading")
        return cls(
            agency=body["agency"],
            id=body["id"],
            received_at=datetime.fromisoformat(body["received_at"]),
            narrative=body["narrative"],
            agency_type=body.get("agency_type"),
            channel=body.get("channel"),
            grading=Grading(
                source=grading.get("source"),
                intelligence=grading.get("intelligence"),
                handling=grading.get("handling") or "P",
                conditions=grading.get("conditions"),
            )
            if grading
            else None,
            body=body,
        )

    @property
    def key(self) -> tuple[str, str]:
        return (self.agency, self.id)

    @property
    def is_police(self) -> bool:
        return self.agency_type == "police"

    @property
    def subjects(self) -> list[dict[str, Any]]:
        return list(self.body.get("subjects") or [])

    @property
    def vehicles(self) -> list[dict[str, Any]]:
        return list(self.body.get("vehicles") or [])

    @property
    def phones(self) -> list[dict[str, Any]]:
        return list(self.body.get("phones") or [])

    @property
    def locations(self) -> list[dict[str, Any]]:
        return list(self.body.get("locations") or [])

    @property
    def links(self) -> list[dict[str, Any]]:
        return list(self.body.get("links") or [])

    @property
    def handling(self) -> str:
        return self.grading.handling if self.grading else "P"
