"""Groups: people the network stage found acting together, the children linked
to them, their places, vehicles and phones, and the reports behind it all."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection, and_, select, tuple_

from lantern.store.findings.network import network_group_members, network_groups
from lantern.store.findings.resolution import entities
from lantern.store.schema import reports
from lantern.tasking.queries import list_actions
from lantern.web.pages import access
from lantern.web.pages.rendering import Page, PageRoutes, Viewer, engine_of, page_bounds, render

pages = PageRoutes()
router = pages.router
ACCESS = pages.access

REPORTS_SHOWN = 100


def groups_page(conn: Connection, offset: int, limit: int) -> Page[dict[str, Any]]:
    rows = conn.execute(
        select(network_groups)
        .order_by(network_groups.c.n_reports.desc(), network_groups.c.group_id)
        .limit(limit + 1)
        .offset(offset)
    ).all()
    items = [dict(r._mapping) for r in rows]
    labels = captions(conn, {e for i in items for e in (i["central"] or [])[:3]})
    for item in items:
        item["central_labels"] = [labels.get(e, e) for e in (item["central"] or [])[:3]]
    return Page.of(items, offset, limit)


def captions(conn: Connection, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    found: dict[str, str] = {}
    wanted = list(ids)
    for i in range(0, len(wanted), 900):
        found.update(
            conn.execute(
                select(entities.c.entity_id, entities.c.label).where(
                    entities.c.entity_id.in_(wanted[i : i + 900])
                )
            ).all()
        )
    return found


def visible_report_keys(conn: Connection, user: Any, keys: list[str]) -> list[dict[str, Any]]:
    """Of the group's reports, those the user may see (newest first)."""
    pairs = [tuple(k.split("/", 1)) for k in keys if "/" in k]
    out: list[dict[str, Any]] = []
    for i in range(0, len(pairs), 400):
        out.extend(
            dict(r._mapping)
            for r in conn.execute(
                select(reports.c.agency, reports.c.report_id, reports.c.received_at).where(
                    and_(
                        tuple_(reports.c.agency, reports.c.report_id).in_(pairs[i : i + 400]),
                        access.visible_reports(user),
                    )
                )
            )
        )
    return sorted(out, key=lambda r: r["received_at"], reverse=True)


@pages.get("/groups", "group.read")
def groups_list(
    request: Request, user: Viewer, offset: Annotated[int, Query(ge=0)] = 0
) -> HTMLResponse:
    offset, limit = page_bounds(offset)
    with engine_of(request).connect() as conn:
        page = groups_page(conn, offset, limit)
    return render(request, "groups.html", {"page": page}, user=user)


@pages.get("/groups/{group_id}", "group.read")
def group_page(request: Request, user: Viewer, group_id: str) -> HTMLResponse:
    with engine_of(request).begin() as conn:
        row = conn.execute(
            select(network_groups).where(network_groups.c.group_id == group_id)
        ).first()
        if row is None:
            raise HTTPException(status_code=404, detail="no such group")
        access.audit_read(conn, user, group_id)
        group = dict(row._mapping)
        members = conn.execute(
            select(network_group_members)
            .where(network_group_members.c.group_id == group_id)
            .order_by(network_group_members.c.centrality.desc())
        ).all()
        ids = {m.entity_id for m in members}
        for key in ("places", "vehicles", "phones", "victims", "members"):
            ids.update(group[key] or [])
        labels = captions(conn, ids)
        report_rows = visible_report_keys(conn, user, list(group["reports"] or []))
        context = {
            "group": group,
            "members": [
                {**m._mapping, "label": labels.get(m.entity_id, m.entity_id)} for m in members
            ],
            "things": {
                key: [(e, labels.get(e, e)) for e in group[key] or []]
                for key in ("places", "vehicles", "phones")
            },
            "reports": report_rows[:REPORTS_SHOWN],
            "more_reports": max(0, len(report_rows) - REPORTS_SHOWN),
            "actions": list_actions(conn, about=group_id)[1],
            "source": group_id,
        }
    return render(request, "group.html", context, user=user)
