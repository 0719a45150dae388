"""The ``resolve`` stage of ``lantern analyse``.

Incremental by default: mentions of reports read since the last run are
scored against the existing mentions (and among themselves) with the stored
model and attached to the existing entities; nothing already scored is scored
again. A new judgement, or a report whose mentions changed, re-clusters from
the stored links (no re-scoring). ``full`` re-trains the model, re-scores every
pair and re-clusters everything. Entity ids are kept across runs where a
cluster carries on an earlier entity.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from lantern.domain import Extraction
from lantern.resolve import features, judgements, linkage, objects, records
from lantern.resolve.clustering import Clusters, Link
from lantern.store.findings.extraction import iter_extractions

# Retrain rather than match incrementally when the new mentions are this large
# a share of everything.
RETRAIN_SHARE = 0.5


def run(engine: Engine, *, full: bool = False) -> str:
    with engine.connect() as conn:
        # rows stored by an earlier version of the features are built again
        full = full or records.get_state(conn, "features") != features.VERSION
        index = records.report_index(conn)
        current = records.extraction_revisions(conn)
        feats, done = ({}, {}) if full else records.stored_features(conn)
        changed = sorted(pk for pk, rev in current.items() if done.get(pk) != rev)
        gone_reports = {pk for pk in done if pk not in current}
        fresh = (
            {pk: ex for pk, ex in iter_extractions(conn, changed) if pk in index} if changed else {}
        )
        judged = judgements.load(conn)
        trained = None if full else records.load_model(conn)
        seen_judgement = int(records.get_state(conn, "judgements") or 0)
        previous = records.previous_assignment(conn, "person")
        old_links = [] if full else records.load_links(conn)
    if not full and not changed and not gone_reports and judged.latest_pk == seen_judgement:
        return f"up to date ({sum(1 for f in feats.values() if f['kind'] == 'person')} person mentions)"

    stale = {m for m, f in feats.items() if f["report_pk"] in set(changed) | gone_reports}
    for m in stale:
        del feats[m]
    new_feats = _features(fresh, index)
    feats.update({f["mention_id"]: f for f in new_feats})

    people = {m: f["row"] for m, f in feats.items() if f["kind"] == "person"}
    linkable = {m: r for m, r in people.items() if features.has_identity(r)}
    new_ids = {f["mention_id"] for f in new_feats if f["kind"] == "person"} & set(linkable)
    retrain = trained is None or len(new_ids) > RETRAIN_SHARE * max(len(linkable), 1)
    labels = 0
    if retrain:
        rows = list(linkable.values())
        labels_used = 0
        if len(rows) >= 2:
            trained, labels_used = linkage.train(rows, judged.same)
        labels = labels_used
        links = linkage.score_all(trained, rows) if trained else []
        drop: set[str] | None = None
        all_links = links
    else:
        assert trained is not None
        existing = [r for m, r in linkable.items() if m not in new_ids]
        links = linkage.score_new(trained, existing, [linkable[m] for m in sorted(new_ids)])
        drop = stale | new_ids
        all_links = [p for p in old_links if p.mention_a not in drop and p.mention_b not in drop]
        all_links += links

    recluster = retrain or bool(stale) or judged.latest_pk != seen_judgement
    clusters = Clusters(people, judged.not_same)
    for a, b in judged.same:
        if a in people and b in people:
            clusters.join(a, b, force=True)
    if not recluster:
        by_entity: dict[str, list[str]] = defaultdict(list)
        for m, e in previous.items():
            if m in people:
                by_entity[e].append(m)
        for members in by_entity.values():
            for m in members[1:]:
                clusters.join(members[0], m, force=True)
        clusters.add_links(_links(links))
    else:
        clusters.add_links(_links(all_links))
    clusters.join_officers()
    clusters.corefer_within_reports(
        {m: feats[m]["role"] for m in people},
        {m: set(feats[m]["listed_with"]) for m in people if feats[m]["listed_with"]},
    )
    clusters.join_staff_by_first_name()

    assignment = _stable_ids(clusters.groups(), previous)
    resolved = objects.resolve(
        objects.ObjectMention(m, f["kind"], f["report_pk"], f["text"], f["row"])
        for m, f in feats.items()
        if f["kind"] != "person"
    )
    entity_rows, mention_rows = _person_entities(feats, people, assignment, clusters, index)
    obj_entities, obj_mentions = _object_entities(resolved, feats, index)
    judged_pairs = set(judged.same) | set(judged.not_same)
    queue = records.review_rows(all_links, assignment, judged_pairs)

    with engine.begin() as conn:
        records.replace_features(
            conn,
            sorted(set(changed) | gone_reports) if not full else list(current),
            [
                {
                    "mention_id": f["mention_id"],
                    "report_pk": f["report_pk"],
                    "revision": current[f["report_pk"]],
                    "features": f,
                }
                for f in (new_feats if not full else feats.values())
            ],
        )
        if retrain:
            assert trained is not None or not linkable
            if trained is not None:
                records.save_model(conn, trained, labels)
        records.replace_links(conn, links, drop=drop)
        records.write_entities(
            conn,
            entity_rows + obj_entities,
            mention_rows + obj_mentions,
            resolved.candidates,
            queue,
        )
        records.set_state(conn, "judgements", str(judged.latest_pk))
        records.set_state(conn, "features", features.VERSION)
    n_people = len({assignment[m] for m in people})
    how = (
        "model trained" + (f" with {labels} judgements" if labels else "")
        if retrain
        else (f"{len(new_ids)} new mentions matched")
    )
    return (
        f"{len(people)} person mentions -> {n_people} people ({how}); "
        f"{len(obj_entities)} vehicles, phones and places; "
        f"{len(resolved.candidates)} partial-plate candidates; {len(queue)} pairs to review"
    )


def _features(
    fresh: dict[int, Extraction], index: dict[int, tuple[str, str, datetime, str | None]]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for pk, ex in fresh.items():
        rows = features.person_rows(pk, ex, index[pk][2], index[pk][3])
        listed = features.listed_together(ex)
        for mention, row in zip(ex.people, rows, strict=True):
            out.append(
                {
                    "mention_id": mention.mention_id,
                    "kind": "person",
                    "report_pk": pk,
                    "text": mention.text,
                    "role": mention.role,
                    "name": mention.name,
                    "age": mention.age,
                    "listed_with": listed.get(mention.mention_id, []),
                    "row": row,
                }
            )
        for obj in objects.object_mentions(pk, ex):
            out.append(
                {
                    "mention_id": obj.mention_id,
                    "kind": obj.kind,
                    "report_pk": pk,
                    "text": obj.text,
                    "role": None,
                    "row": obj.data,
                }
            )
    return out


def _links(pairs: Sequence[linkage.ScoredPair]) -> list[Link]:
    return [Link(p.mention_a, p.mention_b, p.match_weight, p.reasons) for p in pairs]


def _stable_ids(groups: list[list[str]], previous: dict[str, str]) -> dict[str, str]:
    """An entity id per cluster: the earlier entity most of its mentions were
    in (largest clusters choose first), else a new id from its first mention."""
    taken: set[str] = set()
    assignment: dict[str, str] = {}
    for members in sorted(groups, key=lambda g: (-len(g), g[0])):
        votes = Counter(previous[m] for m in members if m in previous)
        chosen = next((e for e, _ in votes.most_common() if e not in taken), None)
        if chosen is None:
            chosen = "person:" + hashlib.sha1(members[0].encode()).hexdigest()[:16]
            n = 1
            while chosen in taken:
                n += 1
                chosen = "person:" + hashlib.sha1(f"{members[0]}#{n}".encode()).hexdigest()[:16]
        taken.add(chosen)
        for m in members:
            assignment[m] = chosen
    return assignment


def _person_entities(
    feats: dict[str, dict[str, Any]],
    people: dict[str, dict[str, Any]],
    assignment: dict[str, str],
    clusters: Clusters,
    index: dict[int, tuple[str, str, datetime, str | None]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    members: dict[str, list[str]] = defaultdict(list)
    for m in sorted(people):
        members[assignment[m]].append(m)
    entity_rows, mention_rows = [], []
    for eid, ms in members.items():
        fs = [feats[m] for m in ms]
        names = sorted({f["name"] or f["text"] for f in fs if (f["name"] or f["text"])})
        dobs = sorted({f["row"]["dob"] for f in fs if f["row"]["dob"]})
        data = {
            "names": names,
            "dob": records.most_common(f["row"]["dob"] for f in fs),
            "dobs": dobs,
            "sex": records.most_common(f["row"]["sex"] for f in fs),
            "ages": sorted({f["age"] for f in fs if f["age"] is not None}),
            "child": any(f["row"]["is_child"] for f in fs),
            "roles": sorted({f["role"] for f in fs if f["role"]}),
        }
        label = records.most_common(f["name"] for f in fs) or (
            names[0] if names else "unnamed person"
        )
        seen = [(index[f["report_pk"]][0], index[f["report_pk"]][2]) for f in fs]
        entity_rows.append(records.entity_row(eid, "person", label, data, seen))
        for f in fs:
            mention_rows.append(
                _mention_row(f, eid, index, clusters.joined_by.get(f["mention_id"]))
            )
    return entity_rows, mention_rows


def _mention_row(
    f: dict[str, Any],
    entity_id: str,
    index: dict[int, tuple[str, str, datetime, str | None]],
    link: Link | None,
) -> dict[str, Any]:
    agency, report_id, received, _ = index[f["report_pk"]]
    reasons: Any = []
    if link is not None:
        other = link.mention_b if link.mention_a == f["mention_id"] else link.mention_a
        reasons = {"joined_to": other, "comparisons": link.reasons}
    return {
        "mention_id": f["mention_id"],
        "entity_id": entity_id,
        "kind": f["kind"],
        "report_pk": f["report_pk"],
        "agency": agency,
        "report_id": report_id,
        "received_at": received,
        "role": f["role"],
        "text": f["text"] or "",
        "match_weight": link.match_weight if link else None,
        "reasons": reasons,
    }


def _object_entities(
    resolved: objects.Resolved,
    feats: dict[str, dict[str, Any]],
    index: dict[int, tuple[str, str, datetime, str | None]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    entity_rows, mention_rows = [], []
    for ent in resolved.entities:
        fs = [feats[m] for m in ent.mentions]
        seen = [(index[f["report_pk"]][0], index[f["report_pk"]][2]) for f in fs]
        entity_rows.append(records.entity_row(ent.entity_id, ent.kind, ent.label, ent.data, seen))
        for f in fs:
            row = _mention_row(f, ent.entity_id, index, None)
            row["reasons"] = ent.reasons.get(f["mention_id"], [])
            mention_rows.append(row)
    return entity_rows, mention_rows
