"""The link graph: resolved people, vehicles, phones and places joined by the
evidence that puts them together — co-mention in a report, a link the report
states (drives, uses-phone, lives-at…), and a phone, vehicle or address two
people share. Each edge keeps its dates, its reports, their agencies and its
weight: the sum over its reports of the kind's weight times the report's
grading weight (``Grading.weight``). Reports themselves are the other nodes:
an entity's edges to its reports are its mentions (``entity_mentions``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations
from typing import Any

from lantern.network.evidence import BYSTANDER_ROLES, Evidence, MentionRef

# Stated links that tie a person to an object they use or live at.
OBJECT_LINKS = frozenset({"drives", "owns", "uses-phone", "lives-at"})


@dataclass(slots=True)
class Edge:
    a: str
    b: str
    kind: str
    weight: float = 0.0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    reports: set[str] = field(default_factory=set)
    agencies: set[str] = field(default_factory=set)

    def add(self, weight: float, report: str, agency: str, at: datetime) -> None:
        if report in self.reports:
            return
        self.weight += weight
        self.reports.add(report)
        self.agencies.add(agency)
        self.first_seen = at if self.first_seen is None else min(self.first_seen, at)
        self.last_seen = at if self.last_seen is None else max(self.last_seen, at)

    def as_row(self, component: str | None = None) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "kind": self.kind,
            "weight": round(self.weight, 4),
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "reports": sorted(self.reports),
            "agencies": sorted(self.agencies),
            "component": component,
        }


Edges = dict[tuple[str, str, str], Edge]


def report_weight(ev: Evidence, report: str, floor: float) -> float:
    return max(ev.reports[report].grading_weight, floor)


def _add(edges: Edges, a: str, b: str, kind: str, w: float, ev: Evidence, report: str) -> None:
    if a == b:
        return
    if b < a:
        a, b = b, a
    edge = edges.get((a, b, kind))
    if edge is None:
        edge = edges[(a, b, kind)] = Edge(a, b, kind)
    info = ev.reports[report]
    edge.add(w, report, info.agency, info.received_at)


def participants(mentions: list[MentionRef]) -> list[str]:
    """The entities a report is about (not the professionals who wrote it)."""
    bystanders = {m.entity_id for m in mentions if m.role in BYSTANDER_ROLES}
    return sorted({m.entity_id for m in mentions} - bystanders)


def build_edges(ev: Evidence, weights: dict[str, float]) -> Edges:
    """Every edge of the link graph from the evidence."""
    floor = float(weights.get("min_report_weight", 0.3))
    edges: Edges = {}
    for report, mentions in ev.by_report().items():
        w = weights["co-mention"] * report_weight(ev, report, floor)
        for a, b in combinations(participants(mentions), 2):
            _add(edges, a, b, "co-mention", w, ev, report)
    users: dict[str, set[tuple[str, str]]] = defaultdict(set)  # object -> {(person, report)}
    for link in ev.links:
        w = weights["stated-link"] * report_weight(ev, link.report, floor)
        _add(edges, link.source, link.target, f"stated:{link.kind}", w, ev, link.report)
        if link.kind in OBJECT_LINKS:
            person, obj = link.source, link.target
            if ev.entity_kinds.get(person) != "person":
                person, obj = obj, person
            if ev.entity_kinds.get(person) == "person" and ev.entity_kinds.get(obj) != "person":
                users[obj].add((person, link.report))
    for obj, uses in sorted(users.items()):
        kind = f"shared-{ev.entity_kinds.get(obj, 'object')}"
        for (p, r1), (q, r2) in combinations(sorted(uses), 2):
            if p == q:
                continue
            latest = max(r1, r2, key=lambda r: (ev.reports[r].received_at, r))
            w = weights["shared-object"] * report_weight(ev, latest, floor)
            _add(edges, p, q, kind, w, ev, latest)
    return edges


def components(edges: Edges) -> dict[str, str]:
    """Each entity's connected component, named by its smallest entity id."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}
