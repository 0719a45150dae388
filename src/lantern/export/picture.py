"""One read of the findings that every export format draws: the picture.

People, vehicles, phones and places (the resolved entities), the link graph's
edges, groups and the links that tie them to their members, scores with their
reasons, and the reports behind it all — as the exporting user may see them.

Access (``docs/exports.md``): only reports the user may see
(``lantern.auth.access.report_visibility``) are read. Anything derived only
from reports left out — an entity mentioned only there, an edge, a score or a
group whose reports are all hidden — is left out too; what remains keeps only
the visible reports as its source, and a person's names only those written in
a visible report. With no user, the picture is the system's own (everything).

Filters: ``group`` keeps the group, what it is made of (members, children
linked, places, vehicles, phones) and their first-degree links, nothing else;
``person`` keeps the person and their first-degree links.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from lantern import clock
from lantern.auth.accounts import User, get_user
from lantern.auth.roles import allows
from lantern.store.findings.network import network_edges, network_groups, network_scores
from lantern.store.findings.resolution import entities, entity_mentions
from lantern.store.schema import reports

ENTITY_KINDS = ("person", "vehicle", "phone", "location")
# A group's composition as links from the group: network_groups column -> link kind.
GROUP_PARTS = {
    "members": "member-of",
    "victims": "child-linked-to",
    "places": "place-of",
    "vehicles": "vehicle-of",
    "phones": "phone-of",
}


class ExportError(ValueError):
    """An export that cannot be made as asked (unknown user or subject, no right)."""


@dataclass(slots=True)
class Score:
    kind: str  # priority | risk
    score: float
    level: str | None
    reasons: list[str]


@dataclass(slots=True)
class Node:
    """A resolved person, vehicle, phone or place, or a group."""

    node_id: str
    kind: str  # person | vehicle | phone | location | group
    label: str
    data: dict[str, Any]
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    reports: list[str] = field(default_factory=list)  # "agency/report_id", oldest first
    agencies: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # person: roles as mentioned
    risk: Score | None = None
    priority: Score | None = None
    groups: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Link:
    """An edge: one pair of nodes and one kind of evidence."""

    a: str
    b: str
    kind: str  # co-mention | stated:<kind> | shared-<kind> | member-of | child-linked-to …
    weight: float
    first_seen: datetime | None
    last_seen: datetime | None
    reports: list[str]
    agencies: list[str]

    @property
    def link_id(self) -> str:
        return f"{self.a}|{self.b}|{self.kind}"


@dataclass(slots=True)
class ReportSource:
    key: str  # "agency/report_id"
    pk: int
    agency: str
    report_id: str
    received_at: datetime
    handling: str
    agency_type: str | None
    channel: str | None


@dataclass(slots=True)
class Picture:
    as_of: datetime
    exporter: str  # username, or "system"
    nodes: dict[str, Node]
    links: list[Link]  # the link graph's edges between entities
    group_links: list[Link]  # a group to what it is made of
    reports: dict[str, ReportSource]
    withheld_reports: int  # reports the user may not see (left out)
    scope: str  # "all" | "group:…" | "person:…"

    def count(self, kind: str) -> int:
        return sum(1 for n in self.nodes.values() if n.kind == kind)

    def summary(self) -> dict[str, int]:
        counts = {kind: self.count(kind) for kind in (*ENTITY_KINDS, "group")}
        return {
            **counts,
            "links": len(self.links),
            "group_links": len(self.group_links),
            "reports": len(self.reports),
            "withheld_reports": self.withheld_reports,
        }

    def restricted_reports(self) -> list[str]:
        """Handling-code C reports in the picture (opening them needs a reason)."""
        return sorted(k for k, r in self.reports.items() if r.handling == "C")


def exporting_user(conn: Connection, user: User | str | None) -> User | None:
    """The user named (or given), checked: an export reads case records."""
    if user is None or isinstance(user, User):
        found = user
    else:
        found = get_user(conn, user)
        if found is None:
            raise ExportError(f"no user {user!r}")
    if found is not None and not allows(found.role, "report.read"):
        raise ExportError(f"a {found.role} reads no case records, so may not export them")
    return found


def load(
    engine: Engine,
    *,
    user: User | str | None = None,
    as_of: datetime | None = None,
    group: str | None = None,
    person: str | None = None,
    reason: str | None = None,
) -> Picture:
    """The picture as ``user`` may see it at ``as_of``, narrowed to one group or
    person. A user's export holding a handling-code C report needs a reason."""
    found = _load(engine, user=user, as_of=as_of, group=group, person=person)
    if found.exporter != "system" and found.restricted_reports() and not (reason or "").strip():
        raise ExportError(
            f"this export holds {len(found.restricted_reports())} restricted (handling code C) "
            "reports: give a reason (--reason)"
        )
    return found


def load_for(engine: Engine, options: dict[str, Any]) -> Picture:
    """``load`` with an exporter's options (``user``, ``as_of``, ``group``,
    ``person``, ``reason``; others are ignored)."""
    keys = ("user", "as_of", "group", "person", "reason")
    return load(engine, **{k: options.get(k) for k in keys})


def _load(
    engine: Engine,
    *,
    user: User | str | None,
    as_of: datetime | None,
    group: str | None,
    person: str | None,
) -> Picture:
    if group and person:
        raise ExportError("choose --group or --person, not both")
    as_of = as_of or clock.now()
    with engine.connect() as conn:
        viewer = exporting_user(conn, user)
        sources, withheld = _reports(conn, viewer, as_of)
        nodes = _entities(conn, sources)
        links = _edges(conn, sources, nodes)
        _scores(conn, sources, nodes)
        group_links = _groups(conn, sources, nodes)
    picture = Picture(
        as_of=as_of,
        exporter=viewer.username if viewer else "system",
        nodes=nodes,
        links=links,
        group_links=group_links,
        reports=sources,
        withheld_reports=withheld,
        scope="all",
    )
    if group:
        return narrow(picture, group, core=_group_core(picture, group))
    if person:
        if person not in nodes or nodes[person].kind == "group":
            raise ExportError(f"no person or object {person!r} in what you may see")
        return narrow(picture, person, core={person})
    return picture


def _reports(
    conn: Connection, viewer: User | None, as_of: datetime
) -> tuple[dict[str, ReportSource], int]:
    query = select(reports).where(reports.c.received_at <= as_of)
    every = conn.execute(query).all()
    visible_pks: set[int] | None = None
    if viewer is not None:
        from lantern.auth.access import report_visibility

        visible_pks = {
            pk
            for (pk,) in conn.execute(
                select(reports.c.pk).where(
                    reports.c.received_at <= as_of, report_visibility(viewer)
                )
            )
        }
    sources = {}
    for r in every:
        if visible_pks is not None and r.pk not in visible_pks:
            continue
        key = f"{r.agency}/{r.report_id}"
        sources[key] = ReportSource(
            key, r.pk, r.agency, r.report_id, r.received_at, r.handling, r.agency_type, r.channel
        )
    return sources, len(every) - len(sources)


def _entities(conn: Connection, sources: dict[str, ReportSource]) -> dict[str, Node]:
    seen: dict[str, list[Any]] = defaultdict(list)
    query = select(
        entity_mentions.c.entity_id,
        entity_mentions.c.agency,
        entity_mentions.c.report_id,
        entity_mentions.c.received_at,
        entity_mentions.c.role,
        entity_mentions.c.text,
    ).order_by(entity_mentions.c.received_at, entity_mentions.c.mention_id)
    for m in conn.execute(query):
        if f"{m.agency}/{m.report_id}" in sources:
            seen[m.entity_id].append(m)
    nodes: dict[str, Node] = {}
    for row in conn.execute(select(entities).where(entities.c.kind.in_(ENTITY_KINDS))):
        mentions = seen.get(row.entity_id)
        if not mentions:
            continue  # known only from reports left out (or none yet)
        keys = list(dict.fromkeys(f"{m.agency}/{m.report_id}" for m in mentions))
        data = dict(row.data or {})
        label = row.label
        if row.kind == "person":
            label, data["names"] = _visible_names(label, data.get("names") or [], mentions)
        nodes[row.entity_id] = Node(
            node_id=row.entity_id,
            kind=row.kind,
            label=label,
            data=data,
            first_seen=mentions[0].received_at,
            last_seen=mentions[-1].received_at,
            reports=keys,
            agencies=sorted({m.agency for m in mentions}),
            roles=sorted({m.role for m in mentions if m.role}),
        )
    return nodes


def _visible_names(label: str, names: list[str], mentions: list[Any]) -> tuple[str, list[str]]:
    """The names written in the visible mentions (a name seen only in a hidden
    report is not shown); the label is the first of them."""
    written = {str(m.text).casefold() for m in mentions}
    kept = [n for n in dict.fromkeys([label, *names]) if n and n.casefold() in written]
    if not kept:
        kept = list(dict.fromkeys(str(m.text) for m in mentions if m.text))
    return (kept[0] if kept else label), kept


def _keep(keys: list[str], sources: dict[str, ReportSource]) -> list[str]:
    return [k for k in keys if k in sources]


def _edges(
    conn: Connection, sources: dict[str, ReportSource], nodes: dict[str, Node]
) -> list[Link]:
    links = []
    for e in conn.execute(select(network_edges).order_by(network_edges.c.a, network_edges.c.b)):
        if e.a not in nodes or e.b not in nodes:
            continue
        stored = list(e.reports or [])
        kept = _keep(stored, sources)
        if stored and not kept:
            continue  # evidence only from reports left out
        first, last, weight = e.first_seen, e.last_seen, float(e.weight)
        if len(kept) < len(stored):  # part hidden: what the visible reports alone give
            dates = [sources[k].received_at for k in kept]
            first, last = min(dates), max(dates)
            weight = round(weight * len(kept) / len(stored), 4)
        links.append(
            Link(
                e.a,
                e.b,
                e.kind,
                weight,
                first,
                last,
                kept,
                sorted({sources[k].agency for k in kept}),
            )
        )
    return links


def _scores(conn: Connection, sources: dict[str, ReportSource], nodes: dict[str, Node]) -> None:
    for s in conn.execute(select(network_scores)):
        node = nodes.get(s.entity_id)
        stored = list(s.reports or [])
        if node is None or (stored and not _keep(stored, sources)):
            continue
        score = Score(s.kind, float(s.score), s.level, [str(r) for r in s.reasons or []])
        if s.kind == "risk":
            node.risk = score
        elif s.kind == "priority":
            node.priority = score


def _groups(
    conn: Connection, sources: dict[str, ReportSource], nodes: dict[str, Node]
) -> list[Link]:
    links = []
    for g in conn.execute(select(network_groups).order_by(network_groups.c.group_id)):
        stored = list(g.reports or [])
        kept = _keep(stored, sources)
        members = [m for m in g.members or [] if m in nodes]
        if (stored and not kept) or not members:
            continue
        dates = [sources[k].received_at for k in kept]
        node = Node(
            node_id=g.group_id,
            kind="group",
            label=_group_label(g.group_id, [*(g.central or []), *members], nodes),
            data={part: [e for e in g._mapping[part] or [] if e in nodes] for part in GROUP_PARTS},
            first_seen=min(dates) if dates else g.first_seen,
            last_seen=max(dates) if dates else g.last_seen,
            reports=kept,
            agencies=sorted({sources[k].agency for k in kept}),
        )
        node.data["central"] = [e for e in g.central or [] if e in nodes]
        nodes[g.group_id] = node
        done: set[str] = set()
        for part, kind in GROUP_PARTS.items():
            for entity_id in node.data[part]:
                if entity_id in done:
                    continue
                done.add(entity_id)
                nodes[entity_id].groups.append(g.group_id)
                links.append(Link(entity_id, g.group_id, kind, 1.0, None, None, [], node.agencies))
    return links


def _group_label(group_id: str, members: list[str], nodes: dict[str, Node]) -> str:
    """e.g. "Group around Amna Ali (+1) 07664900": its most central visible member."""
    shown = [m for m in dict.fromkeys(members) if m in nodes]
    tail = group_id.removeprefix("group:")[:8]
    if not shown:
        return f"Group {tail}"
    more = f" (+{len(shown) - 1})" if len(shown) > 1 else ""
    return f"Group around {nodes[shown[0]].label}{more} {tail}"


def _group_core(picture: Picture, group_id: str) -> set[str]:
    node = picture.nodes.get(group_id)
    if node is None or node.kind != "group":
        raise ExportError(f"no group {group_id!r} in what you may see")
    core = {group_id}
    for part in GROUP_PARTS:
        core.update(node.data[part])
    return core


def narrow(picture: Picture, scope: str, *, core: set[str]) -> Picture:
    """The ``core`` nodes, their first-degree links and the nodes at their ends;
    nothing else."""
    links = [link for link in picture.links if link.a in core or link.b in core]
    keep = set(core) | {link.a for link in links} | {link.b for link in links}
    group_links = [link for link in picture.group_links if link.a in core or link.b in core]
    keep |= {link.a for link in group_links} | {link.b for link in group_links}
    nodes = {nid: node for nid, node in picture.nodes.items() if nid in keep}
    used = {k for n in nodes.values() for k in n.reports} | {k for ln in links for k in ln.reports}
    return Picture(
        as_of=picture.as_of,
        exporter=picture.exporter,
        nodes=nodes,
        links=links,
        group_links=group_links,
        reports={k: r for k, r in picture.reports.items() if k in used},
        withheld_reports=picture.withheld_reports,
        scope=scope,
    )


def iso(value: datetime | None) -> str:
    """A date as ISO 8601, or '' when unknown."""
    return value.isoformat() if value is not None else ""
