"""Reading and writing resolution's findings tables: the mentions' features,
the model, links, entities with their mentions, candidates and the review queue."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select

from lantern import clock
from lantern.resolve import features, model
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
# The stored features' version: the features' own, and the order of the
# columns of the compact rows.
FEATURES_VERSION = (
    f"{features.VERSION}:{hashlib.sha1(','.join(features.COLUMNS).encode()).hexdigest()[:8]}"
)
# The review queue holds at most this many pairs, the nearest the threshold.
REVIEW_LIMIT = 1000


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


def feature_revisions(conn: Connection) -> dict[int, int]:
    """report pk -> the revision its stored features came from."""
    return dict(
        conn.execute(
            select(resolution_features.c.report_pk, resolution_features.c.revision).distinct()
        ).all()
    )


def stored_features(conn: Connection) -> dict[str, dict[str, Any]]:
    """mention id -> stored features, in the order they were stored."""
    return dict(
        conn.execute(select(resolution_features.c.mention_id, resolution_features.c.features)).all()
    )


def features_of(conn: Connection, mention_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """mention id -> stored features, for the mentions given."""
    return _by_mention(
        conn, resolution_features.c.mention_id, resolution_features.c.features, mention_ids
    )


def _by_mention(conn: Connection, key: Any, value: Any, mention_ids: Iterable[str]) -> dict:
    """``key`` -> ``value`` for the rows whose ``key`` is one of ``mention_ids``,
    read a chunk of ids at a time."""
    found: dict[Any, Any] = {}
    for part in _chunks(mention_ids):
        found.update(conn.execute(select(key, value).where(key.in_(part))).all())
    return found


def stored_rows(
    conn: Connection,
) -> tuple[dict[str, dict[str, Any]], dict[str, tuple[str, dict[str, Any]]]]:
    """Every stored mention's comparison row (people) or data (objects), read
    from the compact column: person mention id -> row, in the order they
    were stored; object mention id -> (kind, data)."""
    people: dict[str, dict[str, Any]] = {}
    things: dict[str, tuple[str, dict[str, Any]]] = {}
    for mention, kind, compact in conn.execute(
        select(
            resolution_features.c.mention_id,
            resolution_features.c.kind,
            resolution_features.c.compact,
        )
    ):
        if kind == "person":
            people[mention] = dict(zip(features.COLUMNS, compact, strict=True))
        else:
            things[mention] = (kind, compact)
    return people, things


def replace_features(
    conn: Connection,
    report_pks: Iterable[int],
    feats: Sequence[dict[str, Any]],
    revisions: Mapping[int, int],
) -> None:
    """Replaces the stored features of the reports given with ``feats`` (each
    mention's features, from the report revision in ``revisions``)."""
    for part in _chunks(report_pks):
        conn.execute(delete(resolution_features).where(resolution_features.c.report_pk.in_(part)))
    rows = [
        {
            "mention_id": f["mention_id"],
            "report_pk": f["report_pk"],
            "revision": revisions[f["report_pk"]],
            "kind": f["kind"],
            "features": f,
            "compact": (
                [f["row"][c] for c in features.COLUMNS] if f["kind"] == "person" else f["row"]
            ),
        }
        for f in feats
    ]
    for i in range(0, len(rows), CHUNK):
        conn.execute(resolution_features.insert(), rows[i : i + CHUNK])


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


def entity_of(conn: Connection, mention_ids: Iterable[str]) -> dict[str, str]:
    """mention id -> the entity it was resolved to, for those of ``mention_ids`` resolved."""
    return _by_mention(conn, entity_mentions.c.mention_id, entity_mentions.c.entity_id, mention_ids)


def joins(
    conn: Connection, mention_ids: Iterable[str] | None = None
) -> dict[str, tuple[str, float, list[dict[str, Any]]]]:
    """How each person mention (of ``mention_ids``, or every one) was joined to
    its entity: mention id -> (the mention it was joined to, match weight, the
    comparisons). Mentions that were the first of their cluster are left out."""
    query = select(
        entity_mentions.c.mention_id, entity_mentions.c.match_weight, entity_mentions.c.reasons
    ).where(entity_mentions.c.kind == "person", entity_mentions.c.match_weight.is_not(None))
    if mention_ids is None:
        rows = list(conn.execute(query))
    else:
        rows = [
            row
            for part in _chunks(mention_ids)
            for row in conn.execute(query.where(entity_mentions.c.mention_id.in_(part)))
        ]
    return {
        mention: (reasons["joined_to"], weight, reasons["comparisons"])
        for mention, weight, reasons in rows
        if isinstance(reasons, dict) and "joined_to" in reasons
    }


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


def replace_entities(
    conn: Connection,
    gone: Iterable[str],
    entity_rows: Sequence[dict[str, Any]],
    mention_rows: Sequence[dict[str, Any]],
) -> None:
    """Replaces some entities: deletes the entities ``gone`` and every row of
    the mentions in ``mention_rows``, then writes the rows given."""
    for part in _chunks(gone):
        conn.execute(delete(entities).where(entities.c.entity_id.in_(part)))
    for part in _chunks(r["mention_id"] for r in mention_rows):
        conn.execute(delete(entity_mentions).where(entity_mentions.c.mention_id.in_(part)))
    for table, rows in ((entities, entity_rows), (entity_mentions, mention_rows)):
        for i in range(0, len(rows), CHUNK):
            conn.execute(table.insert(), list(rows[i : i + CHUNK]))


def replace_candidates(
    conn: Connection, mention_ids: Iterable[str], rows: Sequence[dict[str, str]]
) -> None:
    """Replaces the partial-plate candidates of the mentions given."""
    for part in _chunks(mention_ids):
        conn.execute(delete(vehicle_candidates).where(vehicle_candidates.c.mention_id.in_(part)))
    for i in range(0, len(rows), CHUNK):
        conn.execute(vehicle_candidates.insert(), list(rows[i : i + CHUNK]))


def load_review(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(select(review_queue))]


def replace_review(
    conn: Connection, old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]]
) -> None:
    """Turns the review queue ``old`` into ``new``, touching only the rows that differ."""
    before = {(r["mention_a"], r["mention_b"]): r for r in old}
    after = {(r["mention_a"], r["mention_b"]): r for r in new}
    for pair, row in before.items():
        if after.get(pair) != row:
            conn.execute(
                delete(review_queue).where(
                    review_queue.c.mention_a == pair[0], review_queue.c.mention_b == pair[1]
                )
            )
    added = [row for pair, row in after.items() if before.get(pair) != row]
    for i in range(0, len(added), CHUNK):
        conn.execute(review_queue.insert(), added[i : i + CHUNK])


def counts(conn: Connection) -> dict[str, int]:
    """How many person mentions, people, other entities, partial-plate
    candidates and pairs to review are stored."""

    def count(table: Any, *where: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())

    people = count(entities, entities.c.kind == "person")
    return {
        "person_mentions": count(entity_mentions, entity_mentions.c.kind == "person"),
        "people": people,
        "objects": count(entities) - people,
        "candidates": count(vehicle_candidates),
        "review": count(review_queue),
    }


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = list(values)
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


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
    pairs: Iterable[tuple[str, str, float, str | None]],
    assignment: Mapping[str, str],
    judged: set[tuple[str, str]],
) -> list[dict[str, Any]]:
    """The pairs for a person to judge, from unjudged pairs ``(mention a,
    mention b, match weight, held)``: those within the review band of the
    threshold, nearest first; and those ``held`` apart (``clustering.held_apart``:
    a child's records the rules kept apart) while still in two entities, one
    pair (the strongest) for each two entities, strongest first. At most
    ``REVIEW_LIMIT`` of each."""
    near: list[dict[str, Any]] = []
    held: dict[tuple[str, str], dict[str, Any]] = {}
    for a, b, weight, why in pairs:
        # the band first: most of a store's links are far from the threshold
        distance = abs(weight - model.THRESHOLD)
        in_band = distance <= model.REVIEW_BAND
        if (why is None and not in_band) or (a, b) in judged:
            continue
        ea, eb = assignment.get(a), assignment.get(b)
        if ea is None or eb is None:
            continue
        if why is not None and ea == eb:  # joined after all: no longer held apart
            if not in_band:
                continue
            why = None
        row = {
            "mention_a": a,
            "mention_b": b,
            "entity_a": ea,
            "entity_b": eb,
            "match_weight": weight,
            "distance": distance,
            "joined": int(ea == eb),
            "held": why,
        }
        if why is None:
            near.append(row)
            continue
        key = (ea, eb) if ea <= eb else (eb, ea)
        known = held.get(key)
        if known is None or _strongest_first(row) < _strongest_first(known):
            held[key] = row
    near.sort(key=lambda r: (r["distance"], r["mention_a"], r["mention_b"]))
    kept = sorted(held.values(), key=_strongest_first)
    return near[:REVIEW_LIMIT] + kept[:REVIEW_LIMIT]


def _strongest_first(row: Mapping[str, Any]) -> tuple[float, str, str]:
    return (-row["match_weight"], row["mention_a"], row["mention_b"])


def most_common(values: Iterable[str | None]) -> str | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None
