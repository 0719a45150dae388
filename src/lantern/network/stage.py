"""The network stage of ``lantern analyse``: the link graph, groups, priorities,
risks and alerts, brought up to date with the resolved picture.

The picture is recomputed whole in memory (it is cheap next to reading it);
only rows that changed are written back. When nothing it reads has changed
since its last run (mentions, extractions, actions, decisions) it does
nothing. Time is ``lantern.clock.now()``, so replay stamps alerts with the
simulated time at which they would have been raised.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import Connection, Engine, and_, delete, func, or_, select

from lantern import clock
from lantern.network import alerts as alert_rules
from lantern.network.evidence import Evidence, load
from lantern.network.graph import build_edges, components
from lantern.network.groups import Group, detect
from lantern.network.priority import Score, priorities
from lantern.network.risk import risks
from lantern.store.findings import findings_state
from lantern.store.findings.extraction import extractions
from lantern.store.findings.network import (
    network_edges,
    network_group_members,
    network_groups,
    network_scores,
)
from lantern.store.findings.resolution import entity_mentions
from lantern.store.schema import action_events, decisions, reports

STATE_KEY = "network.inputs"


@cache
def weights() -> dict[str, Any]:
    """``data/risk_weights.yaml``."""
    text = resources.files("lantern.data").joinpath("risk_weights.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _fingerprint(conn: Connection, now: datetime) -> str:
    parts = [
        conn.execute(
            select(func.count(), func.max(entity_mentions.c.entity_id)).select_from(entity_mentions)
        ).one(),
        conn.execute(
            select(func.count(), func.sum(extractions.c.revision)).select_from(extractions)
        ).one(),
        conn.execute(
            select(func.count(), func.max(reports.c.received_at))
            .select_from(reports)
            .where(reports.c.received_at <= now)
        ).one(),
        conn.execute(select(func.count()).select_from(action_events)).one(),
        conn.execute(select(func.count()).select_from(decisions)).one(),
        # other stages' watermarks (resolve re-running changes entity ids)
        conn.execute(
            select(findings_state.c.key, findings_state.c.value)
            .where(findings_state.c.key.not_like("network.%"), findings_state.c.key != "schema")
            .order_by(findings_state.c.key)
        ).all(),
    ]
    digest = hashlib.sha256(repr([tuple(p) for p in parts]).encode()).hexdigest()
    return digest


def compute(
    ev: Evidence, previous_groups: Mapping[str, set[str]] | None = None
) -> tuple[dict[tuple[str, str, str], Any], list[Group], dict[str, Score], dict[str, Score]]:
    """The whole picture from the evidence: edges, groups, priorities, risks."""
    w = weights()
    edges = build_edges(ev, w["graph"])
    groups = detect(ev, w["groups"], w["graph"], previous_groups)
    groups_params = w["groups"]
    prio = priorities(
        ev,
        w["priority"],
        tuple(groups_params.get("suspect_roles", ["suspect"])),
        float(groups_params.get("min_suspect_share", 0.0)),
    )
    risk = risks(ev, w["risk"], {v for g in groups for v in g.victims})
    return edges, groups, prio, risk


def run(engine: Engine, *, full: bool = False) -> str:
    now = clock.now()
    with engine.connect() as conn:
        fingerprint = _fingerprint(conn, now)
        stored = conn.execute(
            select(findings_state.c.value).where(findings_state.c.key == STATE_KEY)
        ).scalar()
        if not full and stored == fingerprint:
            return "nothing changed"
        if _memory.get(str(engine.url)) != stored:
            _written.clear()
        # as of the clock: in a replay, what had been received by the step's date
        ev = load(conn, now, int(weights()["risk"].get("young_person_age", 17)))
        previous = {
            gid: set(members)
            for gid, members in conn.execute(
                select(network_groups.c.group_id, network_groups.c.members)
            )
        }
        detected_at = dict(
            conn.execute(select(network_groups.c.group_id, network_groups.c.detected_at)).all()
        )
    edges, groups, prio, risk = compute(ev, previous)
    found = alert_rules.evaluate(ev, prio, risk, groups, alert_rules.load_rules())
    comp = components(edges)
    edge_rows = {k: e.as_row(comp.get(e.a)) for k, e in edges.items()}
    group_rows, member_rows = _group_rows(groups, detected_at, now)
    score_rows = {
        (s.entity_id, s.kind): {
            "entity_id": s.entity_id,
            "kind": s.kind,
            "score": s.score,
            "level": s.level,
            "reasons": s.reasons,
            "reports": s.reports,
            "computed_at": now,
        }
        for s in [*prio.values(), *risk.values()]
    }
    _memory.pop(str(engine.url), None)  # until this write commits
    with engine.begin() as conn:
        changed = _sync(conn, network_edges, ("a", "b", "kind"), edge_rows, full)
        changed += _sync(conn, network_groups, ("group_id",), group_rows, full)
        changed += _sync(conn, network_group_members, ("entity_id",), member_rows, full)
        changed += _sync(
            conn, network_scores, ("entity_id", "kind"), score_rows, full, ignore=("computed_at",)
        )
        new, closed = alert_rules.write(conn, found, now)
        conn.execute(delete(findings_state).where(findings_state.c.key == STATE_KEY))
        after = _fingerprint(conn, now)
        conn.execute(findings_state.insert().values(key=STATE_KEY, value=after))
    _memory[str(engine.url)] = after
    return (
        f"{len(edges)} edges, {len(groups)} groups, {len(prio)} subjects, "
        f"{sum(1 for s in risk.values() if s.level in ('medium', 'high'))} children at medium/high risk, "
        f"{new} new alerts ({closed} closed); {changed} rows changed"
    )


def _group_rows(groups: list[Group], detected_at: Mapping[str, Any], now: Any) -> tuple[dict, dict]:
    group_rows: dict[tuple[str], dict[str, Any]] = {}
    member_rows: dict[tuple[str], dict[str, Any]] = {}
    for g in groups:
        group_rows[(g.group_id,)] = {
            "group_id": g.group_id,
            "members": g.members,
            "central": g.central,
            "victims": g.victims,
            "places": g.places,
            "vehicles": g.vehicles,
            "phones": g.phones,
            "first_seen": g.first_seen,
            "last_seen": g.last_seen,
            "reports": g.reports,
            "n_reports": len(g.reports),
            "n_agencies": len(g.agencies),
            "detected_at": detected_at.get(g.group_id) or now,
        }
        for m in g.members:
            member_rows[(m,)] = {
                "entity_id": m,
                "group_id": g.group_id,
                "role": "member",
                "centrality": g.centrality.get(m, 0.0),
            }
        for v in g.victims:
            member_rows.setdefault(
                (v,), {"entity_id": v, "group_id": g.group_id, "role": "victim", "centrality": 0.0}
            )
    return group_rows, member_rows


# The rows last written, per database and table, so that a run in the same
# process (replay) compares against memory instead of reading them back; valid
# only while the stored fingerprint is the one this process wrote (_memory).
_written: dict[tuple[str, str], dict[tuple[Any, ...], dict[str, Any]]] = {}
_memory: dict[str, str] = {}


def _sync(
    conn: Connection,
    table: Any,
    key: tuple[str, ...],
    rows: dict[Any, dict[str, Any]],
    full: bool,
    ignore: tuple[str, ...] = (),
) -> int:
    """Writes ``rows`` to ``table``: only the rows that differ from what is there."""
    cache_key = (str(conn.engine.url), table.name)
    before = None if full else _written.get(cache_key)
    if before is None:
        if full:
            conn.execute(delete(table))
            before = {}
        else:
            before = {
                tuple(r[k] for k in key): dict(r) for r in conn.execute(select(table)).mappings()
            }
    rows = {tuple(r[k] for k in key): r for r in rows.values()}

    def same(old: dict[str, Any], new: dict[str, Any]) -> bool:
        return all(old.get(c) == v for c, v in new.items() if c not in ignore)

    gone = [k for k in before if k not in rows]
    dirty = [k for k, r in rows.items() if k not in before or not same(before[k], r)]
    for batch in _chunks(gone + [k for k in dirty if k in before], 300):
        conn.execute(delete(table).where(or_(*(_match(table, key, k) for k in batch))))
    if dirty:
        conn.execute(table.insert(), [rows[k] for k in dirty])
    _written[cache_key] = rows
    return len(gone) + len(dirty)


def _match(table: Any, key: tuple[str, ...], values: tuple[Any, ...]) -> Any:
    return and_(*(table.c[col] == v for col, v in zip(key, values, strict=True)))


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
