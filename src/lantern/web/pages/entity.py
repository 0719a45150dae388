"""A person's page (and a vehicle's, phone's or place's): names and
identifiers, risk or priority with reasons, the chronology across agencies
(every report newest first, spans highlighted and correctable), who and what
they are linked to, their groups and actions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection, func, or_, select

from lantern.domain.mentions import PERSON_ROLES
from lantern.resolve import records as resolve_records
from lantern.resolve.explain import in_common
from lantern.resolve.judgements import review_query
from lantern.store.findings.network import network_edges, network_group_members, network_scores
from lantern.store.findings.resolution import entities, entity_mentions, review_queue
from lantern.store.schema import reports
from lantern.tasking.queries import list_actions
from lantern.web.pages import access
from lantern.web.pages.linkage import judged
from lantern.web.pages.rendering import Page, PageRoutes, Viewer, engine_of, page_bounds, render
from lantern.web.pages.report_entries import report_entries

pages = PageRoutes()
router = pages.router
ACCESS = pages.access

CHRONOLOGY_PAGE = 15
LINKED = 40
FACT_LABELS = {
    "names": "Names",
    "name": "Name",
    "aliases": "Also known as",
    "dob": "Date of birth",
    "dobs": "Dates of birth",
    "ages": "Ages given",
    "sex": "Sex",
    "identifiers": "Identifiers",
    "phones": "Phones",
    "addresses": "Addresses",
    "postcodes": "Postcodes",
    "vrm": "Registration",
    "vrms": "Registrations",
    "make": "Make",
    "model": "Model",
    "colour": "Colour",
    "number": "Number",
    "address": "Address",
    "postcode": "Postcode",
    "place_kind": "Kind of place",
    "kinds": "Kinds of place",
}


def describe(value: Any) -> str:
    """A value from an entity's data as plain words."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {describe(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return ", ".join(describe(v) for v in value)
    return "" if value is None else str(value)


def facts_of(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) for what is known of an entity, known fields first."""
    known = [(FACT_LABELS[k], describe(data[k])) for k in FACT_LABELS if data.get(k)]
    rest = [
        (k.replace("_", " ").capitalize(), describe(v))
        for k, v in data.items()
        if k not in FACT_LABELS and v not in (None, "", [], {})
    ]
    return [(label, text) for label, text in known + rest if text]


def load_entity(conn: Connection, entity_id: str) -> dict[str, Any]:
    row = conn.execute(select(entities).where(entities.c.entity_id == entity_id)).first()
    if row is None:
        raise HTTPException(status_code=404, detail="no such person or object")
    return dict(row._mapping)


def scores_of(conn: Connection, entity_id: str) -> dict[str, dict[str, Any]]:
    return {
        row.kind: dict(row._mapping)
        for row in conn.execute(
            select(network_scores).where(network_scores.c.entity_id == entity_id)
        )
    }


def chronology_page(
    conn: Connection, user: Any, entity_id: str, offset: int, limit: int
) -> tuple[Page[Any], frozenset[str]]:
    """The reports the user may see that mention the entity, newest first."""
    pk_rows = conn.execute(
        select(entity_mentions.c.report_pk, func.max(reports.c.received_at).label("received"))
        .join(reports, reports.c.pk == entity_mentions.c.report_pk)
        .where(entity_mentions.c.entity_id == entity_id, access.visible_reports(user))
        .group_by(entity_mentions.c.report_pk)
        .order_by(func.max(reports.c.received_at).desc(), entity_mentions.c.report_pk.desc())
        .limit(limit + 1)
        .offset(offset)
    ).all()
    pks = [r.report_pk for r in pk_rows[:limit]]
    mentions = conn.execute(
        select(
            entity_mentions.c.mention_id, entity_mentions.c.report_pk, entity_mentions.c.role
        ).where(entity_mentions.c.entity_id == entity_id, entity_mentions.c.report_pk.in_(pks))
    ).all()
    roles: dict[int, list[str]] = {}
    for m in mentions:
        if m.role and m.role not in roles.setdefault(m.report_pk, []):
            roles[m.report_pk].append(m.role)
    focus = frozenset(m.mention_id for m in mentions)
    entries = report_entries(conn, pks, focus=focus, roles=roles)
    return Page(entries, offset, limit, len(pk_rows) > limit), focus


def why_joined(conn: Connection, entity_id: str, pks: list[int]) -> dict[int, list[dict[str, Any]]]:
    """For each report of ``pks``, why its mentions of the entity were joined
    to the rest: each mention as written, the weight of the link that joined
    it, the comparisons behind that link (or the rule that joined it) and what
    the two mentions have in common (only what this report itself holds: the
    mention it was joined to may be in a report the reader may not see, and
    is not named)."""
    rows = conn.execute(
        select(
            entity_mentions.c.mention_id,
            entity_mentions.c.report_pk,
            entity_mentions.c.text,
            entity_mentions.c.match_weight,
            entity_mentions.c.reasons,
        )
        .where(entity_mentions.c.entity_id == entity_id, entity_mentions.c.report_pk.in_(pks))
        .order_by(entity_mentions.c.mention_id)
    ).all()
    joined = [r for r in rows if isinstance(r.reasons, dict) and r.reasons.get("comparisons")]
    wanted = {r.mention_id for r in joined} | {r.reasons.get("joined_to") for r in joined}
    features = resolve_records.features_of(conn, [m for m in wanted if m])
    out: dict[int, list[dict[str, Any]]] = {}
    for r in joined:
        other = r.reasons.get("joined_to")
        out.setdefault(r.report_pk, []).append(
            {
                "text": r.text,
                "weight": r.match_weight,
                # what weighed (a comparison with nothing to say weighs 0)
                "comparisons": [
                    c
                    for c in r.reasons["comparisons"]
                    if not isinstance(c.get("weight"), int | float) or abs(c["weight"]) >= 0.05
                ],
                "in_common": in_common(features, r.mention_id, other) if other else [],
            }
        )
    return out


def linked_entities(conn: Connection, entity_id: str, limit: int = LINKED) -> list[dict[str, Any]]:
    """Who and what the entity is linked to: the link graph's edges, or (before
    the network stage has run) the entities mentioned in the same reports."""
    edges = conn.execute(
        select(network_edges)
        .where(or_(network_edges.c.a == entity_id, network_edges.c.b == entity_id))
        .order_by(network_edges.c.weight.desc())
        .limit(limit * 3)
    ).all()
    links: dict[str, dict[str, Any]] = {}
    for edge in edges:
        other = edge.b if edge.a == entity_id else edge.a
        item = links.setdefault(other, {"entity_id": other, "weight": 0.0, "kinds": []})
        item["weight"] += edge.weight
        item["kinds"].append(edge.kind)
    if not edges:
        mine = select(entity_mentions.c.report_pk).where(entity_mentions.c.entity_id == entity_id)
        for row in conn.execute(
            select(
                entity_mentions.c.entity_id, func.count(func.distinct(entity_mentions.c.report_pk))
            )
            .where(entity_mentions.c.report_pk.in_(mine), entity_mentions.c.entity_id != entity_id)
            .group_by(entity_mentions.c.entity_id)
            .order_by(func.count(func.distinct(entity_mentions.c.report_pk)).desc())
            .limit(limit)
        ):
            links[row[0]] = {"entity_id": row[0], "weight": float(row[1]), "kinds": ["co-mention"]}
    ranked = sorted(links.values(), key=lambda i: -i["weight"])[:limit]
    if not ranked:
        return []
    labels = {
        r.entity_id: r
        for r in conn.execute(
            select(entities.c.entity_id, entities.c.kind, entities.c.label).where(
                entities.c.entity_id.in_([i["entity_id"] for i in ranked])
            )
        )
    }
    out = []
    for item in ranked:
        found = labels.get(item["entity_id"])
        if found is not None:
            out.append({**item, "kind": found.kind, "label": found.label})
    return out


def held_apart_from(conn: Connection, entity_id: str) -> list[dict[str, Any]]:
    """The entities this child's records were held apart from (the review
    queue's held-apart pairs not yet judged): the other entity, its label,
    the strongest link's weight and why it was held."""
    others: dict[str, Any] = {}  # strongest first, as the review lists them
    for r in conn.execute(
        review_query(held=True).where(
            or_(review_queue.c.entity_a == entity_id, review_queue.c.entity_b == entity_id),
            ~judged(),
        )
    ):
        others.setdefault(r.entity_b if r.entity_a == entity_id else r.entity_a, r)
    labels = dict(
        conn.execute(
            select(entities.c.entity_id, entities.c.label).where(entities.c.entity_id.in_(others))
        ).all()
    )
    return [
        {"entity_id": other, "label": labels[other], "held": r.held, "weight": r.match_weight}
        for other, r in others.items()
        if other in labels
    ]


def groups_of(conn: Connection, entity_id: str) -> list[dict[str, Any]]:
    return [
        dict(r._mapping)
        for r in conn.execute(
            select(network_group_members).where(network_group_members.c.entity_id == entity_id)
        )
    ]


def _entity_page(request: Request, user: Any, entity_id: str, offset: int) -> HTMLResponse:
    offset, limit = page_bounds(offset, CHRONOLOGY_PAGE)
    with engine_of(request).begin() as conn:
        entity = load_entity(conn, entity_id)
        access.audit_read(conn, user, entity_id)
        chronology, _focus = chronology_page(conn, user, entity_id, offset, limit)
        context = {
            "entity": entity,
            "why": why_joined(conn, entity_id, [r.pk for r in chronology.items]),
            "facts": facts_of(entity["data"] or {}),
            "scores": scores_of(conn, entity_id),
            "page": chronology,
            "linked": linked_entities(conn, entity_id),
            "groups": groups_of(conn, entity_id),
            "held_apart": held_apart_from(conn, entity_id),
            "actions": list_actions(conn, about=entity_id)[1],
            "roles": PERSON_ROLES,
        }
    return render(request, "entity.html", context, user=user)


@pages.get("/people/{entity_id}", "person.read")
def person_page(
    request: Request, user: Viewer, entity_id: str, offset: Annotated[int, Query(ge=0)] = 0
) -> HTMLResponse:
    return _entity_page(request, user, entity_id, offset)


@pages.get("/entities/{entity_id}", "person.read")
def entity_page(
    request: Request, user: Viewer, entity_id: str, offset: Annotated[int, Query(ge=0)] = 0
) -> HTMLResponse:
    return _entity_page(request, user, entity_id, offset)
