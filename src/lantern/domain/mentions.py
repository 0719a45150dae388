"""What extraction finds in a report: mentions of people, vehicles, phones,
places and dates, risk indicators, disclosures of offences, stated links.

Every item keeps the character span it came from so the UI can highlight it
and a reviewer can correct it. Items from the report's structured fields have
``span.source`` set to the field path (e.g. ``subjects[0]``) instead of
``narrative``.

All types round-trip through plain JSON-able dicts (``to_dict``/``from_dict``)
because extraction results are stored as findings.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar, Self

# Roles a person can have within one report. Structured subjects use the
# interchange roles; extraction adds "professional" for the workers who write
# or appear in reports in a professional capacity.
PERSON_ROLES = (
    "victim",
    "person-at-risk",
    "suspect",
    "associate",
    "witness",
    "missing-person",
    "reporter",
    "professional",
    "other",
)


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start``..``end`` (end exclusive) of ``source``."""

    start: int
    end: int
    source: str = "narrative"

    def overlaps(self, other: Span) -> bool:
        return self.source == other.source and self.start < other.end and other.start < self.end


class _Record:
    """Dict round-trip shared by every finding type."""

    __slots__ = ()
    kind: ClassVar[str] = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            out[f.name] = _encode(getattr(self, f.name))
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        hints = _type_hints(cls)  # type: ignore[arg-type]
        kwargs = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name in data:
                kwargs[f.name] = _decode(hints[f.name], data[f.name])
        return cls(**kwargs)


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    """A record class's resolved annotations (resolving them is slow: done once)."""
    return typing.get_type_hints(cls)


def _encode(value: Any) -> Any:
    if isinstance(value, _Record):
        return value.to_dict()
    if isinstance(value, Span):
        return {"start": value.start, "end": value.end, "source": value.source}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode(args[0], value) if len(args) == 1 else value
    if origin in (list, tuple):
        (inner, *_) = typing.get_args(hint) or (Any,)
        return [_decode(inner, v) for v in value]
    if origin is dict:
        kv = typing.get_args(hint)
        inner = kv[1] if len(kv) == 2 else Any
        return {k: _decode(inner, v) for k, v in value.items()}
    if hint is Span:
        return Span(**value)
    if isinstance(hint, type) and issubclass(hint, _Record):
        return hint.from_dict(value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    return value


@dataclass(frozen=True, slots=True)
class PersonMention(_Record):
    """One mention of a person in one report, with whatever the report gives."""

    kind: ClassVar[str] = "person"
    mention_id: str
    text: str
    span: Span
    role: str = "other"
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    sex: str | None = None  # "M", "F" or None
    age: int | None = None  # age at the time of the report
    dob: date | None = None
    address: str | None = None
    postcode: str | None = None
    phones: list[str] = field(default_factory=list)  # E.164
    identifiers: dict[str, str] = field(default_factory=dict)
    ref: str | None = None  # the structured subject's ref, if any
    # the day the report says this person went missing: a missing-person
    # report's child, the child of a return interview after that episode
    missing_on: date | None = None

    @property
    def is_child(self) -> bool | None:
        if self.age is None:
            return None
        return self.age < 18


@dataclass(frozen=True, slots=True)
class VehicleMention(_Record):
    """A vehicle. ``vrm`` is the normalised registration mark; a partial mark
    keeps the characters it knows, with ``?`` for unknown positions and
    ``partial`` set (``*`` at either end means any number of unknown characters)."""

    kind: ClassVar[str] = "vehicle"
    mention_id: str
    text: str
    span: Span
    vrm: str | None = None
    partial: bool = False
    make: str | None = None
    model: str | None = None
    colour: str | None = None
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class PhoneMention(_Record):
    kind: ClassVar[str] = "phone"
    mention_id: str
    text: str
    span: Span
    number: str  # E.164, e.g. +447700900123
    owner: str | None = None  # mention_id of the person who uses it
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class LocationMention(_Record):
    """A place: an address, a postcode, or a named place with its kind
    (home, takeaway, hotel, taxi-office, park, flat, school, childrens-home…)."""

    kind: ClassVar[str] = "location"
    mention_id: str
    text: str
    span: Span
    name: str | None = None
    address: str | None = None
    postcode: str | None = None
    place_kind: str | None = None
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class DateMention(_Record):
    kind: ClassVar[str] = "date"
    mention_id: str
    text: str
    span: Span
    value: date | None = None
    relative: bool = False


@dataclass(frozen=True, slots=True)
class Indicator(_Record):
    """A risk indicator for a child (codes in ``data/indicators.yaml``)."""

    kind: ClassVar[str] = "indicator"
    code: str
    text: str
    span: Span
    child: str | None = None  # mention_id of the child it is about


@dataclass(frozen=True, slots=True)
class Disclosure(_Record):
    """What the text says was done to whom: the facts a recording decision needs.

    ``act`` is one of the act codes in ``data/offences.yaml`` (e.g.
    ``penile-penetration``, ``sexual-touching``, ``paying-for-sex``). ``facts``
    maps each fact used (``act``, ``child_age``, ``payment``…) to the span it
    came from. ``incident`` groups acts of one incident within the report.
    """

    kind: ClassVar[str] = "disclosure"
    act: str
    text: str
    span: Span
    victim: str | None = None  # mention_id
    offenders: list[str] = field(default_factory=list)  # mention_ids
    child_age: int | None = None
    child_dob: date | None = None
    offender_age: int | None = None
    payment: bool = False
    gifts: bool = False
    online: bool = False
    taking_child: bool = False
    position_of_trust: bool = False
    consent_stated: bool = False
    occurred_on: date | None = None
    incident: int = 0
    facts: dict[str, Span] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StatedLink(_Record):
    """A relation the report states: drives, owns, lives-at, uses-phone,
    associate-of, relative-of, seen-with."""

    kind: ClassVar[str] = "link"
    source: str  # mention_id
    target: str  # mention_id
    link_kind: str
    span: Span


@dataclass(frozen=True, slots=True)
class Extraction(_Record):
    """Everything extraction found in one revision of one report."""

    kind: ClassVar[str] = "extraction"
    agency: str
    report_id: str
    revision: int
    extractor: str  # name and version of what produced it
    people: list[PersonMention] = field(default_factory=list)
    vehicles: list[VehicleMention] = field(default_factory=list)
    phones: list[PhoneMention] = field(default_factory=list)
    locations: list[LocationMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    disclosures: list[Disclosure] = field(default_factory=list)
    links: list[StatedLink] = field(default_factory=list)


def mention_id(agency: str, report_id: str, kind: str, n: int) -> str:
    """A mention's identifier: stable for a given report and extractor output."""
    return f"{agency}/{report_id}#{kind[0]}{n}"
