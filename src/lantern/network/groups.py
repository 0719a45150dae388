"""Groups: communities of suspects found by Leiden (igraph + leidenalg, seeded)
over the suspects' part of the graph, weighted by evidence.

Two suspects are joined by the reports that name them together, the links a
report states between them, and — more weakly, and less the more people share
it — a child, vehicle, phone or place they are each reported with. Vertices are
ordered by their first mention (not by name), so the same reports give the
same groups whatever the people are called. Weights are summed in a fixed
order (reports by first mention, then stated links, then shared objects by id),
so that a weight worked out from only the reports around two suspects (an
incremental run) is the same number as one worked out from the whole town.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations
from typing import Any

import igraph as ig
import leidenalg

from lantern.network.evidence import Evidence
from lantern.network.graph import report_weight


@dataclass(slots=True)
class Group:
    group_id: str
    members: list[str]
    central: list[str]
    centrality: dict[str, float]
    victims: list[str]
    places: list[str]
    vehicles: list[str]
    phones: list[str]
    reports: list[str]
    agencies: list[str]
    first_seen: datetime | None
    last_seen: datetime | None
    detected_at: datetime | None = None
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SuspectGraph:
    order: list[str]  # suspects, in canonical order
    weights: dict[tuple[str, str], float]
    reports_of: dict[str, set[str]]  # suspect -> reports naming them as suspect
    linked: dict[str, dict[str, set[str]]]  # suspect -> {entity: reports together}


def suspect_graph(
    ev: Evidence, params: Mapping[str, Any], weights: Mapping[str, float]
) -> SuspectGraph:
    """The weighted graph between suspects."""
    suspect_roles = set(params.get("suspect_roles", ["suspect"]))
    min_share = float(params.get("min_suspect_share", 0.0))
    floor = float(weights.get("min_report_weight", 0.3))
    reports_of = ev.suspect_reports(suspect_roles, min_share)
    suspect = ev.is_suspect(suspect_roles, min_share)
    first_mention: dict[str, str] = {}
    for m in ev.mentions:  # sorted by mention id
        if m.entity_id in reports_of and m.report in reports_of[m.entity_id]:
            first_mention.setdefault(m.entity_id, m.mention_id)
    w: dict[tuple[str, str], float] = defaultdict(float)
    linked: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for report, mentions in ev.by_report().items():
        suspects = sorted(
            {m.entity_id for m in mentions if report in reports_of.get(m.entity_id, ())}
        )
        if not suspects:
            continue
        rw = report_weight(ev, report, floor)
        for a, b in combinations(suspects, 2):
            w[(a, b)] += weights["co-mention"] * rw
        others = {
            m.entity_id
            for m in mentions
            if m.entity_id not in suspect and (m.kind != "person" or m.entity_id in ev.children)
        }
        for s in suspects:
            for o in others:
                linked[s][o].add(report)
    for link in ev.links:
        if link.source in suspect and link.target in suspect:
            a, b = sorted((link.source, link.target))
            w[(a, b)] += weights["stated-link"] * report_weight(ev, link.report, floor)
    for d in ev.disclosures:
        for s in d.offenders:
            if s in suspect and d.victim:
                linked[s][d.victim].add(d.report)
    # shared children, vehicles, phones and places, damped by how many share them
    sharers: dict[str, dict[str, float]] = defaultdict(dict)
    for s, objs in linked.items():
        for o, reps in objs.items():
            sharers[o][s] = sum(report_weight(ev, r, floor) for r in sorted(reps))
    for o in sorted(sharers):
        by_suspect = sharers[o]
        if len(by_suspect) < 2:
            continue
        kind_weight = weights["shared-victim"] if o in ev.children else weights["shared-object"]
        damp = 1.0 / (len(by_suspect) - 1)
        for a, b in combinations(sorted(by_suspect), 2):
            w[(a, b)] += kind_weight * min(by_suspect[a], by_suspect[b]) * damp
    order = sorted(reports_of, key=lambda e: first_mention[e])
    return SuspectGraph(order, dict(w), dict(reports_of), {k: dict(v) for k, v in linked.items()})


def communities(sg: SuspectGraph, resolution: float, seed: int) -> list[list[str]]:
    """Leiden communities of the suspects' graph (each in canonical order)."""
    index = {e: i for i, e in enumerate(sg.order)}
    ends = ((index[a], index[b], wt) for (a, b), wt in sg.weights.items() if wt > 0)
    pairs = sorted((min(i, j), max(i, j), wt) for i, j, wt in ends)
    g = ig.Graph(n=len(sg.order), edges=[(i, j) for i, j, _ in pairs])
    g.es["weight"] = [wt for _, _, wt in pairs]
    partition = leidenalg.find_partition(
        g,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=resolution,
        seed=seed,
    )
    found = [[sg.order[i] for i in sorted(c)] for c in partition if c]
    return sorted(found, key=lambda c: index[c[0]])


def _strengths(sg: SuspectGraph, community_of: Mapping[str, int]) -> dict[str, float]:
    """Each suspect's weighted degree inside their own community (one pass,
    in a fixed order)."""
    strength: dict[str, float] = defaultdict(float)
    for (a, b), wt in sorted(sg.weights.items()):
        ca = community_of.get(a)
        if ca is not None and ca == community_of.get(b):
            strength[a] += wt
            strength[b] += wt
    return strength


def _centrality(strength: Mapping[str, float], members: list[str]) -> dict[str, float]:
    top = max((strength.get(m, 0.0) for m in members), default=0.0) or 1.0
    return {m: round(strength.get(m, 0.0) / top, 4) for m in members}


def detect(
    ev: Evidence,
    params: Mapping[str, Any],
    weights: Mapping[str, float],
    previous: Mapping[str, set[str]] | None = None,
) -> list[Group]:
    """The groups in the evidence. ``previous`` (group id -> members) keeps a
    group's id while its membership changes."""
    sg = suspect_graph(ev, params, weights)
    if not sg.order:
        return []
    found = communities(sg, float(params.get("resolution", 1.0)), int(params.get("seed", 7)))
    groups = describe(ev, sg, found, params)
    name_groups(groups, previous or {})
    return groups


def describe(
    ev: Evidence, sg: SuspectGraph, found: list[list[str]], params: Mapping[str, Any]
) -> list[Group]:
    """The groups among the communities ``found`` (each in canonical order),
    unnamed. ``sg`` needs the reports and links of their members and every
    weight between two of them."""
    community_of = {m: i for i, members in enumerate(found) for m in members}
    strength = _strengths(sg, community_of)
    groups = []
    for members in found:
        group = _describe(ev, sg, members, params, strength)
        if group is not None:
            groups.append(group)
    return groups


def _describe(
    ev: Evidence,
    sg: SuspectGraph,
    members: list[str],
    params: Mapping[str, Any],
    strength: Mapping[str, float],
) -> Group | None:
    rank = {m: i for i, m in enumerate(members)}
    solid = int(params.get("min_member_reports", 1))
    members = [m for m in members if len(sg.reports_of[m]) >= solid]
    if len(members) < int(params.get("min_members", 2)):
        return None
    reports = sorted(set().union(*(sg.reports_of[m] for m in members)))
    if len(reports) < int(params.get("min_reports", 2)):
        return None
    linked: dict[str, set[str]] = defaultdict(set)
    for m in members:
        for o, reps in sg.linked.get(m, {}).items():
            linked[o] |= reps
    victims = sorted(o for o in linked if o in ev.children)
    if len(victims) < int(params.get("min_children", 1)):
        return None
    centrality = _centrality(strength, members)
    n_central = max(1, math.ceil(len(members) * float(params.get("central_share", 0.34))))
    central = sorted(members, key=lambda m: (-centrality[m], rank[m]))[:n_central]
    times = [ev.reports[r].received_at for r in reports]
    by_kind: dict[str, list[str]] = defaultdict(list)
    for o in sorted(linked):
        by_kind[ev.entity_kinds.get(o, "")].append(o)
    agencies = sorted({ev.reports[r].agency for r in reports})
    return Group(
        group_id="",
        members=members,
        central=central,
        centrality=centrality,
        victims=victims,
        places=by_kind["location"],
        vehicles=by_kind["vehicle"],
        phones=by_kind["phone"],
        reports=reports,
        agencies=agencies,
        first_seen=min(times),
        last_seen=max(times),
        reasons=[
            f"{len(members)} suspects linked to each other across {len(reports)} reports",
            f"{len(victims)} children linked to them",
            f"reported by {len(agencies)} agencies ({', '.join(agencies)})",
        ],
    )


def name_groups(
    groups: list[Group], previous: Mapping[str, set[str]], held: Collection[str] = ()
) -> None:
    """Keeps the id of the previous group each one overlaps most; a new group
    is named by a hash of its founding members (with a counter if that id is
    taken: its founders may have founded a group that kept its id as others
    joined). ``held``: ids of other groups, not named here, that keep theirs."""
    holding: dict[str, set[str]] = defaultdict(set)  # member -> previous groups
    for gid, members in previous.items():
        for m in members:
            holding[m].add(gid)
    overlaps = sorted(
        (-len(set(g.members) & previous[gid]), gid, i)
        for i, g in enumerate(groups)
        for gid in set().union(*(holding.get(m, set()) for m in g.members))
    )
    taken: set[str] = set(held)
    for _, gid, i in overlaps:
        if groups[i].group_id or gid in taken:
            continue
        groups[i].group_id = gid
        taken.add(gid)
    for g in groups:
        if not g.group_id:
            founders = "|".join(g.members)
            g.group_id = _group_id(founders)
            n = 0
            while g.group_id in taken:
                n += 1
                g.group_id = _group_id(f"{founders}#{n}")
            taken.add(g.group_id)


def _group_id(text: str) -> str:
    return f"group:{hashlib.sha256(text.encode()).hexdigest()[:16]}"
