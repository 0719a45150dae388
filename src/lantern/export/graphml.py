"""GraphML for NetworkX, Gephi and Cytoscape: people, vehicles, phones, places
and groups as nodes, the link graph's edges (one per pair and kind of
evidence, so a pair may have several) and a group's links to what it is
made of.

Node attributes: ``kind``, ``label``, ``risk_level``, ``risk_score``,
``priority_score``, ``group`` (group ids, ``;``-separated), ``first_seen``,
``last_seen`` (ISO 8601), ``reports`` and ``agencies`` (counts). Edge
attributes: ``kind``, ``weight``, ``first_date``, ``last_date``, ``reports``
(count), ``agencies`` (count), ``source_reports`` (``agency/report_id``,
``;``-separated). Scores are absent on nodes that have none.
"""

from __future__ import annotations

from typing import IO, Any

import networkx as nx
from sqlalchemy import Engine

from lantern.export import picture as pic
from lantern.export.picture import Picture


def write(engine: Engine, out: IO[str], **options: Any) -> dict[str, int]:
    """Writes the picture as GraphML; returns counts of what was written."""
    found = pic.load_for(engine, options)
    for line in nx.generate_graphml(graph(found), prettyprint=True):
        out.write(line)
        out.write("\n")
    return found.summary()


def graph(found: Picture) -> nx.MultiGraph:
    """The picture as a NetworkX multigraph with typed attributes."""
    g = nx.MultiGraph(name="Lantern", as_of=found.as_of.isoformat(), scope=found.scope)
    for node in found.nodes.values():
        attrs: dict[str, Any] = {
            "kind": node.kind,
            "label": node.label,
            "first_seen": pic.iso(node.first_seen),
            "last_seen": pic.iso(node.last_seen),
            "reports": len(node.reports),
            "agencies": len(node.agencies),
            "group": ";".join(node.groups),
        }
        if node.risk is not None:
            attrs["risk_level"] = node.risk.level or ""
            attrs["risk_score"] = float(node.risk.score)
        if node.priority is not None:
            attrs["priority_score"] = float(node.priority.score)
        g.add_node(node.node_id, **attrs)
    for link in [*found.links, *found.group_links]:
        g.add_edge(
            link.a,
            link.b,
            key=link.kind,
            kind=link.kind,
            weight=float(link.weight),
            first_date=pic.iso(link.first_seen),
            last_date=pic.iso(link.last_seen),
            reports=len(link.reports),
            agencies=len(link.agencies),
            source_reports=";".join(link.reports),
        )
    return g
