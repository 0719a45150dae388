"""Mentions from a report's structured fields (subjects, vehicles, phones,
locations, links). Spans point at the field, e.g. ``subjects[0]``."""

from __future__ import annotations

from datetime import date
from typing import Any

from lantern.domain import (
    Extraction,
    LocationMention,
    PersonMention,
    PhoneMention,
    Report,
    Span,
    StatedLink,
    VehicleMention,
)
from lantern.extract.links import attach
from lantern.types import name as name_type
from lantern.types import phone as phone_type
from lantern.types import postcode as postcode_type
from lantern.types import vrm as vrm_type


def _mid(report: Report, kind: str, index: int) -> str:
    return f"{report.agency}/{report.id}#s{kind}{index}"


def extract_structured(report: Report, revision: int, extractor: str) -> Extraction:
    people: list[PersonMention] = []
    vehicles: list[VehicleMention] = []
    phones: list[PhoneMention] = []
    locations: list[LocationMention] = []
    by_ref: dict[str, str] = {}

    for i, subject in enumerate(report.subjects):
        mid = _mid(report, "p", i)
        if subject.get("ref") is not None:
            by_ref[str(subject["ref"])] = mid
        shown = subject.get("name") or subject.get("description") or ""
        people.append(_person(subject, mid, Span(0, len(shown), f"subjects[{i}]")))
    for i, vehicle in enumerate(report.vehicles):
        mid = _mid(report, "v", i)
        if vehicle.get("ref") is not None:
            by_ref[str(vehicle["ref"])] = mid
        mark = vrm_type.normalise(vehicle["vrm"]) if vehicle.get("vrm") else None
        vehicles.append(
            VehicleMention(
                mention_id=mid,
                text=vehicle.get("vrm") or vehicle.get("description") or "",
                span=_whole(vehicle.get("vrm") or vehicle.get("description"), f"vehicles[{i}]"),
                vrm=mark[0] if mark else None,
                partial=mark[1] if mark else False,
                make=vehicle.get("make"),
                model=vehicle.get("model"),
                colour=vehicle.get("colour"),
                ref=_ref(vehicle),
            )
        )
    for i, item in enumerate(report.phones):
        number = phone_type.normalise(item.get("number") or "")
        if number is None:
            continue
        mid = _mid(report, "t", i)
        if item.get("ref") is not None:
            by_ref[str(item["ref"])] = mid
        phones.append(
            PhoneMention(
                mid,
                item.get("number") or "",
                _whole(item.get("number"), f"phones[{i}]"),
                number,
                ref=_ref(item),
            )
        )
    for i, place in enumerate(report.locations):
        mid = _mid(report, "l", i)
        if place.get("ref") is not None:
            by_ref[str(place["ref"])] = mid
        locations.append(
            LocationMention(
                mention_id=mid,
                text=place.get("name") or place.get("address") or place.get("postcode") or "",
                span=_whole(
                    place.get("name") or place.get("address") or place.get("postcode"),
                    f"locations[{i}]",
                ),
                name=place.get("name"),
                address=place.get("address"),
                postcode=postcode_type.normalise(place["postcode"])
                if place.get("postcode")
                else None,
                place_kind=place.get("kind"),
                ref=_ref(place),
            )
        )
    # phones owned by a subject
    phones = [_with_owner(p, by_ref, report) for p in phones]
    links = [
        StatedLink(
            by_ref[str(link["from"])],
            by_ref[str(link["to"])],
            link["kind"],
            Span(0, 1, f"links[{i}]"),
        )
        for i, link in enumerate(report.links)
        if str(link.get("from")) in by_ref and str(link.get("to")) in by_ref
    ]
    # the phones and addresses the subjects' links and owners give them
    people, phones = attach(people + _reporter(report), phones, locations, links)
    return Extraction(
        agency=report.agency,
        report_id=report.id,
        revision=revision,
        extractor=extractor,
        people=people,
        vehicles=vehicles,
        phones=phones,
        locations=locations,
        links=links,
    )


def _whole(text: str | None, source: str) -> Span:
    """The span of a whole structured field (as the truth records it)."""
    return Span(0, len(text or ""), source)


def _reporter(report: Report) -> list[PersonMention]:
    """The named reporter, as a person mention of the ``reporter`` field."""
    reporter = report.body.get("reporter")
    if not isinstance(reporter, dict) or not reporter.get("name"):
        return []
    name = str(reporter["name"])
    given, family = name_type.split(name)
    contact = (
        phone_type.normalise(str(reporter.get("contact") or ""))
        if reporter.get("contact")
        else None
    )
    return [
        PersonMention(
            mention_id=_mid(report, "r", 0),
            text=name,
            span=Span(0, len(name), "reporter"),
            role="reporter",
            name=name,
            given_name=given,
            family_name=family,
            description=reporter.get("role"),
            phones=[contact] if contact else [],
            ref="reporter",
        )
    ]


def _ref(item: dict[str, Any]) -> str | None:
    return None if item.get("ref") is None else str(item["ref"])


def _with_owner(mention: PhoneMention, by_ref: dict[str, str], report: Report) -> PhoneMention:
    for item in report.phones:
        if _ref(item) == mention.ref and item.get("owner_ref") is not None:
            owner = by_ref.get(str(item["owner_ref"]))
            if owner:
                return PhoneMention(
                    mention.mention_id,
                    mention.text,
                    mention.span,
                    mention.number,
                    owner,
                    mention.ref,
                )
    return mention


def _person(subject: dict[str, Any], mid: str, span: Span) -> PersonMention:
    name = subject.get("name")
    given, family = name_type.split(name) if name else (None, None)
    sex = (subject.get("sex") or "").strip().upper()[:1] or None
    phone = phone_type.normalise(subject["phone"]) if subject.get("phone") else None
    postcode = None
    address = subject.get("address")
    if address:
        tail = " ".join(address.replace(",", " ").split()[-2:])
        postcode = postcode_type.normalise(tail)
    return PersonMention(
        mention_id=mid,
        text=name or subject.get("description") or "",
        span=span,
        role=subject.get("role") or "other",
        name=name,
        given_name=given,
        family_name=family,
        aliases=list(subject.get("aliases") or []),
        description=subject.get("description"),
        sex=sex if sex in ("M", "F") else None,
        age=subject.get("age"),
        dob=date.fromisoformat(subject["dob"]) if subject.get("dob") else None,
        address=address,
        postcode=postcode,
        phones=[phone] if phone else [],
        identifiers={i["kind"]: i["value"] for i in subject.get("identifiers") or []},
        ref=_ref(subject),
    )
