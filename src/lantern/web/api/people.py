"""People, groups and search, read from the findings tables (the resolve and
network stages own them; a table not built yet reads as empty). A person is
shown only through the reports the user may see; every read is audited, and a
person mentioned in a restricted (handling-code C) report needs a reason."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel
from sqlalchemy import Connection, Table, exists, func, select

from lantern.auth.access import report_visibility
from lantern.auth.accounts import User, get_user
from lantern.store.findings import findings_metadata
from lantern.store.findings.resolution import entities, entity_mentions
from lantern.store.schema import reports
from lantern.tasking import notify
from lantern.tasking.queries import list_actions
from lantern.web.api.common import (
    NO_NUL,
    EntityPath,
    Limit,
    Offset,
    Reason,
    SearchText,
    ShortText,
    like_pattern,
    page,
    reason_needed,
)
from lantern.web.security import audit_read, require_permission, store

router = APIRouter()
KINDS = ("person", "vehicle", "phone", "location")

ACCESS = {
    ("GET", "/api/people"): "person.read",
    ("GET", "/api/people/{person_id}"): "person.read",
    ("POST", "/api/people/{person_id}/advisers"): "adviser.link",
    ("GET", "/api/groups"): "group.read",
    ("GET", "/api/groups/{group_id}"): "group.read",
    ("GET", "/api/search"): "search",
}


class AdviserLink(BaseModel):
    adviser: ShortText


def _seen_by(user: User) -> Any:
    """Entities mentioned in at least one report ``user`` may see."""
    return exists().where(
        entity_mentions.c.entity_id == entities.c.entity_id,
        entity_mentions.c.report_pk == reports.c.pk,
        report_visibility(user),
    )


@router.get("/people")
def find_people(
    request: Request,
    user: User = Depends(require_permission("person.read")),
    q: SearchText | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """People you may see, by name (``q``), most reported first."""
    where = [entities.c.kind == "person", _seen_by(user)]
    if q:
        where.append(func.lower(entities.c.label).like(like_pattern(q), escape="\\"))
    with store(request) as conn:
        total = conn.execute(select(func.count()).select_from(entities).where(*where)).scalar_one()
        rows = conn.execute(
            select(entities)
            .where(*where)
            .order_by(entities.c.reports.desc(), entities.c.entity_id)
            .limit(limit)
            .offset(offset)
        ).all()
        audit_read(conn, user, "search:people", detail={"q": q, "results": len(rows)})
    return page(total, [_entity(r) for r in rows], limit, offset)


@router.get("/people/{person_id}")
def read_person(
    person_id: EntityPath,
    request: Request,
    reason: Reason = None,
    user: User = Depends(require_permission("person.read")),
) -> dict[str, Any]:
    """A person: names, the mentions in reports you may see (newest first),
    scores with their reasons, actions about them. Audited."""
    with store(request) as conn:
        row = conn.execute(
            select(entities).where(entities.c.entity_id == person_id, entities.c.kind == "person")
        ).first()
        mentions = _mentions(conn, user, person_id) if row is not None else []
        if not mentions:
            raise HTTPException(404, "no such person, or not yours to see")
        restricted = any(m["handling"] == "C" for m in mentions)
        if restricted:
            reason = reason_needed(reason)
        audit_read(conn, user, person_id, reason, {"mentions": len(mentions)})
        scores = _scores(conn, person_id)
        actions = (
            list_actions(conn, about=person_id, limit=50)[1]
            if "action.read" in _perms(user)
            else []
        )
        advisers = notify.advisers_of(conn, person_id)
    return {
        **_entity(row),
        "restricted": restricted,
        "mentions": mentions,
        "scores": scores,
        "actions": actions,
        "advisers": advisers,
    }


@router.post("/people/{person_id}/advisers", status_code=201)
def link_adviser(
    person_id: EntityPath,
    body: AdviserLink,
    request: Request,
    user: User = Depends(require_permission("adviser.link")),
) -> dict[str, Any]:
    """Link an adviser (ISVA) to a victim: they will see the reports about the
    victim and be told whenever anything about the victim changes."""
    with store(request) as conn:
        adviser = get_user(conn, body.adviser)
        if adviser is None or adviser.role != "adviser":
            raise HTTPException(422, f"{body.adviser!r} is not an adviser")
        if (
            conn.execute(
                select(entities.c.entity_id).where(entities.c.entity_id == person_id)
            ).first()
            is None
        ):
            raise HTTPException(404, "no such person")
        linked = notify.link_adviser(conn, body.adviser, person_id, actor=user.actor)
    return {"linked": linked}


@router.get("/groups")
def list_groups(
    request: Request,
    user: User = Depends(require_permission("group.read")),
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Groups found by the network stage, largest first."""
    groups = _table("network_groups")
    with store(request) as conn:
        if groups is None or not conn.dialect.has_table(conn, groups.name):
            return page(0, [], limit, offset)
        total = conn.execute(select(func.count()).select_from(groups)).scalar_one()
        rows = conn.execute(
            select(groups)
            .order_by(groups.c.n_reports.desc(), groups.c.group_id)
            .limit(limit)
            .offset(offset)
        ).all()
    return page(total, [_group(r) for r in rows], limit, offset)


@router.get("/groups/{group_id}")
def read_group(
    group_id: EntityPath,
    request: Request,
    user: User = Depends(require_permission("group.read")),
    reason: Reason = None,
) -> dict[str, Any]:
    """One group: members, victims, places, vehicles, phones. Audited."""
    groups = _table("network_groups")
    with store(request) as conn:
        row = None
        if groups is not None and conn.dialect.has_table(conn, groups.name):
            row = conn.execute(select(groups).where(groups.c.group_id == group_id)).first()
        if row is None:
            raise HTTPException(404, "no such group")
        audit_read(conn, user, group_id, reason)
    return _group(row)


@router.get("/search")
def search(
    q: SearchText,
    request: Request,
    user: User = Depends(require_permission("search")),
    kind: Annotated[str | None, Query(max_length=20, pattern=NO_NUL)] = None,
    limit: Limit = 50,
) -> dict[str, Any]:
    """People, vehicles, phones and places whose name matches ``q``, and
    reports whose text does, among what you may see."""
    if kind is not None and kind not in (*KINDS, "report"):
        raise HTTPException(422, f"kind is one of {', '.join((*KINDS, 'report'))}")
    pattern = like_pattern(q)
    results: dict[str, Any] = {"q": q, "entities": [], "reports": []}
    with store(request) as conn:
        if kind != "report":
            where = [func.lower(entities.c.label).like(pattern, escape="\\"), _seen_by(user)]
            if kind:
                where.append(entities.c.kind == kind)
            rows = conn.execute(
                select(entities).where(*where).order_by(entities.c.reports.desc()).limit(limit)
            ).all()
            results["entities"] = [_entity(r) for r in rows]
        audit_read(conn, user, "search:all", detail={"q": q, "kind": kind})
    if kind in (None, "report"):
        from lantern.web.api.reports import list_reports

        results["reports"] = list_reports(request, user, None, q, limit, 0)["items"]
    return results


def _mentions(conn: Connection, user: User, entity_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(entity_mentions, reports.c.handling)
        .join(reports, reports.c.pk == entity_mentions.c.report_pk)
        .where(entity_mentions.c.entity_id == entity_id, report_visibility(user))
        .order_by(entity_mentions.c.received_at.desc())
        .limit(500)
    ).all()
    return [
        {
            "agency": r.agency,
            "report_id": r.report_id,
            "received_at": r.received_at,
            "role": r.role,
            "text": r.text,
            "handling": r.handling,
        }
        for r in rows
    ]


def _scores(conn: Connection, entity_id: str) -> list[dict[str, Any]]:
    scores = _table("network_scores")
    if scores is None or not conn.dialect.has_table(conn, scores.name):
        return []
    rows = conn.execute(select(scores).where(scores.c.entity_id == entity_id)).all()
    return [
        {"kind": r.kind, "score": r.score, "level": r.level, "reasons": r.reasons} for r in rows
    ]


def _table(name: str) -> Table | None:
    return findings_metadata.tables.get(name)


def _perms(user: User) -> frozenset[str]:
    from lantern.auth.roles import ROLE_PERMISSIONS

    return ROLE_PERMISSIONS.get(user.role, frozenset())


def _entity(row: Any) -> dict[str, Any]:
    return {
        "entity_id": row.entity_id,
        "kind": row.kind,
        "label": row.label,
        "data": row.data,
        "first_seen": row.first_seen,
        "last_seen": row.last_seen,
        "reports": row.reports,
        "agencies": row.agencies,
    }


def _group(row: Any) -> dict[str, Any]:
    keys = (
        "group_id",
        "members",
        "victims",
        "places",
        "vehicles",
        "phones",
        "first_seen",
        "last_seen",
        "n_reports",
        "n_agencies",
    )
    mapping = row._mapping
    return {key: mapping[key] for key in keys if key in mapping}
