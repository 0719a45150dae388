"""A report being written, with every span the truth must record.

A ``Draft`` is built piece by piece: plain text, and mentions of people,
vehicles, phones and places, disclosures, indicators and phrases, each recorded
with its exact character span as it is appended. ``town`` later gives it an id
and turns it into an interchange line and its truth entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lantern.sim.world import Person, Phone, Place, Vehicle


@dataclass(frozen=True, slots=True)
class Agency:
    code: str
    agency_type: str
    prefix: str  # report id prefix, e.g. "CBP-INC"


@dataclass
class Span:
    field: str
    start: int
    end: int
    text: str


@dataclass
class Draft:
    kind: str
    agency: Agency
    received_at: datetime
    channel: str | None = None
    occurred: date | None = None
    group: str | None = None  # the group whose activity it reports
    parts: list[str] = field(default_factory=list)
    pos: int = 0
    people: list[tuple[Span, str, str]] = field(default_factory=list)  # span, person_id, role
    vehicle_mentions: list[tuple[Span, str, str]] = field(default_factory=list)  # span, id, form
    phone_mentions: list[tuple[Span, str]] = field(default_factory=list)
    place_mentions: list[tuple[Span, str]] = field(default_factory=list)
    disclosures: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    blaming: list[dict[str, Any]] = field(default_factory=list)
    quoted: list[dict[str, Any]] = field(default_factory=list)
    offences: list[dict[str, Any]] = field(default_factory=list)
    survival: list[str] = field(default_factory=list)  # person_ids recorded as suspects
    safeguarding_only: bool = False
    duplicate_of: Draft | None = None
    duplicate_kind: str | None = None
    subjects: list[dict[str, Any]] = field(default_factory=list)
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    phones: list[dict[str, Any]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    reporter: dict[str, Any] | None = None
    grading: dict[str, Any] | None = None
    report_id: str = ""  # given by town once all reports are sorted

    # -- narrative ----------------------------------------------------------
    @property
    def narrative(self) -> str:
        return "".join(self.parts).rstrip()

    def say(self, text: str) -> Span:
        """Append plain text (one space where two would meet); return its span."""
        if text.startswith(" ") and self.parts and self.parts[-1].endswith(" "):
            text = text[1:]
        span = Span("narrative", self.pos, self.pos + len(text), text)
        self.parts.append(text)
        self.pos += len(text)
        return span

    def person(self, p: Person, text: str, role: str) -> None:
        self.people.append((self.say(text), p.person_id, role))

    def vehicle(self, v: Vehicle, text: str, form: str = "full") -> None:
        self.vehicle_mentions.append((self.say(text), v.vehicle_id, form))

    def phone(self, t: Phone, text: str) -> None:
        self.phone_mentions.append((self.say(text), t.phone_id))

    def place(self, loc: Place, text: str) -> None:
        self.place_mentions.append((self.say(text), loc.location_id))

    def blame(self, phrase: str) -> None:
        span = self.say(phrase)
        self.blaming.append({"phrase": phrase, "start": span.start, "end": span.end})

    def quote(self, phrase: str) -> None:
        span = self.say(phrase)
        self.quoted.append({"phrase": phrase, "start": span.start, "end": span.end})

    @contextmanager
    def disclosure(self, act: str, victim: Person) -> Iterator[None]:
        start = self.pos
        yield
        self.disclosures.append(
            {"act": act, "victim": victim.person_id, "start": start, "end": self.pos}
        )

    @contextmanager
    def indicator(self, code: str, child: Person) -> Iterator[None]:
        start = self.pos
        yield
        self.indicators.append(
            {"code": code, "person_id": child.person_id, "start": start, "end": self.pos}
        )

    def offence(self, section: str, victim: Person, incident: int, incident_id: str) -> None:
        self.offences.append(
            {
                "act_section": section,
                "victim": victim.person_id,
                "incident": incident,
                "incident_id": incident_id,
            }
        )

    # -- structured fields --------------------------------------------------
    def subject(self, p: Person, role: str, text: str | None, **fields: Any) -> str:
        """A structured subject; ``text`` is the name as written (None: description only)."""
        ref = f"s{len(self.subjects) + 1}"
        item: dict[str, Any] = {"ref": ref, "role": role}
        if text is not None:
            item["name"] = text
        item.update({k: v for k, v in fields.items() if v is not None})
        shown = item.get("name") or item.get("description")
        if shown:
            where = f"subjects[{len(self.subjects)}]"
            self.people.append((Span(where, 0, len(shown), shown), p.person_id, role))
        self.subjects.append(item)
        return ref

    def vehicle_field(
        self, v: Vehicle, vrm_text: str | None, form: str = "full", **fields: Any
    ) -> str:
        ref = f"v{len(self.vehicles) + 1}"
        item: dict[str, Any] = {"ref": ref}
        if vrm_text is not None:
            item["vrm"] = vrm_text
        item.update({k: val for k, val in fields.items() if val is not None})
        shown = item.get("vrm") or item.get("description")
        if shown:
            where = f"vehicles[{len(self.vehicles)}]"
            self.vehicle_mentions.append((Span(where, 0, len(shown), shown), v.vehicle_id, form))
        self.vehicles.append(item)
        return ref

    def phone_field(self, t: Phone, text: str, owner_ref: str | None = None) -> str:
        ref = f"t{len(self.phones) + 1}"
        item: dict[str, Any] = {"ref": ref, "number": text}
        if owner_ref:
            item["owner_ref"] = owner_ref
        self.phone_mentions.append(
            (Span(f"phones[{len(self.phones)}]", 0, len(text), text), t.phone_id)
        )
        self.phones.append(item)
        return ref

    def location_field(self, loc: Place, with_postcode: bool = True) -> str:
        ref = f"l{len(self.locations) + 1}"
        item: dict[str, Any] = {"ref": ref, "kind": loc.kind}
        if loc.name and loc.name != loc.address:
            item["name"] = loc.name
        item["address"] = loc.address
        if with_postcode:
            item["postcode"] = loc.postcode
        shown = item.get("name") or item["address"]
        self.place_mentions.append(
            (Span(f"locations[{len(self.locations)}]", 0, len(shown), shown), loc.location_id)
        )
        self.locations.append(item)
        return ref

    def link(self, source: str, target: str, kind: str) -> None:
        self.links.append({"from": source, "to": target, "kind": kind})

    def reported_by(
        self, p: Person | None, role: str, text: str | None = None, contact: str | None = None
    ) -> None:
        """The structured reporter (``text`` is their name as written)."""
        item: dict[str, Any] = {"role": role}
        if text:
            item["name"] = text
            if p is not None:
                self.people.append((Span("reporter", 0, len(text), text), p.person_id, "reporter"))
        if contact:
            item["contact"] = contact
        self.reporter = item
