"""Feeding record-linkage benchmarks through Lantern as real reports, and
scoring resolution against a truth: shared by the resolution tests and the
benchmark."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from lantern.store.findings.resolution import entity_mentions


def febrl_reports(frame: Any, agency: str) -> list[dict[str, Any]]:
    """One report a FEBRL row, the row as its one structured subject."""
    out = []
    for n, (rec_id, row) in enumerate(frame.iterrows()):
        subject: dict[str, Any] = {"ref": "p1", "role": "other"}
        name = " ".join(x for x in (_text(row.given_name), _text(row.surname)) if x)
        if name:
            subject["name"] = name
        dob = _dob(_text(row.date_of_birth))
        if dob:
            subject["dob"] = dob
        parts = [
            " ".join(x for x in (_text(row.street_number), _text(row.address_1)) if x),
            _text(row.address_2),
            _text(row.suburb),
            " ".join(x for x in (_text(row.state), _text(row.postcode)) if x),
        ]
        address = ", ".join(p for p in parts if p)
        if address:
            subject["address"] = address
        ssid = _text(row.soc_sec_id)
        if ssid:
            subject["identifiers"] = [{"kind": "national-id", "value": ssid}]
        out.append(
            {
                "id": str(rec_id),
                "agency": agency,
                "agency_type": "police",
                "received_at": f"2024-01-{1 + n % 28:02d}T10:00:00+00:00",
                "narrative": "Record held on file.",
                "subjects": [subject],
            }
        )
    return out


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _dob(text: str | None) -> str | None:
    if not text or len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return None


def ingest(engine: Engine, reports: Iterable[dict[str, Any]], tmp: Path) -> None:
    from lantern.intake.ingest import ingest_file

    path = tmp / "reports.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for r in reports:
            handle.write(json.dumps(r) + "\n")
    result = ingest_file(engine, path)
    assert result.ok, result.summary()


def clusters_by_report(engine: Engine, kind: str = "person") -> dict[tuple[str, str], set[str]]:
    """(agency, report id) -> the entity ids its mentions were resolved to."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    with engine.connect() as conn:
        for agency, rid, eid in conn.execute(
            select(
                entity_mentions.c.agency, entity_mentions.c.report_id, entity_mentions.c.entity_id
            ).where(entity_mentions.c.kind == kind)
        ):
            found[(agency, rid)].add(eid)
    return found


def pairwise_scores(
    predicted: dict[Any, str], truth: set[frozenset[Any]]
) -> tuple[float, float, float]:
    """Precision, recall, F1 of the pairs put together against the true pairs."""
    by_entity: dict[str, list[Any]] = defaultdict(list)
    for item, entity in predicted.items():
        by_entity[entity].append(item)
    pairs = {
        frozenset(p) for members in by_entity.values() for p in itertools.combinations(members, 2)
    }
    tp = len(pairs & truth)
    precision = tp / len(pairs) if pairs else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def town_person_scores(engine: Engine, truth: dict[str, Any]) -> dict[str, Any]:
    """Mention-level pairwise scores of resolved people against a simulated
    town's truth. Each truth mention is matched to the extracted mention of
    the same report and field (structured) or an overlapping span (narrative).

    ``all``: over every truth mention (one never extracted counts as alone);
    ``extracted``: over the truth mentions extraction found (resolution alone).
    ``children_merged``: entities holding mentions of two different children.
    """
    from lantern.store.findings.extraction import iter_extractions

    with engine.connect() as conn:
        entity_of = dict(
            conn.execute(
                select(entity_mentions.c.mention_id, entity_mentions.c.entity_id).where(
                    entity_mentions.c.kind == "person"
                )
            ).all()
        )
        spans: dict[tuple[str, str, str], list[tuple[int, int, str]]] = defaultdict(list)
        for _, ex in iter_extractions(conn):
            for p in ex.people:
                spans[(ex.agency, ex.report_id, p.span.source)].append(
                    (p.span.start, p.span.end, p.mention_id)
                )
    kinds = {p["person_id"]: p["kind"] for p in truth["people"]}
    predicted_all: dict[int, str] = {}
    predicted_found: dict[int, str] = {}
    true_entity: dict[int, str] = {}
    for i, m in enumerate(truth["mentions"]):
        true_entity[i] = m["person_id"]
        found = _match(spans.get((m["agency"], m["report_id"], m["field"]), []), m)
        if found is not None and found in entity_of:
            predicted_all[i] = predicted_found[i] = entity_of[found]
        else:
            predicted_all[i] = f"unextracted:{i}"
    truth_pairs = _pairs_of(true_entity)
    found_truth = {p for p in truth_pairs if all(i in predicted_found for i in p)}
    members: dict[str, set[str]] = defaultdict(set)
    for i, e in predicted_found.items():
        if kinds.get(true_entity[i]) == "child":
            members[e].add(true_entity[i])
    return {
        "all": pairwise_scores(predicted_all, truth_pairs),
        "extracted": pairwise_scores(predicted_found, found_truth),
        "mentions": len(true_entity),
        "extracted_mentions": len(predicted_found),
        "children_merged": sorted(sorted(c) for c in members.values() if len(c) > 1),
    }


def _match(candidates: list[tuple[int, int, str]], m: dict[str, Any]) -> str | None:
    if m["field"] != "narrative":
        return candidates[0][2] if candidates else None
    best, overlap = None, 0
    for start, end, mid in candidates:
        o = min(end, m["end"]) - max(start, m["start"])
        if o > overlap:
            best, overlap = mid, o
    return best


def _pairs_of(entity: dict[int, str]) -> set[frozenset[Any]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, e in entity.items():
        groups[e].append(i)
    return {frozenset(p) for g in groups.values() for p in itertools.combinations(g, 2)}


def analysed_town(folder: Path, seed: int, size: str) -> tuple[Path, dict[str, Any]]:
    """A simulated town ingested, extracted and resolved into a SQLite file in
    ``folder``; returns the file and the town's truth."""
    from lantern.extract import stage as extract_stage
    from lantern.intake.ingest import ingest_file
    from lantern.resolve import stage as resolve_stage
    from lantern.sim import generate_town
    from lantern.store.db import open_store

    reports, truth_path = generate_town(seed, size, folder)
    db = folder / "lantern.db"
    engine = open_store(f"sqlite:///{db}")
    ingest_file(engine, reports)
    extract_stage.run(engine)
    resolve_stage.run(engine)
    engine.dispose()
    return db, json.loads(truth_path.read_text(encoding="utf-8"))


def copy_store(db: Path, folder: Path) -> Engine:
    """A private copy of a prepared SQLite store, opened."""
    import shutil

    from lantern.store.db import open_store

    target = folder / "copy.db"
    shutil.copyfile(db, target)
    return open_store(f"sqlite:///{target}")
