"""Vehicles, phones and places: resolved by their normalised values.

- A vehicle with a full registration mark is one entity per mark. A partial
  mark ("YX5?", "ends 4KD") is never merged: it stays its own entity and
  becomes a candidate link to every known vehicle whose mark it fits.
- A phone is one entity per E.164 number.
- A place is joined to another that shares its normalised street address, or
  its postcode and house number, or its name and area (postcode district or
  street); a street named without a number is one place ("on Kirk Lane"); a
  named place with no area joins the one known place of that name when there
  is exactly one, and when none is known by area, every mention of that name
  is one place ("Calderbridge Academy"); with two or more ("Star Pizza" in
  two districts) it stays apart.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lantern.domain import Extraction, LocationMention
from lantern.resolve import addresses
from lantern.types import vrm as vrm_type


@dataclass(slots=True)
class ObjectMention:
    """An object mention with what resolution and export need to know of it."""

    mention_id: str
    kind: str  # vehicle | phone | location
    report_pk: int
    text: str
    data: dict[str, Any]


@dataclass(slots=True)
class ObjectEntity:
    entity_id: str
    kind: str
    label: str
    data: dict[str, Any]
    mentions: list[str] = field(default_factory=list)
    reasons: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass(slots=True)
class Resolved:
    entities: list[ObjectEntity]
    candidates: list[dict[str, str]]  # partial-plate candidate links


def entity_id(kind: str, key: str) -> str:
    return f"{kind}:{hashlib.sha1(key.encode()).hexdigest()[:16]}"


def object_mentions(report_pk: int, extraction: Extraction) -> list[ObjectMention]:
    out = [
        ObjectMention(
            v.mention_id,
            "vehicle",
            report_pk,
            v.text,
            {
                "vrm": v.vrm,
                "partial": bool(v.partial),
                "make": v.make,
                "model": v.model,
                "colour": v.colour,
            },
        )
        for v in extraction.vehicles
    ]
    out += [
        ObjectMention(
            t.mention_id, "phone", report_pk, t.text, {"number": t.number, "owner": t.owner}
        )
        for t in extraction.phones
    ]
    out += [_location(loc, report_pk) for loc in extraction.locations]
    return out


def _location(loc: LocationMention, report_pk: int) -> ObjectMention:
    postcode = loc.postcode or addresses.postcode_in(loc.address)
    return ObjectMention(
        loc.mention_id,
        "location",
        report_pk,
        loc.text,
        {
            "name": loc.name,
            "address": loc.address,
            "postcode": postcode,
            "place_kind": loc.place_kind,
        },
    )


def resolve(mentions: Iterable[ObjectMention]) -> Resolved:
    by_kind: dict[str, list[ObjectMention]] = defaultdict(list)
    for m in mentions:
        by_kind[m.kind].append(m)
    vehicles, candidates = _vehicles(by_kind["vehicle"])
    return Resolved(vehicles + _phones(by_kind["phone"]) + _places(by_kind["location"]), candidates)


def _vehicles(mentions: list[ObjectMention]) -> tuple[list[ObjectEntity], list[dict[str, str]]]:
    full: dict[str, ObjectEntity] = {}
    partial: list[ObjectMention] = []
    for m in sorted(mentions, key=lambda x: x.mention_id):
        mark = m.data["vrm"]
        if not mark or m.data["partial"]:
            partial.append(m)
            continue
        ent = full.get(mark)
        if ent is None:
            ent = full[mark] = ObjectEntity(
                entity_id("vehicle", mark),
                "vehicle",
                vrm_type.display(mark),
                {"vrm": mark, "partial": False, "make": None, "model": None, "colour": None},
            )
        ent.mentions.append(m.mention_id)
        ent.reasons[m.mention_id] = [{"comparison": "vrm", "level": "same mark", "weight": None}]
        for attr in ("make", "model", "colour"):
            if m.data.get(attr) and not ent.data[attr]:
                ent.data[attr] = m.data[attr]
    out = list(full.values())
    candidates: list[dict[str, str]] = []
    for m in partial:
        mark = m.data["vrm"]
        fits = sorted(
            (e for k, e in full.items() if mark and vrm_type.matches(mark, k)),
            key=lambda e: e.data["vrm"],
        )
        ent = ObjectEntity(
            entity_id("vehicle", f"mention:{m.mention_id}"),
            "vehicle",
            mark or m.text or "unknown vehicle",
            {**m.data, "partial": True, "candidates": [e.entity_id for e in fits]},
            [m.mention_id],
        )
        out.append(ent)
        candidates += [
            {
                "mention_id": m.mention_id,
                "entity_id": e.entity_id,
                "partial_vrm": mark,
                "vrm": e.data["vrm"],
            }
            for e in fits
            if mark
        ]
    return out, candidates


def _phones(mentions: list[ObjectMention]) -> list[ObjectEntity]:
    found: dict[str, ObjectEntity] = {}
    for m in sorted(mentions, key=lambda x: x.mention_id):
        number = m.data["number"]
        ent = found.get(number)
        if ent is None:
            ent = found[number] = ObjectEntity(
                entity_id("phone", number), "phone", number, {"number": number}
            )
        ent.mentions.append(m.mention_id)
        ent.reasons[m.mention_id] = [
            {"comparison": "number", "level": "same number", "weight": None}
        ]
    return list(found.values())


def _place_keys(m: ObjectMention) -> list[tuple[str, str]]:
    """(key, reason) pairs under which two place mentions are the same place."""
    d = m.data
    keys: list[tuple[str, str]] = []
    street = addresses.street(d["address"])
    number = addresses.house_number(d["address"])
    if street and number:
        keys.append((f"street:{street}", "same street address"))
    if d["postcode"] and number:
        flat = addresses.unit(d["address"])
        door = f"{flat} {number}" if flat else number
        keys.append((f"postcode:{d['postcode']}|{door}", "same postcode and house number"))
    name = addresses.place_name(d["name"])
    area = addresses.area(d["address"], d["postcode"])
    if name and area:
        keys.append((f"name:{name}|{area}", "same name in the same area"))
    if street and not number and not name and not addresses.is_unit(d["address"]):
        keys.append((f"road:{street}", "same street"))
    if not keys and d["postcode"]:
        keys.append((f"postcode:{d['postcode']}", "same postcode"))
    return keys


def _places(mentions: list[ObjectMention]) -> list[ObjectEntity]:
    mentions = sorted(mentions, key=lambda x: x.mention_id)
    parent = {m.mention_id: m.mention_id for m in mentions}
    reason: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_by_key: dict[str, str] = {}
    for m in mentions:
        for key, why in _place_keys(m):
            if key in first_by_key:
                ra, rb = find(first_by_key[key]), find(m.mention_id)
                if ra != rb:
                    parent[rb] = ra
                    reason.setdefault(m.mention_id, why)
            else:
                first_by_key[key] = m.mention_id
    # a named place with no area: the one known place of that name, if only
    # one; with none known by area, every mention of the name is that place
    named: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        name = addresses.place_name(m.data["name"])
        if name and _place_keys(m):
            named[name].add(find(m.mention_id))
    for m in mentions:
        name = addresses.place_name(m.data["name"])
        if not name or _place_keys(m) or len(named.get(name, ())) > 1:
            continue
        if not named.get(name):
            named[name].add(find(m.mention_id))
            continue
        root = next(iter(named[name]))
        if find(m.mention_id) != root:
            parent[find(m.mention_id)] = root
            reason.setdefault(m.mention_id, "same name, the only place known by it")
    groups: dict[str, list[ObjectMention]] = defaultdict(list)
    for m in mentions:
        groups[find(m.mention_id)].append(m)
    out = []
    for members in groups.values():
        data = {"name": None, "address": None, "postcode": None, "place_kind": None}
        for m in members:
            for attr in data:
                if m.data.get(attr) and not data[attr]:
                    data[attr] = m.data[attr]
        label = data["name"] or data["address"] or data["postcode"] or members[0].text
        ent = ObjectEntity(
            entity_id(
                "location",
                min(k for m in members for k, _ in _place_keys(m) or [(m.mention_id, "")]),
            ),
            "location",
            label or "unnamed place",
            data,
            [m.mention_id for m in members],
        )
        for m in members:
            found = reason.get(m.mention_id)
            ent.reasons[m.mention_id] = (
                [{"comparison": "place", "level": found, "weight": None}] if found else []
            )
        out.append(ent)
    return out
