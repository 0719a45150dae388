"""The link chart: a person, object, place or group and what it is linked to,
drawn with cytoscape.js (served from ``static/vendor``, built from npm). A click
on a node expands it; the edges can be filtered by date and agency; the chart
is exported as PNG in the browser."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import Connection, func, or_, select

from lantern.store.findings.network import network_edges, network_groups
from lantern.store.findings.resolution import entities, entity_mentions
from lantern.store.schema import reports
from lantern.web.pages import access
from lantern.web.pages.rendering import PageRoutes, Viewer, engine_of, render

pages = PageRoutes()
router = pages.router
ACCESS = pages.access

NEIGHBOURS = 60  # most strongly linked neighbours drawn around a node


def _day(text: str, end: bool = False) -> datetime | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=f"{text!r} is not a date") from exc
    return datetime.combine(day, time.max if end else time.min, UTC)


def edges_around(conn: Connection, ids: list[str], limit: int = NEIGHBOURS) -> list[dict[str, Any]]:
    """Edges touching any of ``ids``, strongest first; before the network stage
    has run, pairs of entities mentioned in the same report."""
    rows = [
        dict(r._mapping)
        for r in conn.execute(
            select(network_edges)
            .where(or_(network_edges.c.a.in_(ids), network_edges.c.b.in_(ids)))
            .order_by(network_edges.c.weight.desc())
            .limit(limit * max(1, len(ids)))
        )
    ]
    if rows:
        return rows
    mine = entity_mentions.alias("mine")
    other = entity_mentions.alias("other")
    found = conn.execute(
        select(
            mine.c.entity_id.label("a"),
            other.c.entity_id.label("b"),
            func.count(func.distinct(other.c.report_pk)).label("weight"),
            func.min(other.c.received_at).label("first_seen"),
            func.max(other.c.received_at).label("last_seen"),
            func.min(other.c.agency).label("agency"),
        )
        .join(other, other.c.report_pk == mine.c.report_pk)
        .where(mine.c.entity_id.in_(ids), other.c.entity_id != mine.c.entity_id)
        .group_by(mine.c.entity_id, other.c.entity_id)
        .order_by(func.count(func.distinct(other.c.report_pk)).desc())
        .limit(limit)
    ).all()
    return [
        {
            "a": r.a,
            "b": r.b,
            "kind": "co-mention",
            "weight": float(r.weight),
            "first_seen": r.first_seen,
            "last_seen": r.last_seen,
            "agencies": [r.agency],
        }
        for r in found
    ]


def keep_edge(
    edge: dict[str, Any], since: datetime | None, until: datetime | None, agency: str
) -> bool:
    if since and edge.get("last_seen") and edge["last_seen"] < since:
        return False
    if until and edge.get("first_seen") and edge["first_seen"] > until:
        return False
    return not (agency and agency not in (edge.get("agencies") or []))


def chart_data(
    conn: Connection, focus: str, since: datetime | None, until: datetime | None, agency: str
) -> dict[str, Any]:
    """Nodes and edges (cytoscape's ``elements``) around ``focus``: an entity,
    or a group and its members."""
    seeds = [focus]
    if focus.startswith("group:"):
        group = conn.execute(
            select(network_groups).where(network_groups.c.group_id == focus)
        ).first()
        if group is None:
            raise HTTPException(status_code=404, detail="no such group")
        seeds = list(dict.fromkeys([*group.members, *group.victims]))
    edges = [e for e in edges_around(conn, seeds) if keep_edge(e, since, until, agency)]
    ids = set(seeds) | {e["a"] for e in edges} | {e["b"] for e in edges}
    nodes = {
        r.entity_id: r
        for r in conn.execute(
            select(
                entities.c.entity_id, entities.c.kind, entities.c.label, entities.c.reports
            ).where(entities.c.entity_id.in_(list(ids)))
        )
    }
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for e in edges:
        if e["a"] not in nodes or e["b"] not in nodes:
            continue
        a, b = sorted((e["a"], e["b"]))
        item = merged.setdefault(
            (a, b), {"id": f"{a}~{b}", "source": a, "target": b, "weight": 0.0, "kinds": []}
        )
        item["weight"] += float(e["weight"])
        item["kinds"].append(e["kind"])
    return {
        "focus": focus,
        "nodes": [
            {
                "data": {
                    "id": n.entity_id,
                    "label": n.label,
                    "kind": n.kind,
                    "reports": n.reports,
                    "seed": n.entity_id in seeds,
                }
            }
            for n in nodes.values()
        ],
        "edges": [
            {"data": {**m, "label": ", ".join(sorted(set(m["kinds"])))}} for m in merged.values()
        ],
    }


def chart_agencies(conn: Connection, user: Any) -> list[str]:
    return list(
        conn.execute(
            select(reports.c.agency)
            .where(access.visible_reports(user))
            .distinct()
            .order_by(reports.c.agency)
        ).scalars()
    )


@pages.get("/chart", "group.read")
def chart_page(request: Request, user: Viewer, focus: str = "") -> HTMLResponse:
    with engine_of(request).begin() as conn:
        label = None
        if focus:
            label = conn.execute(
                select(entities.c.label).where(entities.c.entity_id == focus)
            ).scalar() or (focus if focus.startswith("group:") else None)
            if label is None:
                raise HTTPException(status_code=404, detail="nothing to chart")
            access.audit_read(conn, user, focus, detail={"view": "link chart"})
        agencies = chart_agencies(conn, user)
    return render(
        request, "chart.html", {"focus": focus, "label": label, "agencies": agencies}, user=user
    )


@pages.get("/chart/data", "group.read", response_class=JSONResponse)
def chart_elements(
    request: Request, user: Viewer, focus: str, since: str = "", until: str = "", agency: str = ""
) -> JSONResponse:
    with engine_of(request).begin() as conn:
        data = chart_data(conn, focus, _day(since), _day(until, end=True), agency)
        access.audit_read(conn, user, focus, detail={"view": "link chart expand"})
    return JSONResponse(data)
