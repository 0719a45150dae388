"""Survival-crime review: a person already known as a victim or a child at risk
(from earlier reports) who is now recorded as a suspect. Children exploited by
adults are often made to offend; the non-punishment principle (Modern Slavery
Act 2015 s45) means a supervisor must review that decision, seeing the
exploitation history.

Who is the same person: the resolved entity where resolution has run
(``entity_mentions``); before that, structured subjects with the same cleaned
name and the same date of birth, or, lacking one, a birth year (from the age
at the report) no more than a year apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from lantern.domain import Extraction, PersonMention
from lantern.types import name as name_type

VICTIM_ROLES = frozenset({"victim", "person-at-risk", "missing-person"})
SUSPECT_ROLE = "suspect"


@dataclass(frozen=True, slots=True)
class Appearance:
    """One mention of a person in one report."""

    mention_id: str
    agency: str
    report_id: str
    received_at: datetime
    role: str
    name: str | None = None
    birth_year: int | None = None
    dob: str | None = None
    age: int | None = None  # at the time of this report, where known

    def to_dict(self) -> dict[str, object]:
        return {
            "agency": self.agency,
            "report_id": self.report_id,
            "received_at": self.received_at.isoformat(),
            "role": self.role,
            "mention_id": self.mention_id,
        }


@dataclass(frozen=True, slots=True)
class Review:
    """A suspect known as a victim: the suspect appearance and the history."""

    suspect: Appearance
    person: str  # entity id, or the cleaned name where not resolved
    history: list[Appearance] = field(default_factory=list)
    entity: str | None = None  # the resolved person, where resolution has run


def appearances(extraction: Extraction, received_at: datetime) -> list[Appearance]:
    """The people of one report, each with their role there (a disclosure's
    victim and an indicator's child count as victims)."""
    victims = {d.victim for d in extraction.disclosures if d.victim}
    victims |= {i.child for i in extraction.indicators if i.child}
    out = []
    for person in extraction.people:
        role = person.role
        if role not in VICTIM_ROLES and role != SUSPECT_ROLE and person.mention_id in victims:
            role = "victim"
        out.append(
            Appearance(
                mention_id=person.mention_id,
                agency=extraction.agency,
                report_id=extraction.report_id,
                received_at=received_at,
                role=role,
                name=_clean_name(person),
                birth_year=_birth_year(person, received_at),
                dob=person.dob.isoformat() if person.dob else None,
                age=_age(person, received_at),
            )
        )
    return out


def _clean_name(person: PersonMention) -> str | None:
    if not person.name or not person.span.source.startswith("subjects["):
        return None
    cleaned = name_type.clean(person.name).casefold()
    return cleaned if len(cleaned.split()) >= 2 else None


def _age(person: PersonMention, received_at: datetime) -> int | None:
    if person.age is not None:
        return person.age
    if person.dob is not None:
        day = received_at.date()
        return (
            day.year - person.dob.year - ((day.month, day.day) < (person.dob.month, person.dob.day))
        )
    return None


def known_as_child_victim(appearance: Appearance) -> bool:
    """A child at risk or missing, or a victim not known to be an adult then
    (an adult "victim" of an assault by a child is not what this review is for)."""
    if appearance.role not in VICTIM_ROLES:
        return False
    return appearance.role != "victim" or appearance.age is None or appearance.age < 18


def _birth_year(person: PersonMention, received_at: datetime) -> int | None:
    if person.dob:
        return person.dob.year
    if person.age is not None:
        return received_at.year - person.age
    return None


def _same_person_by_name(a: Appearance, b: Appearance) -> bool:
    if a.name is None or a.name != b.name:
        return False
    if a.dob and b.dob:
        return a.dob == b.dob
    if a.birth_year is None or b.birth_year is None:
        return False
    return abs(a.birth_year - b.birth_year) <= 1


def find_reviews(people: Iterable[Appearance], entity_of: dict[str, str]) -> list[Review]:
    """Every suspect appearance of a person who appeared earlier as a victim,
    child at risk or missing child."""
    ordered = sorted(people, key=lambda a: (a.received_at, a.agency, a.report_id))
    by_entity: dict[str, list[Appearance]] = defaultdict(list)
    by_name: dict[str, list[Appearance]] = defaultdict(list)
    reviews: list[Review] = []
    for appearance in ordered:
        entity = entity_of.get(appearance.mention_id)
        if appearance.role == SUSPECT_ROLE:
            if entity is not None:
                earlier = [a for a in by_entity[entity] if a.received_at < appearance.received_at]
                person = entity
            elif appearance.name is not None:
                earlier = [
                    a
                    for a in by_name[appearance.name]
                    if a.received_at < appearance.received_at
                    and _same_person_by_name(a, appearance)
                ]
                person = appearance.name
            else:
                earlier = []
            if earlier:
                once = {(a.agency, a.report_id, a.role): a for a in earlier}
                reviews.append(Review(appearance, person, list(once.values()), entity))
        elif known_as_child_victim(appearance):
            if entity is not None:
                by_entity[entity].append(appearance)
            if appearance.name is not None:
                by_name[appearance.name].append(appearance)
    return reviews
