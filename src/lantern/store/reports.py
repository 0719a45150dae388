"""Reports are facts. (agency, id) identifies a report; the same content sent
again changes nothing; different content adds a revision and keeps every
earlier one. Nothing here deletes or overwrites a report.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, func, select, tuple_, update

from lantern import clock
from lantern.domain import Report
from lantern.store import audit
from lantern.store.schema import report_revisions, reports


class Outcome(StrEnum):
    NEW = "new"
    UNCHANGED = "unchanged"
    REVISED = "revised"


def content_hash(body: dict[str, Any]) -> str:
    """The hash of a report's content, independent of key order and spacing."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def put_many(conn: Connection, batch: Sequence[Report], actor: str) -> list[Outcome]:
    """Stores a batch of reports in the caller's transaction, one outcome each.

    A report whose content equals any stored revision of it is unchanged (so
    re-sending an old file never flips a report back and forth)."""
    now = clock.now()
    keys = list(dict.fromkeys(r.key for r in batch))
    existing: dict[tuple[str, str], tuple[int, int]] = {}
    known_hashes: dict[int, set[str]] = {}
    for chunk in _chunks(keys, 400):
        rows = conn.execute(
            select(reports.c.pk, reports.c.agency, reports.c.report_id, reports.c.revisions).where(
                tuple_(reports.c.agency, reports.c.report_id).in_(chunk)
            )
        ).all()
        for row in rows:
            existing[(row.agency, row.report_id)] = (row.pk, row.revisions)
    pks = [pk for pk, _ in existing.values()]
    for chunk in _chunks(pks, 900):
        for pk, digest in conn.execute(
            select(report_revisions.c.report_pk, report_revisions.c.content_hash).where(
                report_revisions.c.report_pk.in_(chunk)
            )
        ):
            known_hashes.setdefault(pk, set()).add(digest)

    # Reports never seen before are inserted in one statement; their revisions follow.
    fresh: dict[tuple[str, str], Report] = {}
    for report in batch:
        if report.key not in existing and report.key not in fresh:
            fresh[report.key] = report
    if fresh:
        inserted = conn.execute(
            reports.insert().returning(
                reports.c.pk, reports.c.agency, reports.c.report_id, sort_by_parameter_order=True
            ),
            [
                {
                    "agency": r.agency,
                    "report_id": r.id,
                    "agency_type": r.agency_type,
                    "channel": r.channel,
                    "handling": r.handling,
                    "received_at": r.received_at,
                    "first_stored_at": now,
                    "revisions": 1,
                }
                for r in fresh.values()
            ],
        ).all()
        for row in inserted:
            existing[(row.agency, row.report_id)] = (row.pk, 0)

    outcomes: list[Outcome] = []
    new_revisions: list[dict[str, Any]] = []
    bumped: dict[int, int] = {}
    entries: list[audit.Entry] = []
    for report in batch:
        digest = content_hash(report.body)
        pk, revs = existing[report.key]
        if digest in known_hashes.get(pk, set()):
            outcomes.append(Outcome.UNCHANGED)
            continue
        revs += 1
        existing[report.key] = (pk, revs)
        outcome = Outcome.NEW if revs == 1 else Outcome.REVISED
        if revs > 1:
            bumped[pk] = revs
        known_hashes.setdefault(pk, set()).add(digest)
        new_revisions.append(
            {
                "report_pk": pk,
                "revision": revs,
                "content_hash": digest,
                "body": report.body,
                "stored_at": now,
                "stored_by": actor,
            }
        )
        target = f"report:{report.agency}/{report.id}"
        entries.append(
            audit.Entry(
                actor, f"report.{outcome.value}", target, {"revision": revs, "hash": digest}
            )
        )
        outcomes.append(outcome)
    if new_revisions:
        conn.execute(report_revisions.insert(), new_revisions)
    for pk, revs in bumped.items():
        conn.execute(update(reports).where(reports.c.pk == pk).values(revisions=revs))
    audit.append(conn, entries, at=now)
    return outcomes


@dataclass(frozen=True, slots=True)
class StoredReport:
    """A report as stored: its key, its current revision and the content."""

    pk: int
    revision: int
    report: Report
    first_stored_at: Any


def get(
    conn: Connection, agency: str, report_id: str, revision: int | None = None
) -> StoredReport | None:
    """The newest revision of a report (or the one asked for)."""
    row = conn.execute(
        select(reports).where(reports.c.agency == agency, reports.c.report_id == report_id)
    ).first()
    if row is None:
        return None
    rev = conn.execute(
        select(report_revisions.c.revision, report_revisions.c.body).where(
            report_revisions.c.report_pk == row.pk,
            report_revisions.c.revision == (revision or row.revisions),
        )
    ).first()
    if rev is None:
        return None
    return StoredReport(row.pk, rev.revision, report_from_body(rev.body), row.first_stored_at)


def revisions(conn: Connection, agency: str, report_id: str) -> list[dict[str, Any]]:
    """Every stored revision of a report, oldest first."""
    rows = conn.execute(
        select(report_revisions)
        .join(reports, reports.c.pk == report_revisions.c.report_pk)
        .where(reports.c.agency == agency, reports.c.report_id == report_id)
        .order_by(report_revisions.c.revision)
    ).all()
    return [dict(r._mapping) for r in rows]


def iter_current(
    conn: Connection, *, received_before: Any = None, batch: int = 2000
) -> Iterator[StoredReport]:
    """Every report at its newest revision, in the order received."""
    last = (None, 0)
    while True:
        query = (
            select(
                reports.c.pk,
                reports.c.received_at,
                reports.c.first_stored_at,
                report_revisions.c.revision,
                report_revisions.c.body,
            )
            .join(
                report_revisions,
                (report_revisions.c.report_pk == reports.c.pk)
                & (report_revisions.c.revision == reports.c.revisions),
            )
            .order_by(reports.c.received_at, reports.c.pk)
            .limit(batch)
        )
        if last[0] is not None:
            query = query.where(
                tuple_(reports.c.received_at, reports.c.pk) > tuple_(last[0], last[1])
            )
        if received_before is not None:
            query = query.where(reports.c.received_at <= received_before)
        rows = conn.execute(query).all()
        if not rows:
            return
        for row in rows:
            yield StoredReport(
                row.pk, row.revision, report_from_body(row.body), row.first_stored_at
            )
        last = (rows[-1].received_at, rows[-1].pk)


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(reports)).scalar_one())


def report_from_body(body: dict[str, Any]) -> Report:
    """Rebuilds the domain Report from a stored (already validated) body."""
    return Report.from_body(body)


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
