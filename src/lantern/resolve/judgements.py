"""People's judgements: "these two mentions are the same person" and "they are
not". Each is a Decision (``same-entity`` / ``not-same-entity``) about the
subject ``pair:<mention_a>|<mention_b>`` (the two ids sorted), stored with an
audit row, never overwritten: a later judgement about the same pair
supersedes the earlier one. Judgements always win over the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from lantern import clock
from lantern.domain import DecisionKind
from lantern.store import audit
from lantern.store.findings.resolution import entity_mentions, review_queue
from lantern.store.schema import decisions

KINDS = (DecisionKind.SAME_ENTITY.value, DecisionKind.NOT_SAME_ENTITY.value)


@dataclass(frozen=True, slots=True)
class Judgements:
    same: list[tuple[str, str]]  # must-link
    not_same: list[tuple[str, str]]  # cannot-link
    latest_pk: int  # the newest judgement's decision pk (0 if none)


def subject(a: str, b: str) -> str:
    x, y = sorted((a, b))
    return f"pair:{x}|{y}"


def pair_of(subject_: str) -> tuple[str, str]:
    x, y = subject_.removeprefix("pair:").split("|", 1)
    return x, y


def record(
    engine: Engine, a: str, b: str, *, same: bool, actor: str, reason: str | None = None
) -> int:
    """Stores a judgement about two mentions (or two entities: their first
    mentions stand for them) and its audit row. Returns the decision's pk."""
    kind = DecisionKind.SAME_ENTITY if same else DecisionKind.NOT_SAME_ENTITY
    with engine.begin() as conn:
        a, b = mention_for(conn, a), mention_for(conn, b)
        if a == b:
            raise ValueError("a mention cannot be judged against itself")
        subj = subject(a, b)
        now = clock.now()
        payload: dict[str, Any] = {"reason": reason} if reason else {}
        inserted = conn.execute(
            decisions.insert().values(
                kind=kind.value, subject=subj, actor=actor, made_at=now, payload=payload
            )
        ).inserted_primary_key
        assert inserted is not None
        pk = inserted[0]
        audit.append(
            conn,
            [audit.Entry(actor, f"decision.{kind.value}", subj, {"decision": pk}, reason)],
            at=now,
        )
    return int(pk)


def mention_for(conn: Connection, ref: str) -> str:
    """A mention id as given, or the first mention of an entity id."""
    known = conn.execute(
        select(entity_mentions.c.mention_id).where(entity_mentions.c.mention_id == ref)
    ).scalar()
    if known:
        return ref
    first = conn.execute(
        select(entity_mentions.c.mention_id)
        .where(entity_mentions.c.entity_id == ref)
        .order_by(entity_mentions.c.mention_id)
        .limit(1)
    ).scalar()
    if first:
        return str(first)
    raise LookupError(f"no mention or entity {ref!r}: run `lantern analyse` first?")


def load(conn: Connection) -> Judgements:
    """The standing judgement on each pair (the latest made)."""
    latest: dict[str, tuple[int, str]] = {}
    newest = 0
    rows = conn.execute(
        select(decisions.c.pk, decisions.c.kind, decisions.c.subject)
        .where(decisions.c.kind.in_(KINDS))
        .order_by(decisions.c.made_at, decisions.c.pk)
    )
    for pk, kind, subj in rows:
        latest[subj] = (pk, kind)
        newest = max(newest, pk)
    same = [pair_of(s) for s, (_, k) in latest.items() if k == DecisionKind.SAME_ENTITY.value]
    not_same = [pair_of(s) for s, (_, k) in latest.items() if k != DecisionKind.SAME_ENTITY.value]
    return Judgements(sorted(same), sorted(not_same), newest)


def review(conn: Connection, limit: int = 20, *, held: bool = False) -> list[dict[str, Any]]:
    """Pairs for a person to judge, nearest the threshold first; or, with
    ``held``, a child's records the rules held apart, strongest first."""
    return [dict(r._mapping) for r in conn.execute(review_query(held).limit(limit))]


def review_query(held: bool = False) -> Any:
    """The review queue's pairs near the threshold (nearest first), or those
    ``held`` apart (strongest first)."""
    query = select(review_queue)
    if held:
        return query.where(review_queue.c.held.is_not(None)).order_by(
            review_queue.c.match_weight.desc(), review_queue.c.mention_a, review_queue.c.mention_b
        )
    return query.where(review_queue.c.held.is_(None)).order_by(
        review_queue.c.distance, review_queue.c.mention_a
    )
