"""Why two mentions were (or were not) joined: the stored link between them,
with its match weight and the comparison levels that produced it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from lantern.resolve import records
from lantern.store.findings.resolution import entity_links, entity_mentions


def explain(conn: Connection, a: str, b: str) -> dict[str, Any] | None:
    x, y = sorted((a, b))
    row = conn.execute(
        select(entity_links).where(entity_links.c.mention_a == x, entity_links.c.mention_b == y)
    ).first()
    if row is None:
        return None
    ents = dict(
        conn.execute(
            select(entity_mentions.c.mention_id, entity_mentions.c.entity_id).where(
                entity_mentions.c.mention_id.in_([x, y])
            )
        ).all()
    )
    return {
        "mention_a": x,
        "mention_b": y,
        "match_weight": row.match_weight,
        "match_probability": row.match_probability,
        "reasons": row.reasons,
        "in_common": in_common(records.features_of(conn, [x, y]), x, y),
        "joined": ents.get(x) is not None and ents.get(x) == ents.get(y),
    }


def in_common(features: dict[str, dict[str, Any]], a: str, b: str) -> list[str]:
    """What the stored features of mentions ``a`` and ``b`` share, as a
    person reads it: phones, the vehicles, addresses, places and phones
    their reports tie them to, and the people named beside both ("phone
    +447700900511", "address flat 3 32 beech crescent", "named beside sarah
    holmes"). Empty when either has no stored features."""
    if a not in features or b not in features:
        return []
    ra, rb = features[a]["row"], features[b]["row"]

    def shared(column: str) -> list[str]:
        return sorted(set(ra.get(column) or ()) & set(rb.get(column) or ()))

    found = [f"phone {p}" for p in shared("phones")]
    for key in shared("company"):  # "vehicle:YS09ZCG" reads "vehicle YS09ZCG"
        text = key.replace(":", " ", 1)
        if text not in found:
            found.append(text)
    found += [f"named beside {name}" for name in shared("named_with")]
    return found
