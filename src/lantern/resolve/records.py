"""Reading and writing resolution's findings tables: the mentions' features,
the model, links, entities with their mentions, candidates and the review queue."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select

from lantern import clock
from lantern.resolve import model
from lantern.resolve.linkage import ScoredPair
from lantern.store.findings import findings_state
from lantern.store.findings.extraction import extractions
from lantern.store.findings.resolution import (
    entities,
    entity_links,
    entity_mentions,
    resolution_features,
    resolution_models,
    review_queue,
    vehicle_candidates,
)
from lantern.store.schema import reports

CHUNK = 500


def report_index(conn: Connection) -> dict[int, tuple[str, str, datetime, str | None]]:
    """report pk -> (agency, report id, received at, agency type)."""
    rows = conn.execute(
        select(
            reports.c.pk,
            reports.c.agency,
            reports.c.report_id,
            reports.c.received_at,
            reports.c.agency_type,
        )
    )
    return {pk: (agency, rid, at, kind) for pk, agency, rid, at, kind in rows}


def extraction_revisions(conn: Connection) -> dict[int, int]:
    return dict(conn.execute(select(extractions.c.report_pk, extractions.c.revision)).all())


def stored_features(conn: Connection) -> tuple[dict[str, dict[str, Any]], dict[int, int]]:
    """mention id -> stored features; report pk -> the revision they came from."""
    feats: dict[str, dict[str, Any]] = {}
    revs: dict[int, int] = {}
    for mid, pk, rev, data in conn.execute(
        select(
            resolution_features.c.mention_id,
            resolution_features.c.report_pk,
            resolution_features.c.revision,
            resolution_features.c.features,
        )
    ):
        feats[mid] = data
        revs[pk] = rev
    return feats, revs


def replace_features(
    conn: Connection, report_pks: Iterable[int], rows: Sequence[dict[str, Any]]
) -> None:
    pks = list(report_pks)
    for i in range(0, len(pks), CHUNK):
        conn.execute(
            delete(resolution_features).where(
                resolution_features.c.report_pk.in_(pks[i : i + CHUNK])
            )
        )
    for i in range(0, len(rows), CHUNK):
        conn.execute(resolution_features.insert(), list(rows[i : i + CHUNK]))


def load_model(conn: Connection) -> dict[str, Any] | None:
    row = conn.execute(
        select(resolution_models.c.settings).where(resolution_models.c.name == "person")
    ).first()
    return None if row is None else dict(row.settings)


def save_model(conn: Connection, trained: dict[str, Any], labels: int) -> None:
    conn.execute(delete(resolution_models).where(resolution_models.c.name == "person"))
    conn.execute(
        resolution_models.insert().values(
            name="person", trained_at=clock.now(), labels=labels, settings=trained
        )
    )


def load_links(conn: Connection) -> list[ScoredPair]:
    rows = conn.execute(
        select(
            entity_links.c.mention_a,
            entity_links.c.mention_b,
            entity_links.c.match_weight,
            entity_links.c.match_probability,
            entity_links.c.reasons,
        ).where(entity_links.c.kind == "person")
    )
    return [ScoredPair(a, b, w, p, r) for a, b, w, p, r in rows]


def replace_links(
    conn: Connection, pairs: Sequence[ScoredPair], *, drop: Iterable[str] | None
) -> None:
    """Stores scored pairs. ``drop=None`` clears every person link first;
    otherwise links touching the mentions in ``drop`` are removed."""
    if drop is None:
        conn.execute(delete(entity_links).where(entity_links.c.kind == "person"))
    else:
        gone = list(drop)
        for i in range(0, len(gone), CHUNK):
            part = gone[i : i + CHUNK]
            conn.execute(delete(entity_links).where(entity_links.c.mention_a.in_(part)))
            conn.execute(delete(entity_links).where(entity_links.c.mention_b.in_(part)))
    now = clock.now()
    seen: set[tuple[str, str]] = set()
    rows = []
    for p in pairs:
        if (p.mention_a, p.mention_b) in seen:
            continue
        seen.add((p.mention_a, p.mention_b))
        rows.append(
            {
                "mention_a": p.mention_a,
                "mention_b": p.mention_b,
                "kind": "person",
                "match_weight": p.match_weight,
                "match_probability": p.match_probability,
                "reasons": p.reasons,
                "computed_at": now,
            }
        )
    for i in range(0, len(rows), CHUNK):
        conn.execute(entity_links.insert(), rows[i : i + CHUNK])


def previous_assignment(conn: Connection, kind: str) -> dict[str, str]:
    return dict(
        conn.execute(
            select(entity_mentions.c.mention_id, entity_mentions.c.entity_id).where(
                entity_mentions.c.kind == kind
            )
        ).all()
    )


def write_entities(
    conn: Connection,
    entity_rows: Sequence[dict[str, Any]],
    mention_rows: Sequence[dict[str, Any]],
    candidates: Sequence[dict[str, str]],
    queue: Sequence[dict[str, Any]],
) -> None:
    for table in (entities, entity_mentions, vehicle_candidates, review_queue):
        conn.execute(delete(table))
    for table, rows in (
        (entities, entity_rows),
        (entity_mentions, mention_rows),
        (vehicle_candidates, candidates),
        (review_queue, queue),
    ):
        for i in range(0, len(rows), CHUNK):
            conn.execute(table.insert(), list(rows[i : i + CHUNK]))


def get_state(conn: Connection, key: str) -> str | None:
    return conn.execute(
        select(findings_state.c.value).where(findings_state.c.key == f"resolve.{key}")
    ).scalar()


def set_state(conn: Connection, key: str, value: str) -> None:
    conn.execute(delete(findings_state).where(findings_state.c.key == f"resolve.{key}"))
    conn.execute(findings_state.insert().values(key=f"resolve.{key}", value=value))


def entity_row(
    entity_id: str,
    kind: str,
    label: str,
    data: dict[str, Any],
    seen: Sequence[tuple[str, datetime]],
) -> dict[str, Any]:
    """An entities row; ``seen`` is (agency, received at) of each mention."""
    times = [t for _, t in seen]
    return {
        "entity_id": entity_id,
        "kind": kind,
        "label": label,
        "data": data,
        "first_seen": min(times) if times else None,
        "last_seen": max(times) if times else None,
        "reports": len(seen),
        "agencies": len({a for a, _ in seen}),
    }


def review_rows(
    links: Iterable[ScoredPair],
    assignment: dict[str, str],
    judged: set[tuple[str, str]],
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Unjudged pairs within the review band of the threshold, nearest first."""
    rows = []
    for p in links:
        distance = abs(p.match_weight - model.THRESHOLD)
        if distance > model.REVIEW_BAND or (p.mention_a, p.mention_b) in judged:
            continue
        ea, eb = assignment.get(p.mention_a), assignment.get(p.mention_b)
        if ea is None or eb is None:
            continue
        rows.append(
            {
                "mention_a": p.mention_a,
                "mention_b": p.mention_b,
                "entity_a": ea,
                "entity_b": eb,
                "match_weight": p.match_weight,
                "distance": distance,
                "joined": int(ea == eb),
            }
        )
    rows.sort(key=lambda r: (r["distance"], r["mention_a"], r["mention_b"]))
    return rows[:limit]


def most_common(values: Iterable[str | None]) -> str | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None
