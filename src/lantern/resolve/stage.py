"""The ``resolve`` stage of ``lantern analyse``.

Incremental by default. When only new reports came in (no judgement since
the last run, no report revised or removed, no re-training) their mentions
are matched on a fast path: scored against the existing mentions with the
stored model, clustered together with just the earlier entities they can
change, and only what changed is written. A new judgement, or a report whose
mentions changed, re-clusters from the stored links (no re-scoring).
``full`` re-trains the model, re-scores every pair and re-clusters
everything. Entity ids are kept across runs where a cluster carries on an
earlier entity.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from lantern.domain import Extraction
from lantern.resolve import addresses, bulk, features, judgements, linkage, objects, records
from lantern.resolve.clustering import (
    Clusters,
    Link,
    Namesakes,
    Scored,
    dated_child,
    held_apart,
)
from lantern.store.findings.extraction import iter_extractions
from lantern.types import vrm as vrm_type

# Retrain rather than match incrementally when the new mentions are this large
# a share of everything ...
RETRAIN_SHARE = 0.5
# ... or when the store has grown this many times over since the model was
# trained: a force's first weeks teach too little for years of reports.
RETRAIN_GROWTH = 2.0

Index = dict[int, tuple[str, str, datetime, str | None]]
# mention -> (the mention it was joined to, match weight, the comparisons)
Joins = dict[str, tuple[str, float, list[dict[str, Any]]]]


def run(engine: Engine, *, full: bool = False, fast: bool = True) -> str:
    """Resolves the mentions of the reports changed since the last run (every
    report with ``full``). ``fast=False`` clusters and rewrites everything even
    when only new reports came in: the reference the fast path agrees with.

    Python's cyclic garbage collector is paused throughout (``bulk``): a large
    store's run makes millions of rows, scored pairs and clusters, none of
    them in cycles, and the collector would walk them again and again (at
    250,000 mentions, 2.6-3.6 s of a 24-26 s run)."""
    with bulk.many_objects():
        return _run(engine, full, fast)


def _run(engine: Engine, full: bool, fast: bool) -> str:
    with engine.connect() as conn:
        # rows stored by an earlier version of the features are built again
        full = full or records.get_state(conn, "features") != records.FEATURES_VERSION
        index = records.report_index(conn)
        current = records.extraction_revisions(conn)
        done = {} if full else records.feature_revisions(conn)
        changed = sorted(pk for pk, rev in current.items() if done.get(pk) != rev)
        gone_reports = {pk for pk in done if pk not in current}
        judged = judgements.load(conn)
        seen_judgement = int(records.get_state(conn, "judgements") or 0)
        if not full and not changed and not gone_reports and judged.latest_pk == seen_judgement:
            return f"up to date ({records.counts(conn)['person_mentions']} person mentions)"
        fresh = (
            {pk: ex for pk, ex in iter_extractions(conn, changed) if pk in index} if changed else {}
        )
        trained = None if full else records.load_model(conn)
        trained_on = _int(records.get_state(conn, "trained_on"))
        previous = records.previous_assignment(conn, "person")
        # new reports only, and no judgement since the last run
        quick = (
            fast
            and trained is not None
            and judged.latest_pk == seen_judgement
            and not gone_reports
            and not done.keys() & set(changed)
        )
        if quick:
            stored_people, things = records.stored_rows(conn)
        else:
            feats = {} if full else records.stored_features(conn)
    new_feats = _features(fresh, index)

    if quick:
        assert trained is not None
        n_new = sum(
            1 for f in new_feats if f["kind"] == "person" and features.has_identity(f["row"])
        )
        n_linkable = n_new + sum(1 for r in stored_people.values() if features.has_identity(r))
        if not _retrain(trained, n_new, n_linkable, trained_on):
            return _match_new(
                engine, trained, stored_people, things, new_feats, previous, judged, index, current,
                n_linkable if trained_on is None else None,
            )  # fmt: skip
        with engine.connect() as conn:
            feats = records.stored_features(conn)

    stale = {m for m, f in feats.items() if f["report_pk"] in set(changed) | gone_reports}
    for m in stale:
        del feats[m]
    feats.update({f["mention_id"]: f for f in new_feats})

    people = {m: f["row"] for m, f in feats.items() if f["kind"] == "person"}
    linkable = {m: r for m, r in people.items() if features.has_identity(r)}
    new_ids = {f["mention_id"] for f in new_feats if f["kind"] == "person"} & set(linkable)
    retrain = _retrain(trained, len(new_ids), len(linkable), trained_on)
    recluster = retrain or bool(stale) or judged.latest_pk != seen_judgement
    labels = 0
    joins: Joins = {}
    if retrain:
        rows = linkage.table(list(linkable.values()))  # made once, read twice
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
        with engine.connect() as conn:
            old_links = records.load_links(conn)
            if not recluster:
                joins = records.joins(conn)
        all_links = [p for p in old_links if p.mention_a not in drop and p.mention_b not in drop]
        all_links += links

    if recluster:
        clusters = _cluster(people, feats, judged, all_links)
    else:
        clusters = _cluster(people, feats, judged, links, previous, joins)

    assignment = _stable_ids(clusters.groups(), previous)
    resolved = objects.resolve(
        _object_mention(m, f) for m, f in feats.items() if f["kind"] != "person"
    )
    entity_rows, mention_rows = _person_entities(
        feats, people, assignment, clusters.joined_by, index
    )
    obj_entities, obj_mentions = _object_entities(resolved.entities, feats, index)
    judged_pairs = set(judged.same) | set(judged.not_same)
    queue = records.review_rows(
        ((p.mention_a, p.mention_b, p.match_weight, _held(p, people)) for p in all_links),
        assignment,
        judged_pairs,
    )

    with engine.begin() as conn:
        records.replace_features(
            conn,
            sorted(set(changed) | gone_reports) if not full else list(current),
            new_feats if not full else list(feats.values()),
            current,
        )
        if retrain:
            assert trained is not None or not linkable
            if trained is not None:
                records.save_model(conn, trained, labels)
            records.set_state(conn, "trained_on", str(len(linkable)))
        elif trained_on is None:
            records.set_state(conn, "trained_on", str(len(linkable)))
        records.replace_links(conn, links, drop=drop)
        records.write_entities(
            conn,
            entity_rows + obj_entities,
            mention_rows + obj_mentions,
            resolved.candidates,
            queue,
        )
        records.set_state(conn, "judgements", str(judged.latest_pk))
        records.set_state(conn, "features", records.FEATURES_VERSION)
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


def _retrain(
    trained: dict[str, Any] | None, new: int, linkable: int, trained_on: int | None
) -> bool:
    """Whether to train the model again: there is none, the ``new`` linkable
    mentions are too large a share of all ``linkable``, or there are
    ``RETRAIN_GROWTH`` times as many as the model was trained on (unknown
    for a model stored before this was kept: counted from now)."""
    if trained is None or new > RETRAIN_SHARE * max(linkable, 1):
        return True
    return trained_on is not None and linkable >= RETRAIN_GROWTH * max(trained_on, 1)


def _int(value: str | None) -> int | None:
    return None if value is None else int(value)


def _match_new(
    engine: Engine,
    trained: dict[str, Any],
    stored_people: dict[str, dict[str, Any]],
    things: dict[str, tuple[str, dict[str, Any]]],
    new_feats: list[dict[str, Any]],
    previous: dict[str, str],
    judged: judgements.Judgements,
    index: Index,
    current: dict[int, int],
    baseline: int | None = None,
) -> str:
    """The fast path, for new reports only: scores their person mentions
    against the stored ones (``stored_people``: every comparison row), clusters
    them with the earlier entities they can change (``_Reach``) exactly as
    clustering everything would, resolves the objects they can change
    (``things``: every stored object's kind and data), and writes only the
    entities, mentions, candidates and review pairs that changed. ``baseline``
    is kept as the size the model was trained on when none was kept."""
    new = {f["mention_id"]: f for f in new_feats}
    people = stored_people | {m: f["row"] for m, f in new.items() if f["kind"] == "person"}
    new_people = {m for m, f in new.items() if f["kind"] == "person"}
    new_ids = sorted(m for m in new_people if features.has_identity(people[m]))
    existing = [r for m, r in stored_people.items() if features.has_identity(r)]
    links = linkage.score_new(trained, existing, [people[m] for m in new_ids])

    things = things | {m: (f["kind"], f["row"]) for m, f in new.items() if f["kind"] != "person"}
    objects_resolved, objects_written = _touched_objects(things, set(new) - new_people)
    with engine.connect() as conn:

        def features_of(mentions: set[str]) -> dict[str, dict[str, Any]]:
            stored = records.features_of(conn, mentions - new.keys())
            return stored | {m: new[m] for m in mentions & new.keys()}

        clusters, feats = _attach(
            people,
            previous,
            new_people,
            links,
            judged,
            lambda ms: (features_of(ms), records.joins(conn, ms - new.keys())),
        )
        feats |= features_of(objects_resolved)
        queue_before = records.load_review(conn)
        earlier_objects = records.entity_of(conn, objects_written - new.keys())

    groups = clusters.groups()
    assignment = _stable_ids(groups, {m: previous[m] for g in groups for m in g if m in previous})
    redone = [m for g in groups if _changed(g, previous) for m in g]
    entity_rows, mention_rows = _person_entities(
        feats, redone, assignment, clusters.joined_by, index
    )
    gone = {previous[m] for m in redone if m in previous} | {assignment[m] for m in redone}

    resolved = objects.resolve(_object_mention(m, feats[m]) for m in sorted(objects_resolved))
    kept = [e for e in resolved.entities if objects_written.intersection(e.mentions)]
    obj_entities, obj_mentions = _object_entities(kept, feats, index)
    gone |= set(earlier_objects.values()) | {e.entity_id for e in kept}
    vehicles = {m for m in objects_written if things[m][0] == "vehicle"}
    candidates = [c for c in resolved.candidates if c["mention_id"] in vehicles]

    lookup = {r["mention_a"]: r["entity_a"] for r in queue_before}
    lookup |= {r["mention_b"]: r["entity_b"] for r in queue_before}
    lookup |= assignment
    queue = records.review_rows(
        [(r["mention_a"], r["mention_b"], r["match_weight"], r["held"]) for r in queue_before]
        + [(p.mention_a, p.mention_b, p.match_weight, _held(p, people)) for p in links],
        lookup,
        set(judged.same) | set(judged.not_same),
    )

    with engine.begin() as conn:
        records.replace_features(conn, (), new_feats, current)  # new reports: none stored
        records.replace_links(conn, links, drop=new_ids)
        records.replace_entities(
            conn, gone, entity_rows + obj_entities, mention_rows + obj_mentions
        )
        records.replace_candidates(conn, vehicles, candidates)
        records.replace_review(conn, queue_before, queue)
        if baseline is not None:  # a model stored before its size was kept
            records.set_state(conn, "trained_on", str(baseline))
        records.set_state(conn, "judgements", str(judged.latest_pk))
        records.set_state(conn, "features", records.FEATURES_VERSION)
        n = records.counts(conn)
    return (
        f"{n['person_mentions']} person mentions -> {n['people']} people "
        f"({len(new_ids)} new mentions matched); "
        f"{n['objects']} vehicles, phones and places; "
        f"{n['candidates']} partial-plate candidates; {n['review']} pairs to review"
    )


def _held(link: linkage.ScoredPair, people: Mapping[str, dict[str, Any]]) -> str | None:
    """Why ``link`` goes to a person if its mentions end apart
    (``clustering.held_apart``), for the review queue."""
    a, b = people.get(link.mention_a), people.get(link.mention_b)
    if a is None or b is None:
        return None
    return held_apart(link, a, b)


def _attach(
    people: Mapping[str, dict[str, Any]],
    previous: Mapping[str, str],
    new: set[str],
    links: Sequence[linkage.ScoredPair],
    judged: judgements.Judgements,
    load: Callable[[set[str]], tuple[Mapping[str, dict[str, Any]], Joins]],
) -> tuple[Clusters, dict[str, dict[str, Any]]]:
    """Attaches the ``new`` person mentions to the earlier entities
    (``previous``) through their ``links``, clustering only the mentions they
    can change (``_Reach``): the clusters of those are what clustering every
    mention would give. ``people`` holds every mention's comparison row;
    ``load(mentions)`` gives their features and how the earlier ones were
    joined. Returns the clusters and the features of their mentions."""
    reach = _Reach(people, previous)
    namesakes = Namesakes(people.values())
    subset = reach.close(
        new
        | {m for p in links for m in (p.mention_a, p.mention_b)}
        | reach.staff_named_like(new)
        | reach.episode_mates(new)
    )
    feats: dict[str, dict[str, Any]] = {}
    joins: Joins = {}
    more = subset
    while True:
        found, joined = load(more)
        feats |= found
        joins |= joined
        rows = {m: r for m, r in people.items() if m in subset}
        clusters = _cluster(rows, feats, judged, links, previous, joins, namesakes)
        more = reach.close(reach.after_merges(clusters.groups()) - subset) - subset
        if not more:
            return clusters, feats
        subset |= more


def _cluster(
    people: Mapping[str, dict[str, Any]],
    feats: Mapping[str, dict[str, Any]],
    judged: judgements.Judgements,
    links: Sequence[linkage.ScoredPair],
    previous: Mapping[str, str] | None = None,
    joins: Joins | None = None,
    namesakes: Namesakes | None = None,
) -> Clusters:
    """Clusters ``people``: "same" judgements first, then ``links`` strongest
    first, then the rule passes (one officer, first name in its own report,
    staff by first name, the child of a return interview, a child by a full
    name nobody else is likely to have: ``namesakes``, the store's names,
    when ``people`` are not all of them). With ``previous``
    (mention -> earlier entity) the earlier entities are kept whole and
    ``links`` join onto them; ``joins``
    (how each earlier mention was joined) stand as those mentions' reasons
    unless a stronger link joins them now."""
    clusters = Clusters(people, judged.not_same)
    for a, b in judged.same:
        if a in people and b in people:
            clusters.join(a, b, force=True)
    if previous is not None:
        by_entity: dict[str, list[str]] = defaultdict(list)
        for m in sorted(people):
            if m in previous:
                by_entity[previous[m]].append(m)
        for members in by_entity.values():
            for m in members[1:]:
                clusters.join(members[0], m, force=True)
        for m, (other, weight, reasons) in (joins or {}).items():
            if m in people:
                clusters.joined_by[m] = Link(other, m, weight, reasons)
    clusters.add_links(links)
    clusters.join_officers()
    clusters.corefer_within_reports(
        {m: feats[m]["role"] for m in people},
        {
            m: {x for x in feats[m]["listed_with"] if x in people}
            for m in people
            if feats[m]["listed_with"]
        },
    )
    clusters.join_staff_by_first_name()
    clusters.join_missing_episodes()
    clusters.join_namesake_children(namesakes)
    return clusters


class _Reach:
    """Which person mentions a batch of new ones can change, and what must be
    clustered with them so that clustering just those gives, for each of
    them, what clustering everything would.

    Clustering keeps each earlier entity whole and adds the new links; its
    rule passes then join mentions with the same collar number and family
    name, a first name to the one person of its report named in full it can
    be, a member of staff known by first name to the one colleague of that
    job named in full it can be, and a first name missing on a day to the
    one person named in full missing that day it can be. Elsewhere the
    passes change nothing: they did what they could when the earlier
    entities were made, and an entity that only gains new mentions refuses
    every join it refused before (the rules only tighten as a cluster
    grows). So a subset holds whole earlier entities and every mention with
    an officer's key one of its own has (``close``); the staff known by
    first name of a job a new mention is named in full with
    (``staff_named_like``); everyone missing on a day a new mention went
    missing (``episode_mates``); and, once two earlier entities
    are merged (by a new mention, or by a pass that saw only part of a
    report, a job or a day), every mention of a report, every member of
    staff of a job and everyone missing on a day in which both have mentions
    (``after_merges``), clustered again until nothing more is added."""

    def __init__(self, people: Mapping[str, dict[str, Any]], previous: Mapping[str, str]):
        self.people = people
        self.previous = previous
        self.members: dict[str, list[str]] = defaultdict(list)
        self.officer: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.report: dict[int, list[str]] = defaultdict(list)
        self.staff: dict[str, list[str]] = defaultdict(list)  # job -> its staff
        self.first_names: dict[str, list[str]] = defaultdict(list)  # ... known by first name
        self.missing: dict[int, list[str]] = defaultdict(list)  # day -> who went missing
        self.children: dict[str, list[str]] = defaultdict(list)  # family -> dated children
        for m, row in people.items():
            if m in previous:
                self.members[previous[m]].append(m)
            self.report[row["report_pk"]].append(m)
            key = _officer(row)
            if key is not None:
                self.officer[key].append(m)
            job = _job(row)
            if job is not None:
                self.staff[job].append(m)
                if not row.get("family"):
                    self.first_names[job].append(m)
            day = _missing_on(row)
            if day is not None:
                self.missing[day].append(m)
            if dated_child(row):
                self.children[row["family"]].append(m)

    def staff_named_like(self, mentions: Iterable[str]) -> set[str]:
        """Staff known by first name of the job one of ``mentions`` is named
        in full with: it can be the one colleague they are joined to."""
        found: set[str] = set()
        for m in mentions:
            job = _job(self.people[m])
            if job is not None and self.people[m].get("family"):
                found.update(self.first_names[job])
        return found

    def episode_mates(self, mentions: Iterable[str]) -> set[str]:
        """Everyone reported missing on a day one of ``mentions`` went
        missing: a first name is joined to the one of them named in full it
        can be."""
        found: set[str] = set()
        for m in mentions:
            day = _missing_on(self.people[m])
            if day is not None:
                found.update(self.missing[day])
        return found

    def close(self, start: Iterable[str]) -> set[str]:
        """``start`` with whole earlier entities, every mention with an
        officer's key one of them has and every dated child named in full
        with a family name one of them has, as a dated child named in full,
        until nothing more is added."""
        found: set[str] = set()
        todo = list(start)
        while todo:
            m = todo.pop()
            if m in found:
                continue
            found.add(m)
            if m in self.previous:
                todo += self.members[self.previous[m]]
            row = self.people[m]
            key = _officer(row)
            if key is not None:
                todo += self.officer[key]
            if dated_child(row):
                todo += self.children[row["family"]]
        return found

    def after_merges(self, groups: Iterable[list[str]]) -> set[str]:
        """For each cluster that merged two or more earlier entities: every
        mention of a report, every member of staff of a job and everyone
        missing on a day, in which two of them have mentions. The rule passes
        compare those afresh."""
        found: set[str] = set()
        for members in groups:
            earlier = [(m, self.previous[m]) for m in members if m in self.previous]
            if len({e for _, e in earlier}) < 2:
                continue
            by_report: dict[int, set[str]] = defaultdict(set)
            by_job: dict[str, set[str]] = defaultdict(set)
            by_day: dict[int, set[str]] = defaultdict(set)
            for m, entity in earlier:
                row = self.people[m]
                by_report[row["report_pk"]].add(entity)
                job = _job(row)
                if job is not None:
                    by_job[job].add(entity)
                day = _missing_on(row)
                if day is not None:
                    by_day[day].add(entity)
            for pk, entities in by_report.items():
                if len(entities) > 1:
                    found.update(self.report[pk])
            for job, entities in by_job.items():
                if len(entities) > 1:
                    found.update(self.staff[job])
            for day, entities in by_day.items():
                if len(entities) > 1:
                    found.update(self.missing[day])
        return found


def _changed(members: Iterable[str], previous: Mapping[str, str]) -> bool:
    """Whether a cluster is other than one earlier entity: it holds a new
    mention, or two earlier entities merged."""
    earlier = {previous.get(m) for m in members}
    return None in earlier or len(earlier) > 1


def _officer(row: Mapping[str, Any]) -> tuple[str, str] | None:
    """An officer's collar number and family name, as the officer pass joins them."""
    ident = row.get("identifier") or ""
    if ident.startswith("collar:") and row.get("family"):
        return ident, row["family"]
    return None


def _missing_on(row: Mapping[str, Any]) -> int | None:
    """The day a person with a given name went missing, as the episode pass
    reads it (``Clusters.join_missing_episodes``)."""
    return row.get("missing_on") if row.get("given") else None


def _job(row: Mapping[str, Any]) -> str | None:
    """The job a member of staff with a given name is matched by, as the
    staff pass matches them (``features.staff_job``)."""
    return features.staff_job(row.get("occupation")) if row.get("given") else None


def _touched_objects(
    things: Mapping[str, tuple[str, dict[str, Any]]], new: set[str]
) -> tuple[set[str], set[str]]:
    """The object mentions whose entities the ``new`` ones can change, and
    what resolving them needs, so that resolving just these gives the same
    entities as resolving all (``objects.resolve``): every mention of a
    vehicle's mark; a partial mark that is new or fits a mark first seen now,
    with every vehicle whose mark it fits; every mention of a phone's number;
    a place with every place sharing a key or a name with it, and theirs in
    turn. Returns (the mentions to resolve, those whose entities to write)."""
    resolve: set[str] = set()
    write: set[str] = set()
    full: dict[str, list[str]] = defaultdict(list)
    partial: list[str] = []
    numbers: dict[str, list[str]] = defaultdict(list)
    places: dict[str, dict[str, Any]] = {}
    for m, (kind, data) in things.items():
        if kind == "vehicle":
            if data["vrm"] and not data["partial"]:
                full[data["vrm"]].append(m)
            else:
                partial.append(m)
        elif kind == "phone":
            numbers[data["number"]].append(m)
        else:
            places[m] = data
    marks = {k for k, ms in full.items() if new.intersection(ms)}
    first_seen = {k for k in marks if new.issuperset(full[k])}
    for k in marks:
        write.update(full[k])
    for m in partial:
        mark = things[m][1]["vrm"]
        if m in new or (mark and any(vrm_type.matches(mark, k) for k in first_seen)):
            write.add(m)
            for k in full if mark else ():
                if vrm_type.matches(mark, k):
                    resolve.update(full[k])
    for ms in numbers.values():
        if new.intersection(ms):
            write.update(ms)
    write |= _places_reached(places, new)
    return resolve | write, write


def _places_reached(places: Mapping[str, dict[str, Any]], new: set[str]) -> set[str]:
    """The new place mentions with every place sharing a key
    (``objects._place_keys``: street address, postcode and house number, name
    and area…) or a name with them, and theirs in turn: everything resolving
    places compares them with."""
    if not new.intersection(places):
        return set()
    tokens: dict[str, list[str]] = {}
    holders: dict[str, list[str]] = defaultdict(list)
    known: dict[str, list[str]] = {}  # many mentions name one place alike
    for m, data in places.items():
        alike = json.dumps(data, sort_keys=True)
        own = known.get(alike)
        if own is None:
            mention = objects.ObjectMention(m, "location", 0, "", data)
            own = known[alike] = [key for key, _ in objects._place_keys(mention)]
            name = addresses.place_name(data["name"])
            if name:
                own.append(f"named:{name}")
        tokens[m] = own
        for token in own:
            holders[token].append(m)
    found: set[str] = set()
    todo = list(new.intersection(places))
    while todo:
        m = todo.pop()
        if m not in found:
            found.add(m)
            for token in tokens[m]:
                todo += holders[token]
    return found


def _features(fresh: dict[int, Extraction], index: Index) -> list[dict[str, Any]]:
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


def _object_mention(mention_id: str, f: dict[str, Any]) -> objects.ObjectMention:
    return objects.ObjectMention(mention_id, f["kind"], f["report_pk"], f["text"], f["row"])


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
    feats: Mapping[str, dict[str, Any]],
    mentions: Iterable[str],
    assignment: Mapping[str, str],
    joined_by: Mapping[str, Scored],
    index: Index,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The entities rows of the people ``mentions`` belong to (all their
    mentions must be given) and their entity_mentions rows."""
    members: dict[str, list[str]] = defaultdict(list)
    for m in sorted(mentions):
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
            mention_rows.append(_mention_row(f, eid, index, joined_by.get(f["mention_id"])))
    return entity_rows, mention_rows


def _mention_row(
    f: dict[str, Any], entity_id: str, index: Index, link: Scored | None
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
    resolved: Iterable[objects.ObjectEntity],
    feats: Mapping[str, dict[str, Any]],
    index: Index,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    entity_rows, mention_rows = [], []
    for ent in resolved:
        fs = [feats[m] for m in ent.mentions]
        seen = [(index[f["report_pk"]][0], index[f["report_pk"]][2]) for f in fs]
        entity_rows.append(records.entity_row(ent.entity_id, ent.kind, ent.label, ent.data, seen))
        for f in fs:
            row = _mention_row(f, ent.entity_id, index, None)
            row["reasons"] = ent.reasons.get(f["mention_id"], [])
            mention_rows.append(row)
    return entity_rows, mention_rows
