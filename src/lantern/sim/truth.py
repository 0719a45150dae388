"""The truth document (``docs/truth.md``, format ``lantern-truth/1``).

Everything Lantern should find: people and every mention of them, vehicles,
phones and places with their mentions, groups with their first report, and per
report whether a crime must be recorded, which offences, the disclosures,
indicators, blaming and quoted phrases, and duplicates; survival crimes.
"""

from __future__ import annotations

from typing import Any

from lantern.sim.narrative import Draft
from lantern.sim.vocab import load
from lantern.sim.world import Group, Person, World

FORMAT = "lantern-truth/1"


def truth_document(seed: int, size: str, world: World, drafts: list[Draft]) -> dict[str, Any]:
    town = load("town")
    vehicles: dict[str, list[dict[str, Any]]] = {v: [] for v in world.vehicles}
    phones: dict[str, list[dict[str, Any]]] = {t: [] for t in world.phones}
    places: dict[str, list[dict[str, Any]]] = {loc: [] for loc in world.places}
    mentions: list[dict[str, Any]] = []
    reports: list[dict[str, Any]] = []
    survival: list[dict[str, Any]] = []
    by_group: dict[str, list[Draft]] = {}
    for d in drafts:
        if d.group is not None:
            by_group.setdefault(d.group, []).append(d)
        where = {"agency": d.agency.code, "report_id": d.report_id}
        for span, pid, role in d.people:
            mentions.append({**where, **_span(span), "person_id": pid, "role": role})
        for span, vid, form in d.vehicle_mentions:
            vehicles[vid].append({**where, **_span(span), "partial": form != "full", "form": form})
        for span, tid in d.phone_mentions:
            phones[tid].append({**where, **_span(span)})
        for span, lid in d.place_mentions:
            places[lid].append({**where, **_span(span)})
        reports.append(_report(d))
        for pid in d.survival:
            survival.append({**where, "person_id": pid})
    return {
        "format": FORMAT,
        "seed": seed,
        "size": size,
        "town": world.town,
        "period": dict(town["period"]),
        "people": [_person(p) for p in sorted(world.people.values(), key=lambda p: p.person_id)],
        "mentions": mentions,
        "vehicles": [
            {
                "vehicle_id": v.vehicle_id,
                "vrm": v.vrm,
                "make": v.make,
                "model": v.model,
                "colour": v.colour,
                "owner": v.owner,
                "mentions": vehicles[v.vehicle_id],
            }
            for v in world.vehicles.values()
        ],
        "phones": [
            {
                "phone_id": t.phone_id,
                "number": t.number,
                "owner": t.owner,
                "mentions": phones[t.phone_id],
            }
            for t in world.phones.values()
        ],
        "locations": [
            {
                "location_id": loc.location_id,
                "name": loc.name,
                "address": loc.address,
                "postcode": loc.postcode,
                "kind": loc.kind,
                "mentions": places[loc.location_id],
            }
            for loc in world.places.values()
            if places[loc.location_id] or loc.kind != "home"
        ],
        "groups": [_group(g, by_group.get(g.group_id, [])) for g in world.groups],
        "reports": reports,
        "survival_crimes": survival,
    }


def _span(span: Any) -> dict[str, Any]:
    return {"text": span.text, "field": span.field, "start": span.start, "end": span.end}


def _person(p: Person) -> dict[str, Any]:
    names = [p.full_name, *sorted(p.names_used - {p.full_name})]
    return {
        "person_id": p.person_id,
        "names": names,
        "sex": p.sex,
        "dob": p.dob.isoformat(),
        "kind": p.kind,
        "exploited": p.exploited,
        "group": p.group if p.kind == "offender" else None,
        "central": p.central,
        "job": p.job,
        "home": p.home,
        "looked_after": p.looked_after,
        "name_origin": p.origin,
    }


def _group(g: Group, drafts: list[Draft]) -> dict[str, Any]:
    """A group in truth; ``drafts`` are its reports in the order received."""
    first = drafts[0] if drafts else None
    return {
        "group_id": g.group_id,
        "members": list(g.members),
        "central": list(g.central),
        "victims": list(g.victims),
        "places": list(g.places),
        "vehicles": list(g.vehicles),
        "phones": list(g.phones),
        "active": {"start": g.start.isoformat(), "end": g.end.isoformat()},
        "first_report": None
        if first is None
        else {
            "agency": first.agency.code,
            "report_id": first.report_id,
            "received_at": first.received_at.isoformat(),
        },
        "reports": len(drafts),
    }


def _report(d: Draft) -> dict[str, Any]:
    return {
        "agency": d.agency.code,
        "report_id": d.report_id,
        "received_at": d.received_at.isoformat(),
        "kind": d.kind,
        "group": d.group,
        "must_record": bool(d.offences),
        "offences": d.offences,
        "disclosures": d.disclosures,
        "indicators": d.indicators,
        "blaming_phrases": d.blaming,
        "quoted_phrases": d.quoted,
        "safeguarding_only": d.safeguarding_only,
        "duplicate_of": None
        if d.duplicate_of is None
        else {
            "agency": d.duplicate_of.agency.code,
            "report_id": d.duplicate_of.report_id,
        },
        "duplicate_kind": d.duplicate_kind,
    }
