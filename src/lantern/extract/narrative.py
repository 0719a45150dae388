"""Reading one narrative: the spaCy pipeline (a blank English tokenizer and
sentencizer, no statistical model) and the rules that turn its text into
mentions, indicators, disclosures and links, joined to the report's
structured fields."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from lantern.domain import (
    DateMention,
    Extraction,
    Indicator,
    LocationMention,
    PersonMention,
    PhoneMention,
    Report,
    Span,
    VehicleMention,
)
from lantern.domain.mentions import mention_id
from lantern.extract.context import Context
from lantern.extract.disclosures import find_disclosures
from lantern.extract.indicators import find_indicators
from lantern.extract.links import Item, attach, find_links
from lantern.extract.people import FoundPerson, find_people
from lantern.extract.people_index import PeopleIndex, Who
from lantern.extract.places import find_places
from lantern.extract.vehicles import find_vehicles
from lantern.types import age as age_type
from lantern.types import dates as date_type
from lantern.types import name as name_type
from lantern.types import phone as phone_type

CHILD_ROLES = ("victim", "person-at-risk", "missing-person")
_SUSPECT_BEFORE = re.compile(
    r"\b(?:suspects?|offenders?|perpetrators?|accused|nominal|subject)[\s:,]*$"
)
_WITNESS = re.compile(r"\b(?:witness\w*|saw|seen by|observed)\b")
# "Nicky said that Andy gave her £50": the one giving the account.
_SPEAKER_AFTER = re.compile(
    r"^\s+(?:said|says|stated|states|explained|explains|told(?:\s+\w+){0,2}?)\s+that\b"
)
# Endings of pet forms of given names (Nicky, Nikki, Sammy, Katie).
_PET_ENDING = re.compile(r"(?:ie|ee|y|i)$")


@cache
def pipeline() -> Language:
    """spaCy's blank English pipeline with a rule-based sentencizer."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@dataclass(frozen=True, slots=True)
class Narrative:
    """What was read from a narrative, before it joins the structured fields."""

    people: list[PersonMention]
    vehicles: list[VehicleMention]
    phones: list[PhoneMention]
    locations: list[LocationMention]
    dates: list[DateMention]


def read(report: Report, doc: Doc, structured: Extraction) -> Extraction:
    """The Extraction of a report: its structured mentions and what its
    narrative (already run through ``pipeline()``) says."""
    text = report.narrative
    today = report.received_at.date()
    ctx = Context(text, [s.start_char for s in doc.sents])
    found = find_people(ctx, today)
    key = (report.agency, report.id)
    people = [_person(key, i, p, text) for i, p in enumerate(found)]
    vehicles = [
        VehicleMention(
            mention_id(*key, "vehicle", i), text[v.start : v.end], Span(v.start, v.end),
            vrm=v.vrm, partial=v.partial, make=v.make, model=v.model, colour=v.colour,
        )
        for i, v in enumerate(find_vehicles(text))
    ]  # fmt: skip
    phones = [
        PhoneMention(mention_id(*key, "telephone", i), text[s:e], Span(s, e), number)
        for i, (s, e, number) in enumerate(phone_type.find(text))
    ]
    locations = [
        LocationMention(
            mention_id(*key, "location", i), text[p.start : p.end], Span(p.start, p.end),
            name=p.name, address=p.address, postcode=p.postcode, place_kind=p.place_kind,
        )
        for i, p in enumerate(find_places(text))
    ]  # fmt: skip
    dates = [
        DateMention(mention_id(*key, "date", i), text[s:e], Span(s, e), value, relative)
        for i, (s, e, value, relative) in enumerate(date_type.find(text, today))
    ]
    # numbers that are phones, plates or postcodes are not dates or ages
    dates = [d for d in dates if not _inside_any(d.span, phones, vehicles, locations)]
    people = _join_structured(people, found, structured.people)
    # names are masked so cue phrases read "a person", and names that are
    # ordinary words (Will, Hope) are not read as words; descriptions stay
    # readable ("an older male" is itself a cue)
    ctx.mask(
        [
            (p.span.start, p.span.end)
            for p, raw in zip(people, found, strict=True)
            if not raw.description
        ]
    )
    again = _children_named_again(ctx, people, found)
    index = PeopleIndex(ctx, _whos(people, found, structured.people, today, again))
    venues = [
        (p.span.start, p.span.end)
        for p in locations
        if p.place_kind in ("hotel", "takeaway", "flat") or (p.address or "").startswith("Flat")
    ]
    indicators = find_indicators(ctx, index, venues)
    occurred = _occurred_on(report)
    disclosures = find_disclosures(ctx, index, dates, occurred)
    people = _roles(ctx, people, found, indicators, disclosures, again)
    people = _missing_on(people, indicators, dates, text, occurred)
    items = [Item(p.mention_id, "person", p.span.start, p.span.end) for p in people]
    items += [Item(v.mention_id, "vehicle", v.span.start, v.span.end) for v in vehicles]
    items += [Item(p.mention_id, "phone", p.span.start, p.span.end) for p in phones]
    items += [Item(p.mention_id, "location", p.span.start, p.span.end) for p in locations]
    links = find_links(ctx, sorted(items, key=lambda i: i.start))
    people, phones = attach(people, phones, locations, links)
    return replace(
        structured,
        people=structured.people + people,
        vehicles=structured.vehicles + vehicles,
        phones=structured.phones + phones,
        locations=structured.locations + locations,
        dates=dates,
        indicators=indicators,
        disclosures=disclosures,
        links=structured.links + links,
    )


def _person(key: tuple[str, str], i: int, p: FoundPerson, text: str) -> PersonMention:
    given = family = None
    if p.name:
        given, family = name_type.split(p.name)
    return PersonMention(
        mention_id=mention_id(*key, "person", i),
        text=text[p.start : p.end],
        span=Span(p.start, p.end),
        role="person-at-risk" if p.child else "professional" if p.professional else "other",
        name=p.name,
        given_name=given,
        family_name=family,
        aliases=list(dict.fromkeys(a for a in p.aliases if a and a != p.name)),
        description=p.description,
        sex=p.sex,
        age=p.age,
        dob=p.dob,
    )


def _inside_any(span: Span, *groups: Sequence[Any]) -> bool:
    return any(span.overlaps(item.span) for group in groups for item in group)


def _join_structured(
    people: list[PersonMention], found: list[FoundPerson], subjects: list[PersonMention]
) -> list[PersonMention]:
    """A narrative mention with the same name as a structured subject keeps
    its own span but takes the subject's ref, role and known facts."""
    out = []
    for person, raw in zip(people, found, strict=True):
        match = next((s for s in subjects if _same_person(person, s)), None)
        if match is not None and raw.family and match.role in CHILD_ROLES:
            match = None  # "her mother Laura Smith" is not the child of the same name
        if match is None:
            out.append(person)
            continue
        out.append(
            replace(
                person,
                ref=match.ref,
                role=match.role if match.role != "other" else person.role,
                sex=person.sex or match.sex,
                age=person.age if person.age is not None else match.age,
                dob=person.dob or match.dob,
            )
        )
    return out


def _same_person(mention: PersonMention, subject: PersonMention) -> bool:
    if not mention.name or not subject.name:
        return False
    a, b = name_type.key(mention.name), name_type.key(subject.name)
    if a == b:
        return True
    aliases = {name_type.key(x) for x in subject.aliases}
    if a in aliases:
        return True
    ga, fa = name_type.split(mention.name)
    gb, fb = name_type.split(subject.name)
    if fa and fb:
        return name_type.key(fa) == name_type.key(fb) and name_type.same_given_name(
            ga or "", gb or ""
        )
    return False


def _children_named_again(
    ctx: Context, people: list[PersonMention], found: list[FoundPerson]
) -> dict[int, int]:
    """Mentions of a child by first name alone ("Nicola Hill (16)… Nicky
    said that…"), by index, to the index of the earlier full-name mention of
    the child: the first name is the child's given name or a short form of it
    (the nickname tables, or a pet form such as Nicky for Nicola), in a later
    sentence, with no age of its own, and no adult named earlier could be
    meant. Such a mention is the child, not a new person of unknown role."""
    out: dict[int, int] = {}
    for j, (person, raw) in enumerate(zip(people, found, strict=True)):
        words = (person.name or "").split()
        if (
            len(words) != 1
            or person.ref is not None
            or person.age is not None
            or raw.description
            or raw.professional
            or raw.family
            or raw.quoted
        ):
            continue
        children, adults = [], []
        for i in range(j):
            other, other_raw = people[i], found[i]
            given = (other.name or "").split()[:1]
            if not given or not _may_be_short_for(words[0], given[0]):
                continue
            child = not other_raw.family and (
                other_raw.child
                or other.role in CHILD_ROLES
                or (other.age is not None and other.age < 18)
            )
            if not child:
                adults.append(i)
            elif len((other.name or "").split()) >= 2 and ctx.sentence_index(
                other.span.start
            ) != ctx.sentence_index(person.span.start):
                children.append(i)
        if children and not adults:
            out[j] = children[-1]
    return out


def _may_be_short_for(short: str, given: str) -> bool:
    """True when ``short`` may be how ``given`` is written: the same name, a
    nickname in the tables, or a pet form of its first syllable (Nicky or
    Nikki for Nicola, Sammy for Samantha)."""
    if name_type.same_given_name(short, given):
        return True
    word, full = name_type.key(short), name_type.key(given)
    stem = _PET_ENDING.sub("", word)
    if stem == word or len(stem) < 3 or len(word) >= len(full):
        return False
    if stem[-1] == stem[-2]:
        stem = stem[:-1]  # Sammy, Nikki
    return _hard_c(full).startswith(_hard_c(stem))


def _hard_c(name: str) -> str:
    """One spelling for the hard c sound (Nikki, Nicky, Nicola)."""
    return name.replace("ck", "c").replace("k", "c")


def _whos(
    people: list[PersonMention],
    found: list[FoundPerson],
    subjects: list[PersonMention],
    today: date,
    again: dict[int, int],
) -> list[Who]:
    out = []
    for j in again:
        found[j].child = True
    child_names = {
        name_type.key(p.name)
        for p, raw in zip(people, found, strict=True)
        if p.name and not raw.family and (raw.child or (p.age is not None and p.age < 18))
    }
    ages: dict[str, int] = {}
    for p in people:
        if p.name and p.age is not None:
            ages.setdefault(name_type.key(p.name), p.age)
    for person, raw in zip(people, found, strict=True):
        raw.child = raw.child or (
            person.name is not None and name_type.key(person.name) in child_names
        )
        child = not raw.family and (
            raw.child or person.role in CHILD_ROLES or (person.age is not None and person.age < 18)
        )
        out.append(
            Who(
                person.mention_id, person.span.start, person.span.end, child=child,
                adult=not child and (person.age is not None or raw.description is not None or raw.family),
                sex=person.sex, professional=raw.professional, family=raw.family,
                age=person.age if person.age is not None or not person.name else ages.get(name_type.key(person.name)),
                suspect=person.role == "suspect", quoted=raw.quoted and not raw.description,
                dob=person.dob,
            )
        )  # fmt: skip
    for s in subjects:
        child = s.role in CHILD_ROLES or (s.age is not None and s.age < 18)
        out.append(
            Who(s.mention_id, -1, -1, child=child, adult=not child, sex=s.sex,
                age=s.age if s.age is not None or s.dob is None else age_type.on(s.dob, today),
                suspect=s.role == "suspect", dob=s.dob)
        )  # fmt: skip
    return out


def _roles(
    ctx: Context,
    people: list[PersonMention],
    found: list[FoundPerson],
    indicators: list,
    disclosures: list,
    again: dict[int, int],
) -> list[PersonMention]:
    victims = {d.victim for d in disclosures}
    at_risk = {i.child for i in indicators}
    offenders = {o for d in disclosures for o in d.offenders}
    concern = bool(indicators or disclosures)
    out: list[PersonMention] = []
    for j, (person, raw) in enumerate(zip(people, found, strict=True)):
        role = person.role
        if person.ref is None:
            if person.mention_id in victims:
                role = "victim"
            elif j in again:
                role = out[again[j]].role  # the child named again takes the child's role
            elif raw.child or person.mention_id in at_risk:
                role = "person-at-risk"
            elif raw.professional:
                role = "professional"
            elif person.mention_id in offenders or _SUSPECT_BEFORE.search(
                ctx.lower[max(0, person.span.start - 25) : person.span.start]
            ):
                role = "suspect"
            elif raw.family:
                role = "other"
            elif _WITNESS.search(ctx.lower[person.span.end : person.span.end + 25]):
                role = "witness"
            elif concern and _SPEAKER_AFTER.match(ctx.text[person.span.end : person.span.end + 30]):
                # one giving an account is a witness to it, not a presumed
                # suspect nor an associate (both put a person in the
                # suspects' graph): "Sam said that Mateusz gave her £20"
                role = "witness"
            elif concern and person.sex != "F":
                role = "suspect"
            elif concern:
                role = "associate"
        out.append(replace(person, role=role) if role != person.role else person)
    return out


# How far after the words that say a child went missing the date of it may
# be written ("her missing episode on 6 July 2014").
MISSING_DATE_REACH = 12


def _missing_on(
    people: list[PersonMention],
    indicators: list[Indicator],
    dates: list[DateMention],
    text: str,
    occurred: date | None,
) -> list[PersonMention]:
    """Each child the report says went missing, with the day: a date written
    just after the words that say so ("following her missing episode on 6
    July 2014"), else the day the report occurred (a missing-person report
    is made for the day the child went). The day of a missing episode ties a
    return interview's "Abi (12)" to the child reported missing that day."""
    days: dict[str, date] = {}
    for indicator in indicators:
        if indicator.code != "missing" or indicator.child is None or indicator.child in days:
            continue
        end = indicator.span.end
        written = [
            d.value
            for d in dates
            if d.value is not None
            and not d.relative
            and d.span.source == indicator.span.source
            and end <= d.span.start <= end + MISSING_DATE_REACH
            and "." not in text[end : d.span.start]
        ]
        day = written[0] if written else occurred
        if day is not None:
            days[indicator.child] = day
    return [
        replace(p, missing_on=days[p.mention_id]) if p.mention_id in days else p for p in people
    ]


def _occurred_on(report: Report) -> date | None:
    value = report.body.get("occurred_at")
    if isinstance(value, dict):
        value = value.get("start") or value.get("end")
    if not isinstance(value, str):
        return None
    try:
        return (
            datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value[:10])
        )
    except ValueError:
        return None
