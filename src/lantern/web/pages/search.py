"""Search: people, vehicles, phones and places (resolved entities), and the
text of reports. ``/people`` lists and searches people only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import (
    Connection,
    String,
    Text,
    and_,
    cast,
    or_,
    select,
    tuple_,
    type_coerce,
)

from lantern.store.findings.network import network_scores
from lantern.store.findings.resolution import entities
from lantern.store.schema import report_revisions, reports
from lantern.types import phone as phone_type
from lantern.types import vrm as vrm_type
from lantern.web.pages import access
from lantern.web.pages.rendering import (
    PAGE_SIZE,
    Page,
    PageRoutes,
    Viewer,
    engine_of,
    page_bounds,
    render,
)

pages = PageRoutes()
router = pages.router
ACCESS = pages.access

ENTITY_KINDS = ("person", "vehicle", "phone", "location")
KIND_LABELS = {
    "person": "People",
    "vehicle": "Vehicles",
    "phone": "Phones",
    "location": "Places",
    "report": "Report text",
}
PREVIEW = 8  # rows of each kind on the "everything" results


def search_terms(q: str, kind: str) -> list[str]:
    """The lower-case strings to look for: the query as typed and, for a
    vehicle or a phone, its normalised form."""
    terms = [q.strip().lower()]
    if kind in ("vehicle", "all"):
        mark = vrm_type.normalise(q)
        if mark:
            terms.append(mark[0].lower().replace("?", "_"))
    if kind in ("phone", "all"):
        number = phone_type.normalise(q)
        if number:
            terms.append(number.lower())
    return [t for t in dict.fromkeys(terms) if t]


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%")
    return f"%{escaped}%"


def as_text(column: Any, conn: Connection) -> Any:
    """A JSON column as the text it is stored as (on SQLite, no conversion at all)."""
    if conn.dialect.name == "sqlite":
        return type_coerce(column, String)
    return cast(column, Text)


def contains(column: Any, term: str, conn: Connection) -> Any:
    """``column`` contains ``term``, ignoring case: SQLite's LIKE already ignores
    ASCII case (and lower() on every row is costly); PostgreSQL has ILIKE."""
    if conn.dialect.name == "sqlite":
        return column.like(_like(term), escape="\\")
    return column.ilike(_like(term), escape="\\")


def find_entities(
    conn: Connection, q: str, kind: str, offset: int, limit: int
) -> Page[dict[str, Any]]:
    """Entities of ``kind`` whose caption or data contains the query, the
    most reported first; with no query, every entity of that kind."""
    query = (
        select(
            entities.c.entity_id,
            entities.c.kind,
            entities.c.label,
            entities.c.data,
            entities.c.first_seen,
            entities.c.last_seen,
            entities.c.reports,
            entities.c.agencies,
        )
        .where(entities.c.kind == kind)
        .order_by(entities.c.reports.desc(), entities.c.entity_id)
        .limit(limit + 1)
        .offset(offset)
    )
    terms = search_terms(q, kind) if q.strip() else []
    if terms:
        data = as_text(entities.c.data, conn)
        query = query.where(
            or_(
                *[contains(entities.c.label, t, conn) for t in terms],
                *[contains(data, t, conn) for t in terms],
            )
        )
    rows = {
        row.entity_id: {**row._mapping, "scores": {}, "detail": detail_of(row.kind, row.data or {})}
        for row in conn.execute(query)
    }
    if rows:
        for score in conn.execute(
            select(network_scores).where(network_scores.c.entity_id.in_(list(rows)))
        ):
            rows[score.entity_id]["scores"][score.kind] = dict(score._mapping)
    return Page.of(list(rows.values()), offset, limit)


def detail_of(kind: str, data: dict[str, Any]) -> str:
    """What tells two entities of the same name apart: a person's date of birth
    or ages given, a vehicle's make and colour, a place's address."""
    if kind == "person":
        born = data.get("dob") or next(iter(data.get("dobs") or []), None)
        ages = data.get("ages") or []
        parts = [f"born {born}" if born else "", f"aged {ages[0]}–{ages[-1]}" if ages else ""]
        return ", ".join(p for p in parts if p)
    if kind == "vehicle":
        return " ".join(str(data[k]) for k in ("colour", "make", "model") if data.get(k))
    if kind == "location":
        return " ".join(str(data[k]) for k in ("address", "postcode") if data.get(k))
    return ""


def find_reports(
    conn: Connection, user: Any, q: str, offset: int, limit: int
) -> Page[dict[str, Any]]:
    """Reports the user may see whose text contains the query, newest first.
    On SQLite the stored JSON text is searched as it is (fast, no parsing; it
    includes the structured fields); on PostgreSQL the narrative."""
    if conn.dialect.name == "sqlite":
        where = contains(as_text(report_revisions.c.body, conn), q.strip(), conn)
    else:
        where = contains(report_revisions.c.body["narrative"].as_string(), q.strip(), conn)
    # The revisions are scanned once, in storage order, and the matches sorted
    # (walking the reports by date and looking up each revision is far slower).
    matching = (
        select(report_revisions.c.report_pk, report_revisions.c.revision)
        .where(where)
        .cte("matching")
        .prefix_with("MATERIALIZED")
    )
    found = conn.execute(
        select(
            reports.c.pk,
            reports.c.agency,
            reports.c.report_id,
            reports.c.received_at,
            reports.c.channel,
            reports.c.revisions,
        )
        .join(
            matching,
            and_(matching.c.report_pk == reports.c.pk, matching.c.revision == reports.c.revisions),
        )
        .where(access.visible_reports(user))
        .order_by(reports.c.received_at.desc(), reports.c.pk.desc())
        .limit(limit + 1)
        .offset(offset)
    ).all()
    bodies = (
        dict(
            conn.execute(
                select(report_revisions.c.report_pk, report_revisions.c.body).where(
                    tuple_(report_revisions.c.report_pk, report_revisions.c.revision).in_(
                        [(r.pk, r.revisions) for r in found]
                    )
                )
            ).all()
        )
        if found
        else {}
    )
    items = []
    for row in found:
        item = dict(row._mapping)
        narrative = str((bodies.get(row.pk) or {}).get("narrative") or "")
        item["excerpt"] = excerpt(narrative, q)
        items.append(item)
    return Page.of(items, offset, limit)


def excerpt(text: str, q: str, width: int = 90) -> tuple[str, str, str]:
    """(before, match, after) around the first place the query occurs."""
    at = text.lower().find(q.strip().lower())
    if at < 0:
        return (text[: width * 2], "", "")
    end = at + len(q.strip())
    start = max(0, at - width)
    before = ("…" if start else "") + text[start:at]
    after = text[end : end + width] + ("…" if end + width < len(text) else "")
    return (before, text[at:end], after)


@pages.get("/search", "search")
def search_page(
    request: Request,
    user: Viewer,
    q: str = "",
    kind: str = "all",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    kind = kind if kind in (*ENTITY_KINDS, "report") else "all"
    offset, limit = page_bounds(offset)
    results: dict[str, Page[dict[str, Any]]] = {}
    if q.strip():
        with engine_of(request).connect() as conn:
            # On "everything", report text (the slowest part) is fetched by the
            # page itself once shown (``/search/report-text``).
            wanted = ENTITY_KINDS if kind == "all" else (kind,)
            for k in wanted:
                lim, off = (PREVIEW, 0) if kind == "all" else (limit, offset)
                results[k] = (
                    find_reports(conn, user, q, off, lim)
                    if k == "report"
                    else find_entities(conn, q, k, off, lim)
                )
    return render(
        request,
        "search.html",
        {"q": q, "kind": kind, "results": results, "labels": KIND_LABELS, "all": kind == "all"},
        user=user,
    )


@pages.get("/search/report-text", "search")
def report_text_hits(request: Request, user: Viewer, q: str = "") -> HTMLResponse:
    """The first reports whose text holds the query: a fragment of the search page."""
    with engine_of(request).connect() as conn:
        page = find_reports(conn, user, q, 0, PREVIEW) if q.strip() else Page([], 0, PREVIEW, False)
    return render(
        request, "partials/report_hits.html", {"q": q, "page": page, "all": True}, user=user
    )


@pages.get("/people", "person.read")
def people_page(
    request: Request,
    user: Viewer,
    q: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    offset, limit = page_bounds(offset, PAGE_SIZE)
    with engine_of(request).connect() as conn:
        page = find_entities(conn, q, "person", offset, limit)
    return render(request, "people.html", {"q": q, "page": page}, user=user)
