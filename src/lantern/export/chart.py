"""A small link chart drawn on the server as SVG, for printed profiles: the
subject in the middle, the people and objects linked to it around, each edge
as thick as its weight. Laid out by NetworkX with a fixed seed, so the same
picture always draws the same chart."""

from __future__ import annotations

import math
from collections import defaultdict
from xml.sax.saxutils import escape

import networkx as nx

from lantern.export.picture import Picture

WIDTH, HEIGHT, MARGIN = 680, 440, 60
COLOURS = {
    "person": "#1f5fa8",
    "vehicle": "#b35900",
    "phone": "#6a3d9a",
    "location": "#2e7d32",
    "group": "#b71c1c",
}
MAX_NODES = 24


def neighbours(found: Picture, centre: set[str]) -> list[tuple[str, float, list[str]]]:
    """(node id, total weight, kinds of link) of every node linked to ``centre``,
    heaviest first."""
    weight: dict[str, float] = defaultdict(float)
    kinds: dict[str, list[str]] = defaultdict(list)
    for link in [*found.links, *found.group_links]:
        for here, there in ((link.a, link.b), (link.b, link.a)):
            if here in centre and there not in centre:
                weight[there] += link.weight
                if link.kind not in kinds[there]:
                    kinds[there].append(link.kind)
    ranked = sorted(weight, key=lambda n: (-weight[n], n))
    return [(n, round(weight[n], 4), kinds[n]) for n in ranked]


def link_chart(found: Picture, centre: list[str], limit: int = MAX_NODES) -> str:
    """An SVG element: ``centre`` (the subject, or a group's core) and the
    heaviest-linked nodes around it, up to ``limit`` nodes in all."""
    core = [n for n in centre if n in found.nodes][:limit]
    around = [n for n, _, _ in neighbours(found, set(core))][: max(0, limit - len(core))]
    shown = set(core) | set(around)
    g = nx.Graph()
    g.add_nodes_from(shown)
    for link in [*found.links, *found.group_links]:
        if link.a in shown and link.b in shown:
            prior = g.get_edge_data(link.a, link.b, {"weight": 0.0})["weight"]
            g.add_edge(link.a, link.b, weight=prior + link.weight)
    if len(core) == 1:
        pos = nx.shell_layout(g, [core, sorted(around)] if around else [core])
    else:
        pos = nx.spring_layout(g, seed=7, k=1.6 / math.sqrt(max(len(shown), 1)))
    extent = max((abs(float(c)) for xy in pos.values() for c in xy), default=1.0) or 1.0
    scaled = {n: (float(xy[0]) / extent, float(xy[1]) / extent) for n, xy in pos.items()}
    return _svg(found, g, scaled, set(core))


def _xy(p: tuple[float, float]) -> tuple[float, float]:
    x = MARGIN + (float(p[0]) + 1) / 2 * (WIDTH - 2 * MARGIN)
    y = MARGIN / 2 + (float(p[1]) + 1) / 2 * (HEIGHT - 1.5 * MARGIN)
    return round(x, 1), round(y, 1)


def _svg(found: Picture, g: nx.Graph, pos: dict[str, tuple[float, float]], core: set[str]) -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="Link chart">'
    ]
    for a, b, data in g.edges(data=True):
        (x1, y1), (x2, y2) = _xy(pos[a]), _xy(pos[b])
        width = min(6.0, 0.8 + math.log1p(float(data["weight"])))
        parts.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#999" '
            f'stroke-width="{width:.1f}"/>'
        )
    for node_id in sorted(g.nodes):
        node = found.nodes[node_id]
        x, y = _xy(pos[node_id])
        radius = 11 if node_id in core else 7
        label = node.label if len(node.label) <= 18 else node.label[:17] + "…"
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="{radius}" fill="{COLOURS[node.kind]}" '
            f'stroke="#000" stroke-width="{1.5 if node_id in core else 0.5}"/>'
            f'<text x="{x}" y="{y + radius + 10}" font-size="8" text-anchor="middle" '
            f'font-weight="{"bold" if node_id in core else "normal"}">{escape(label)}</text>'
        )
    legend_x = 8
    for kind, colour in COLOURS.items():
        parts.append(
            f'<circle cx="{legend_x + 5}" cy="{HEIGHT - 10}" r="5" fill="{colour}"/>'
            f'<text x="{legend_x + 13}" y="{HEIGHT - 6}" font-size="9">{kind}</text>'
        )
        legend_x += 80
    parts.append("</svg>")
    return "".join(parts)
