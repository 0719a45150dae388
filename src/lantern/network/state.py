"""The network stage's own record of what it read and worked out
(``network_reports``, ``network_mentions``, ``network_entities``,
``network_suspect_links``, ``network_flags`` in ``store/findings/network.py``)
and the queries an incremental run is built on:

- ``changed_reports``: the reports whose mentions, revision or extraction
  differ from the stage's copy (compared in the database, so that nothing
  else is read);
- ``Neighbourhood``: the reports around a set of entities, read from the
  stage's copy, with who is a child or a suspect as stored;
- ``sync``: writes only the rows that differ.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
    Text,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    or_,
    select,
    update,
)

from lantern.network.evidence import (
    Evidence,
    MentionRow,
    ReportRow,
    assemble,
    evidence_from_json,
)
from lantern.store.findings.extraction import extractions
from lantern.store.findings.network import (
    network_entities,
    network_flags,
    network_mentions,
    network_reports,
    network_suspect_links,
)
from lantern.store.findings.resolution import entities, entity_mentions
from lantern.store.schema import reports

CHUNK = 900


def chunks(items: Iterable[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    """``items`` sorted, in lists small enough for an IN clause."""
    ordered = sorted(items)
    for i in range(0, len(ordered), size):
        yield ordered[i : i + size]


@dataclass(frozen=True, slots=True)
class Status:
    """What the stage decided about one entity."""

    kind: str
    ages_seen: str | None  # entities.data.ages as the database renders it (people)
    child: bool
    suspect_from: str | None  # first mention as a suspect; None: not a suspect
    community: str | None = None  # a suspect's community, named by its first member

    def row(self, entity_id: str) -> dict[str, Any]:
        return {
            "entity_id": entity_id,
            "kind": self.kind,
            "ages_seen": self.ages_seen,
            "child": self.child,
            "suspect_from": self.suspect_from,
            "community": self.community,
        }


def report_row(row: ReportRow) -> dict[str, Any]:
    """A ``network_reports`` row."""
    return {
        "report_pk": row.pk,
        "key": row.key,
        "agency": row.agency,
        "agency_type": row.agency_type,
        "received_at": row.received_at,
        "revision": row.revision,
        "grading": row.grading,
        "grading_weight": row.grading_weight,
        "extracted": row.extracted,
        "extractor": row.extractor,
        "evidence": row.evidence_json(),
    }


def changed_reports(conn: Connection, as_of: datetime) -> set[int]:
    """Reports whose mentions in scope (received by ``as_of``), revision or
    extraction differ from the stage's copy — new ones included."""
    m, n, r = entity_mentions, network_mentions, network_reports
    fresh = (
        select(m.c.report_pk, n.c.report_pk)
        .select_from(m.outerjoin(n, n.c.mention_id == m.c.mention_id))
        .where(
            m.c.received_at <= as_of,
            or_(
                n.c.mention_id.is_(None),
                n.c.entity_id != m.c.entity_id,
                n.c.kind != m.c.kind,
                n.c.report_pk != m.c.report_pk,
                n.c.role.is_distinct_from(m.c.role),
            ),
        )
    )
    gone = (
        select(n.c.report_pk)
        .select_from(
            n.outerjoin(m, and_(m.c.mention_id == n.c.mention_id, m.c.received_at <= as_of))
        )
        .where(m.c.mention_id.is_(None))
    )
    revised = (
        select(r.c.report_pk)
        .select_from(
            r.outerjoin(reports, reports.c.pk == r.c.report_pk).outerjoin(
                extractions, extractions.c.report_pk == r.c.report_pk
            )
        )
        .where(
            or_(
                reports.c.pk.is_(None),
                reports.c.revisions != r.c.revision,
                extractions.c.revision.is_distinct_from(r.c.extracted),
                extractions.c.extractor.is_distinct_from(r.c.extractor),
            )
        )
    )
    out: set[int] = set()
    new = 0
    for now_pk, then_pk in conn.execute(fresh):
        out.add(now_pk)
        if then_pk is None:
            new += 1
        else:
            out.add(then_pk)
    # every stored mention still in scope is matched by one now, so the
    # counts tell whether any is gone
    in_scope = select(func.count()).select_from(m).where(m.c.received_at <= as_of)
    if conn.execute(select(func.count()).select_from(n)).scalar_one() != (
        conn.execute(in_scope).scalar_one() - new
    ):
        out.update(conn.execute(gone).scalars())
    out.update(conn.execute(revised).scalars())
    return out


def mentions_of_reports(conn: Connection, pks: Collection[int]) -> list[MentionRow]:
    """The stage's copy of these reports' mentions."""
    query = select(
        network_mentions.c.mention_id,
        network_mentions.c.entity_id,
        network_mentions.c.kind,
        network_mentions.c.report_pk,
        network_mentions.c.role,
    )
    return [
        MentionRow(*row)
        for chunk in chunks(pks)
        for row in conn.execute(query.where(network_mentions.c.report_pk.in_(chunk)))
    ]


def replace_reports(
    conn: Connection,
    pks: Collection[int],
    rows: Sequence[ReportRow],
    mentions: Sequence[MentionRow],
) -> None:
    """Replaces the stage's copy of reports ``pks`` with ``rows`` and their ``mentions``."""
    for chunk in chunks(pks):
        conn.execute(delete(network_reports).where(network_reports.c.report_pk.in_(chunk)))
        conn.execute(delete(network_mentions).where(network_mentions.c.report_pk.in_(chunk)))
    if rows:
        conn.execute(network_reports.insert(), [report_row(r) for r in rows])
    if mentions:
        conn.execute(network_mentions.insert(), [m._asdict() for m in mentions])


def report_keys(conn: Connection, pks: Collection[int]) -> set[str]:
    """The keys of these reports in the stage's copy."""
    query = select(network_reports.c.key)
    return {
        key
        for chunk in chunks(pks)
        for key in conn.execute(query.where(network_reports.c.report_pk.in_(chunk))).scalars()
    }


def statuses(conn: Connection, ids: Collection[str]) -> dict[str, Status]:
    """What the stage stored about these entities."""
    query = select(
        network_entities.c.entity_id,
        network_entities.c.kind,
        network_entities.c.ages_seen,
        network_entities.c.child,
        network_entities.c.suspect_from,
        network_entities.c.community,
    )
    return {
        eid: Status(kind, ages, bool(child), first, community)
        for chunk in chunks(ids)
        for eid, kind, ages, child, first, community in conn.execute(
            query.where(network_entities.c.entity_id.in_(chunk))
        )
    }


def aged(conn: Connection) -> set[str]:
    """People whose ages resolution gives differently from when the stage
    last read them (compared in the database)."""
    e, n = entities, network_entities
    seen = case((e.c.entity_id.is_not(None), cast(e.c.data["ages"], Text)))
    query = (
        select(n.c.entity_id)
        .select_from(n.outerjoin(e, and_(e.c.entity_id == n.c.entity_id, e.c.kind == "person")))
        .where(n.c.kind == "person", seen.is_distinct_from(n.c.ages_seen))
    )
    return set(conn.execute(query).scalars())


def suspects(conn: Connection) -> dict[str, tuple[str, str | None]]:
    """Every stored suspect -> (first mention as a suspect, community)."""
    query = select(
        network_entities.c.entity_id, network_entities.c.suspect_from, network_entities.c.community
    ).where(network_entities.c.suspect_from.is_not(None))
    return {eid: (first, community) for eid, first, community in conn.execute(query)}


def suspect_links(
    conn: Connection, around: Collection[str] | None = None
) -> dict[tuple[str, str], float]:
    """Weights of the suspects' graph: every edge, or those touching ``around``."""
    t = network_suspect_links
    query = select(t.c.a, t.c.b, t.c.weight)
    if around is None:
        return {(a, b): w for a, b, w in conn.execute(query)}
    out = {}
    for chunk in chunks(around):
        for a, b, w in conn.execute(query.where(or_(t.c.a.in_(chunk), t.c.b.in_(chunk)))):
            out[(a, b)] = w
    return out


def flags(conn: Connection) -> set[tuple[str, str]]:
    return {(k, key) for k, key in conn.execute(select(network_flags.c.kind, network_flags.c.key))}


def write_flags(
    conn: Connection, changes: Collection[tuple[str, str]], now: Collection[tuple[str, str]]
) -> None:
    """Applies ``changes`` (flags set or cleared) to ``network_flags``."""
    gone = [{"k_kind": k, "k_key": key} for k, key in changes if (k, key) not in now]
    if gone:
        conn.execute(
            delete(network_flags).where(
                network_flags.c.kind == bindparam("k_kind"),
                network_flags.c.key == bindparam("k_key"),
            ),
            gone,
        )
    added = [{"kind": k, "key": key} for k, key in changes if (k, key) in now]
    if added:
        conn.execute(network_flags.insert(), added)


class Neighbourhood:
    """Reports around some entities, read from the stage's copy, with who of
    the people in them is a child or a suspect: as stored, or as ``decide``
    says for the entities whose reports changed."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.rows: dict[int, ReportRow] = {}
        self.mentions: list[MentionRow] = []
        self.around: set[str] = set()  # entities all of whose reports are held
        self.status: dict[str, Status] = {}

    def add_entities(self, ids: Iterable[str]) -> None:
        """Reads every report of these entities."""
        todo = set(ids) - self.around
        if not todo:
            return
        self.around |= todo
        query = select(network_mentions.c.report_pk).distinct()
        pks: set[int] = set()
        for chunk in chunks(todo):
            pks.update(
                self.conn.execute(query.where(network_mentions.c.entity_id.in_(chunk))).scalars()
            )
        self.add_reports(pks)

    def add_report_keys(self, keys: Iterable[str]) -> None:
        query = select(network_reports.c.report_pk)
        pks: set[int] = set()
        for chunk in chunks(set(keys)):
            pks.update(self.conn.execute(query.where(network_reports.c.key.in_(chunk))).scalars())
        self.add_reports(pks)

    def add_reports(self, pks: Iterable[int]) -> None:
        """Reads these reports and their mentions."""
        todo = set(pks) - set(self.rows)
        if not todo:
            return
        t = network_reports
        query = select(
            t.c.report_pk,
            t.c.key,
            t.c.agency,
            t.c.agency_type,
            t.c.received_at,
            t.c.revision,
            t.c.grading,
            t.c.grading_weight,
            t.c.extracted,
            t.c.extractor,
            t.c.evidence,
        )
        for chunk in chunks(todo):
            for *fields, data in self.conn.execute(query.where(t.c.report_pk.in_(chunk))):
                self.rows[fields[0]] = ReportRow(*fields, **evidence_from_json(data))
        fresh = mentions_of_reports(self.conn, todo)
        self.mentions.extend(fresh)
        unknown = {m.entity_id for m in fresh} - set(self.status)
        self.status.update(statuses(self.conn, unknown))

    def decide(self, decided: Mapping[str, Status]) -> None:
        """Overrides what is stored about these entities (worked out this run)."""
        self.status.update(decided)

    def evidence(self) -> Evidence:
        """Evidence from every report read so far."""
        ev = assemble(self.rows.values(), self.mentions)
        ev.children = {e for e, s in self.status.items() if s.child}
        ev.suspects = {e for e, s in self.status.items() if s.suspect_from is not None}
        return ev


def write_all(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Replaces every row of ``table``."""
    conn.execute(delete(table))
    batch: list[dict[str, Any]] = []
    n = 0
    for row in rows:
        batch.append(row)
        if len(batch) == 5000:
            conn.execute(table.insert(), batch)
            n += len(batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)
        n += len(batch)
    return n


def sync(
    conn: Connection,
    table: Table,
    key: tuple[str, ...],
    scope: Any,
    rows: Iterable[dict[str, Any]],
    ignore: tuple[str, ...] = (),
) -> int:
    """Makes the rows of ``table`` matching ``scope`` (a WHERE clause, or a
    list of them) those of ``rows`` (all of which fall in it), writing only
    those that differ. Returns how many rows changed."""
    clauses = scope if isinstance(scope, list) else [scope]
    before: dict[tuple[Any, ...], dict[str, Any]] = {}
    for clause in clauses:
        for r in conn.execute(select(table).where(clause)).mappings():
            before[tuple(r[k] for k in key)] = dict(r)
    after = {tuple(r[k] for k in key): r for r in rows}

    def same(old: dict[str, Any], new: dict[str, Any]) -> bool:
        return all(old.get(c) == v for c, v in new.items() if c not in ignore)

    gone = [k for k in before if k not in after]
    dirty = [k for k, r in after.items() if k not in before or not same(before[k], r)]
    stale = gone + [k for k in dirty if k in before]
    if len(key) == 1:
        for chunk in chunks(k[0] for k in stale):
            conn.execute(delete(table).where(table.c[key[0]].in_(chunk)))
    elif stale:
        conn.execute(
            delete(table).where(*(table.c[c] == bindparam(f"k_{c}") for c in key)),
            [{f"k_{c}": v for c, v in zip(key, k, strict=True)} for k in stale],
        )
    if dirty:
        conn.execute(table.insert(), [after[k] for k in dirty])
    return len(gone) + len(dirty)


def set_column(
    conn: Connection, table: Table, key: tuple[str, ...], column: str, values: Mapping[Any, Any]
) -> None:
    """Sets one column of the rows keyed by ``values``' keys (tuples for a
    key of several columns)."""
    if not values:
        return
    conn.execute(
        update(table)
        .where(*(table.c[c] == bindparam(f"k_{c}") for c in key))
        .values({column: bindparam("v")}),
        [
            {
                **{
                    f"k_{c}": v
                    for c, v in zip(key, k if isinstance(k, tuple) else (k,), strict=True)
                },
                "v": value,
            }
            for k, value in values.items()
        ],
    )
