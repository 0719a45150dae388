"""Why two mentions were (or were not) joined: the stored link between them,
with its match weight and the comparison levels that produced it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

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
        "joined": ents.get(x) is not None and ents.get(x) == ents.get(y),
    }
