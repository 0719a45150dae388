"""Relations the narrative states between its mentions: a person drives a
vehicle, lives at a place, uses a phone, is seen with another person or at a
place (takes a child there, works there)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from lantern.domain import LocationMention, PersonMention, PhoneMention, Span, StatedLink
from lantern.extract.context import Context

_DRIVES = re.compile(
    r"\b(?:driv\w+|drove|in (?:his|her|their) (?:\w+ ){0,3}(?:car|van|taxi)|owns?|behind the wheel|got out of|arrived in|pulled up in)\b"
)
_LIVES = re.compile(
    r"\b(?:lives?|living|lived|resides?|residing|staying|stays|address(?: is)?|home address|of)\b"
)
_PHONE = re.compile(
    r"\b(?:phone|mobile|number|no\.?|tel\.?|contact|on|uses?|using|rang|called|texts?|texted|messag\w+)\b"
)
# A place a person takes a child to, or works at: "a man she knows as 'Jim'
# took her to Flat 3, 32 Beech Crescent"; "he works at Village Chippy". The
# words come right before the place.
_VENUE = re.compile(
    r"\b(?:(?:took|taking|takes|brought|bringing|drove|driving) (?:her|him|them)(?: back| up)? to"
    r"|works? at|working at|booking rooms at)\s*$"
)
_WITH = re.compile(r"\b(?:with|and|alongside|accompanied by|together)\b")
# A number a child keeps under a name: "07700 900837, saved as 'Krzys'". The
# name is whose phone it is.
_SAVED_AS = re.compile(r"^[\s,]*(?:saved|stored|listed|in (?:her|his) phone) (?:as|under)\s*$")


@dataclass(frozen=True, slots=True)
class Item:
    """A mention's id, kind and narrative span, for finding links."""

    mention_id: str
    kind: str  # person, vehicle, phone, location
    start: int
    end: int
    adult: bool = False


def find_links(ctx: Context, items: list[Item]) -> list[StatedLink]:
    links: list[StatedLink] = []
    people = [i for i in items if i.kind == "person"]
    for item in items:
        if item.kind == "person":
            continue
        named = _saved_as(ctx, people, item) if item.kind == "phone" else None
        if named is not None:
            span = Span(item.start, named.end)
            links.append(StatedLink(named.mention_id, item.mention_id, "uses-phone", span))
            continue
        owner = _nearest_person_before(ctx, people, item)
        if owner is None:
            continue
        between = ctx.lower[owner.end : item.start]
        span = Span(owner.start, item.end)
        if item.kind == "vehicle" and _DRIVES.search(ctx.lower[owner.start : item.start + 1]):
            links.append(StatedLink(owner.mention_id, item.mention_id, "drives", span))
        elif item.kind == "location" and _LIVES.search(between) and len(between) < 40:
            links.append(StatedLink(owner.mention_id, item.mention_id, "lives-at", span))
        elif item.kind == "phone" and _PHONE.search(between[-20:]) and len(between) < 100:
            links.append(StatedLink(owner.mention_id, item.mention_id, "uses-phone", span))
        elif item.kind == "location" and _VENUE.search(between[-40:]):
            links.append(StatedLink(owner.mention_id, item.mention_id, "seen-with", span))
    for a, b in itertools.pairwise(people):
        if ctx.sentence_index(a.start) != ctx.sentence_index(b.start):
            continue
        between = ctx.lower[a.end : b.start]
        if (
            len(between) < 30
            and _WITH.search(between)
            and "seen" in ctx.lower[ctx.sentence(a.start)[0] : b.end]
        ):
            links.append(StatedLink(a.mention_id, b.mention_id, "seen-with", Span(a.start, b.end)))
    return links


def _saved_as(ctx: Context, people: list[Item], phone: Item) -> Item | None:
    """The person a phone number is saved as, named right after it."""
    after = [p for p in people if phone.end <= p.start <= phone.end + 30]
    if not after:
        return None
    between = ctx.lower[phone.end : after[0].start].rstrip("'\"‘“ ")
    return after[0] if _SAVED_AS.match(between) else None


def _nearest_person_before(ctx: Context, people: list[Item], item: Item) -> Item | None:
    sent_start, _ = ctx.sentence(item.start)
    before = [p for p in people if sent_start <= p.start and p.end <= item.start]
    return before[-1] if before else None


def attach(
    people: list[PersonMention],
    phones: list[PhoneMention],
    locations: list[LocationMention],
    links: list[StatedLink],
) -> tuple[list[PersonMention], list[PhoneMention]]:
    """Phones a person uses and the address they live at, from stated links
    and from phones already given an owner (a structured phone's
    ``owner_ref``): the number joins the person's phones, and the phone
    records its owner; the address fills the person's when they have none."""
    by_id = {p.mention_id: p for p in people}
    phone_by_id = {p.mention_id: p for p in phones}
    place_by_id = {p.mention_id: p for p in locations}

    def uses(person: PersonMention, phone: PhoneMention) -> None:
        if phone.number not in person.phones:
            by_id[person.mention_id] = replace(person, phones=[*person.phones, phone.number])
        phone_by_id[phone.mention_id] = replace(phone, owner=person.mention_id)

    for phone in phones:
        if phone.owner in by_id:
            uses(by_id[phone.owner], phone)
    for link in links:
        person = by_id.get(link.source)
        if person is None:
            continue
        if link.link_kind == "uses-phone" and link.target in phone_by_id:
            uses(person, phone_by_id[link.target])
        elif link.link_kind == "lives-at" and link.target in place_by_id:
            # an address the person already has (a structured subject's own)
            # is kept: the link only fills what is missing
            place = place_by_id[link.target]
            by_id[person.mention_id] = replace(
                person,
                address=person.address or place.address or place.name,
                postcode=person.postcode or place.postcode,
            )
    return [by_id[p.mention_id] for p in people], [phone_by_id[p.mention_id] for p in phones]
