"""The tamper-evident audit log: append-only, each row holding the hash of the
row before it. ``verify`` walks the chain and names the first broken row.

Every write to the store appends here, naming its actor (a user, or ``system``);
reads of personal data append here too (with the reason given, where asked).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, text

from lantern import clock
from lantern.store.schema import audit_log

GENESIS = "0" * 64
_PG_LOCK_KEY = 7_411_320_001  # any constant: serialises appenders on PostgreSQL


@dataclass(frozen=True, slots=True)
class Entry:
    actor: str
    action: str  # e.g. "report.new", "report.revised", "read.person", "decision.record-crime"
    target: str  # e.g. "report:syp/123"
    detail: dict[str, Any]
    reason: str | None = None


def row_hash(
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    reason: str | None,
    detail: dict[str, Any],
    prev_hash: str,
) -> str:
    canonical = json.dumps(
        [seq, at.isoformat(), actor, action, target, reason, detail, prev_hash],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(conn: Connection, entries: Iterable[Entry], at: datetime | None = None) -> int:
    """Appends entries to the chain inside the caller's transaction. Returns
    the number appended."""
    entries = list(entries)
    if not entries:
        return 0
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    last = conn.execute(
        select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
    ).first()
    seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
    when = (at or clock.now()).replace(microsecond=0)
    rows = []
    for entry in entries:
        seq += 1
        detail = json.loads(json.dumps(entry.detail, default=str))
        digest = row_hash(
            seq, when, entry.actor, entry.action, entry.target, entry.reason, detail, prev
        )
        rows.append(
            {
                "seq": seq,
                "at": when,
                "actor": entry.actor,
                "action": entry.action,
                "target": entry.target,
                "reason": entry.reason,
                "detail": detail,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    conn.execute(audit_log.insert(), rows)
    return len(rows)


@dataclass(frozen=True, slots=True)
class Verification:
    ok: bool
    rows: int
    broken_seq: int | None = None
    problem: str | None = None


def verify(conn: Connection, batch: int = 10_000) -> Verification:
    """Walks the whole chain. The first row whose content no longer matches its
    hash, whose link to the previous row is broken, or that follows a gap in
    the sequence is reported."""
    prev_hash, prev_seq, count = GENESIS, 0, 0
    while True:
        rows = conn.execute(
            select(audit_log)
            .where(audit_log.c.seq > prev_seq)
            .order_by(audit_log.c.seq)
            .limit(batch)
        ).all()
        if not rows:
            return Verification(ok=True, rows=count)
        for row in rows:
            if row.seq != prev_seq + 1:
                return Verification(False, count, row.seq, f"row {prev_seq + 1} is missing")
            if row.prev_hash != prev_hash:
                return Verification(
                    False, count, row.seq, "its link to the previous row does not match"
                )
            expected = row_hash(
                row.seq,
                row.at,
                row.actor,
                row.action,
                row.target,
                row.reason,
                row.detail,
                row.prev_hash,
            )
            if expected != row.hash:
                return Verification(False, count, row.seq, "its content does not match its hash")
            prev_hash, prev_seq, count = row.hash, row.seq, count + 1
