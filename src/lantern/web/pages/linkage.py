"""The linkage review queue: pairs of mentions nearest the match threshold,
and a child's records the rules held apart (two children of one name?),
each shown side by side with the comparisons behind its match weight, for a
person to judge "the same" or "not the same". Judgements always win over the
model (``lantern.resolve.judgements``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection, exists, func, literal, or_, select

from lantern.resolve import judgements
from lantern.resolve.explain import explain
from lantern.store.findings.resolution import entities, entity_mentions, review_queue
from lantern.store.schema import decisions, reports
from lantern.web.pages import access
from lantern.web.pages.rendering import Page, PageRoutes, Viewer, engine_of, page_bounds, render

pages = PageRoutes()
router = pages.router
ACCESS = pages.access

# Judging two records the same changes what everyone sees: the analysts' and
# investigators' work (auditors and advisers read, they do not judge).
JUDGE = "action.raise"


def judged() -> Any:
    def pair(x: Any, y: Any) -> Any:
        return literal("pair:") + x + "|" + y

    return exists().where(
        decisions.c.kind.in_(judgements.KINDS),
        or_(
            decisions.c.subject == pair(review_queue.c.mention_a, review_queue.c.mention_b),
            decisions.c.subject == pair(review_queue.c.mention_b, review_queue.c.mention_a),
        ),
    )


def mention_cards(conn: Connection, user: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each mention as written, with its report (only reports the user may see)."""
    rows = conn.execute(
        select(entity_mentions, entities.c.label)
        .join(reports, reports.c.pk == entity_mentions.c.report_pk)
        .outerjoin(entities, entities.c.entity_id == entity_mentions.c.entity_id)
        .where(entity_mentions.c.mention_id.in_(ids), access.visible_reports(user))
    ).all()
    return {r.mention_id: dict(r._mapping) for r in rows}


def review_page(
    conn: Connection, user: Any, offset: int, limit: int, held: bool = False
) -> Page[dict[str, Any]]:
    """A page of the pairs near the threshold, or of a child's records the
    rules ``held`` apart, not yet judged."""
    rows = conn.execute(
        judgements.review_query(held).where(~judged()).limit(limit + 1).offset(offset)
    ).all()
    cards = mention_cards(conn, user, [m for r in rows for m in (r.mention_a, r.mention_b)])
    items = []
    for row in rows:
        a, b = cards.get(row.mention_a), cards.get(row.mention_b)
        if a is None or b is None:
            continue
        why = explain(conn, row.mention_a, row.mention_b) or {}
        items.append(
            {
                **row._mapping,
                "a": a,
                "b": b,
                "reasons": why.get("reasons") or [],
                "in_common": why.get("in_common") or [],
                "probability": why.get("match_probability"),
            }
        )
    return Page(items, offset, limit, len(rows) > limit)


@pages.get("/linkage", "person.read")
def linkage_page(
    request: Request,
    user: Viewer,
    offset: Annotated[int, Query(ge=0)] = 0,
    held: Annotated[bool, Query()] = False,
) -> HTMLResponse:
    offset, limit = page_bounds(offset, 10)
    with engine_of(request).connect() as conn:
        page = review_page(conn, user, offset, limit, held)
        waiting = {
            kind: conn.execute(
                select(func.count()).select_from(
                    judgements.review_query(kind).where(~judged()).subquery()
                )
            ).scalar_one()
            for kind in (False, True)
        }
    return render(
        request,
        "linkage.html",
        {"page": page, "judge": JUDGE, "held": held, "waiting": waiting},
        user=user,
    )


@pages.post("/linkage/judgements", JUDGE)
def judge_pair(
    request: Request,
    user: Viewer,
    mention_a: Annotated[str, Form(max_length=200)],
    mention_b: Annotated[str, Form(max_length=200)],
    same: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=2000)] = "",
    held: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    engine = engine_of(request)
    with engine.connect() as conn:
        if len(mention_cards(conn, user, [mention_a, mention_b])) != 2:
            raise HTTPException(status_code=404, detail="no such pair")
    try:
        judgements.record(
            engine,
            mention_a,
            mention_b,
            same=same == "yes",
            actor=access.actor(user),
            reason=reason.strip() or None,
        )
    except (LookupError, ValueError) as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    back = "/linkage?held=1&judged=1" if held == "1" else "/linkage?judged=1"
    return RedirectResponse(back, status_code=303)
