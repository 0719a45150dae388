"""The ``people``, ``vehicles``, ``phones`` and ``locations`` sections of the
JSON export (interchange spec, section 2): each resolved entity with every
mention of it as written in its report.

``risk`` and ``priority`` are not filled here: the network stage adds them to
people's entries.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from lantern import clock
from lantern.store.findings.resolution import (
    entities,
    entity_mentions,
    resolution_features,
    vehicle_candidates,
)

SECTIONS = {"people": "person", "vehicles": "vehicle", "phones": "phone", "locations": "location"}
_ID_FIELD = {
    "person": "person_id",
    "vehicle": "vehicle_id",
    "phone": "phone_id",
    "location": "location_id",
}


def section(engine: Engine, name: str, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """The entries of one section, counting only reports received by ``as_of``."""
    kind = SECTIONS[name]
    as_of = as_of or clock.now()
    with engine.connect() as conn:
        mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
        query = (
            select(entity_mentions)
            .where(entity_mentions.c.kind == kind, entity_mentions.c.received_at <= as_of)
            .order_by(entity_mentions.c.received_at, entity_mentions.c.mention_id)
        )
        for row in conn.execute(query):
            mentions[row.entity_id].append(dict(row._mapping))
        ents = {
            row.entity_id: row
            for row in conn.execute(select(entities).where(entities.c.kind == kind))
            if row.entity_id in mentions
        }
        extra = _extra(conn, kind, mentions)
    out = []
    for eid in sorted(ents, key=lambda e: (mentions[e][0]["received_at"], e)):
        row = ents[eid]
        entry = {_ID_FIELD[kind]: eid, **_fields(kind, row.label, row.data, mentions[eid])}
        entry.update(extra.get(eid, {}))
        entry["mentions"] = [_mention(kind, m, extra) for m in mentions[eid]]
        out.append(entry)
    return out


def _fields(
    kind: str, label: str, data: dict[str, Any], ms: list[dict[str, Any]]
) -> dict[str, Any]:
    seen = {
        "first_seen": ms[0]["received_at"].isoformat(),
        "last_seen": ms[-1]["received_at"].isoformat(),
        "reports": len({(m["agency"], m["report_id"]) for m in ms}),
        "agencies": len({m["agency"] for m in ms}),
    }
    if kind == "person":
        names = list(dict.fromkeys([label, *data.get("names", [])]))
        out: dict[str, Any] = {"names": [n for n in names if n]}
        for key in ("dob", "sex"):
            if data.get(key):
                out[key] = data[key]
        if data.get("ages"):
            out["ages"] = data["ages"]
        out["child"] = bool(data.get("child"))
        return {**out, **seen}
    if kind == "vehicle":
        return {
            "vrm": data.get("vrm"),
            "partial": bool(data.get("partial")),
            "make": data.get("make"),
            "model": data.get("model"),
            "colour": data.get("colour"),
            **seen,
        }
    if kind == "phone":
        return {"number": data.get("number"), **seen}
    return {
        "name": data.get("name"),
        "address": data.get("address"),
        "postcode": data.get("postcode"),
        "kind": data.get("place_kind"),
        **seen,
    }


def _mention(kind: str, m: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"agency": m["agency"], "report_id": m["report_id"], "text": m["text"]}
    if kind == "person":
        out["role"] = m["role"]
    out["mention_id"] = m["mention_id"]
    return out


def _extra(
    conn: Any, kind: str, mentions: dict[str, list[dict[str, Any]]]
) -> dict[str, dict[str, Any]]:
    """Vehicles: the candidates a partial plate fits. Phones: their owners."""
    extra: dict[str, dict[str, Any]] = {}
    if kind == "vehicle":
        by_mention = {m["mention_id"]: e for e, ms in mentions.items() for m in ms}
        for row in conn.execute(select(vehicle_candidates)):
            eid = by_mention.get(row.mention_id)
            if eid is not None:
                extra.setdefault(eid, {"candidates": []})["candidates"].append(row.entity_id)
    if kind == "phone":
        ids = [m["mention_id"] for ms in mentions.values() for m in ms]
        owners: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            for mid, feats in conn.execute(
                select(resolution_features.c.mention_id, resolution_features.c.features).where(
                    resolution_features.c.mention_id.in_(ids[i : i + 500])
                )
            ):
                owner = (feats.get("row") or {}).get("owner")
                if owner:
                    owners[mid] = owner
        person_of = (
            dict(
                conn.execute(
                    select(entity_mentions.c.mention_id, entity_mentions.c.entity_id).where(
                        entity_mentions.c.mention_id.in_(sorted(set(owners.values())))
                    )
                ).all()
            )
            if owners
            else {}
        )
        for eid, ms in mentions.items():
            found = sorted(
                {
                    person_of[owners[m["mention_id"]]]
                    for m in ms
                    if owners.get(m["mention_id"]) in person_of
                }
            )
            if found:
                extra[eid] = {"owners": found}
    return extra
