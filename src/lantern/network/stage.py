"""The network stage of ``lantern analyse``: the link graph, groups, priorities,
risks and alerts, brought up to date with the resolved picture.

When nothing it reads has changed since its last run (mentions, extractions,
reports received by the clock, actions, decisions, other stages' watermarks,
and the clock itself once referrers are told outcomes) it does nothing.
``full`` (and the first run, a change of weights or alert rules, the feedback
loop coming into use, or more than ``FULL_SHARE`` of the reports changed at
once) reads everything and recomputes the whole picture. Nothing is kept in
the process between runs.

Otherwise the run is incremental, and ends where a full recompute would:

1. the reports whose mentions, revision or extraction differ from the stage's
   own copy (``network_reports``, ``network_mentions``; compared in the
   database) are read again, with the ages resolution gives and the facts'
   actions and decisions; the entities in those reports are *touched*;
2. who of the touched is a child or a suspect is decided again from all their
   reports; a change there puts the suspects in their reports in step 3;
3. the suspects' graph is worked out again for every edge at a suspect whose
   evidence changed or who shares a child, vehicle, phone or place with a
   touched one, from the reports around them; all other weights are as stored
   (``network_suspect_links``);
4. if the suspects' graph changed, Leiden runs again over the whole of it (as
   a full run would: the same graph, vertex order and seed give the same
   communities); groups are described again for the communities whose members
   changed or hold a suspect from step 3, and keep their ids as before;
5. edges at touched entities (and their connected components), priorities of
   the suspects whose evidence changed and of those in reports whose action
   state changed, risks of touched children and of children who joined or
   left a group's victims, and the alerts of all these are worked out again; every
   open ``referrer-not-told`` alert, and each referral whose 28 days ran out
   since the last run, is looked at again (its reasons count days to the clock).

Only rows that changed are written. Time is ``lantern.clock.now()``, so replay
stamps alerts with the simulated time at which they would have been raised.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import Connection, Engine, delete, func, select, update

from lantern import clock
from lantern.network import alerts as alert_rules
from lantern.network import state
from lantern.network.evidence import (
    Evidence,
    assemble,
    children_among,
    entity_ages,
    read_facts,
    read_reports,
    suspects_among,
)
from lantern.network.graph import OBJECT_LINKS, Edges, build_edges, components
from lantern.network.groups import (
    Group,
    SuspectGraph,
    communities,
    describe,
    name_groups,
    suspect_graph,
)
from lantern.network.priority import Score, priorities
from lantern.network.risk import risks
from lantern.network.state import Neighbourhood, Status
from lantern.store.findings import findings_state
from lantern.store.findings.extraction import extractions
from lantern.store.findings.network import (
    alert_key,
    alerts,
    network_edges,
    network_entities,
    network_flags,
    network_group_members,
    network_groups,
    network_mentions,
    network_reports,
    network_scores,
    network_suspect_links,
)
from lantern.store.findings.resolution import entity_mentions
from lantern.store.schema import action_events, decisions, reports

STATE_KEY = "network.inputs"
CLOCK_KEY = "network.clock"  # the clock of the last run
CONFIG_KEY = "network.config"  # a hash of the weights and alert rules it used
# An incremental run gives way to a full one when more reports than this
# share of those in scope (and at least FULL_MIN) changed at once.
FULL_SHARE = 0.05
FULL_MIN = 200


@cache
def weights() -> dict[str, Any]:
    """``data/risk_weights.yaml``."""
    text = resources.files("lantern.data").joinpath("risk_weights.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _config() -> str:
    """A hash of everything the picture is weighed by."""
    text = repr((weights(), alert_rules.load_rules()))
    return hashlib.sha256(text.encode()).hexdigest()


def _inputs(conn: Connection, now: datetime) -> dict[str, Any]:
    """Counts and watermarks of everything the stage reads."""
    mentions = select(func.count(), func.max(entity_mentions.c.entity_id))
    extracted = select(func.count(), func.sum(extractions.c.revision))
    received = select(func.count(), func.max(reports.c.received_at)).where(
        reports.c.received_at <= now
    )
    watermarks = (
        select(findings_state.c.key, findings_state.c.value)
        .where(findings_state.c.key.not_like("network.%"), findings_state.c.key != "schema")
        .order_by(findings_state.c.key)
    )
    return {
        "mentions": tuple(conn.execute(mentions.select_from(entity_mentions)).one()),
        "extractions": tuple(conn.execute(extracted.select_from(extractions)).one()),
        "reports": tuple(conn.execute(received.select_from(reports)).one()),
        "actions": _actions_seen(conn),
        "decisions": conn.execute(select(func.count()).select_from(decisions)).scalar_one(),
        # the clock, once referrers are told outcomes: which referrals are
        # overdue, and by how many days, changes with it alone
        "clock": _feedback_clock(conn, now),
        # other stages' watermarks (resolve re-running changes entity ids)
        "stages": tuple(tuple(row) for row in conn.execute(watermarks)),
    }


def _feedback_clock(conn: Connection, now: datetime) -> str | None:
    """The clock, when any referrer has been told an outcome (the
    ``referrer-not-told`` rule is in use); else None."""
    told = select(decisions.c.pk).where(
        decisions.c.kind == "share-back", decisions.c.subject.like("report:%")
    )
    return now.isoformat() if conn.execute(told.limit(1)).first() is not None else None


def _actions_seen(conn: Connection) -> int:
    """The part of ``_inputs`` the stage changes itself (alerts open actions)."""
    return int(conn.execute(select(func.count()).select_from(action_events)).scalar_one())


def _fingerprint(inputs: dict[str, Any]) -> str:
    return hashlib.sha256(repr(inputs).encode()).hexdigest()


@dataclass(slots=True)
class Params:
    """The parts of ``risk_weights.yaml`` the stage passes around."""

    graph: dict[str, Any]
    groups: dict[str, Any]
    suspect_roles: tuple[str, ...]
    min_share: float
    young_person_age: int

    @classmethod
    def load(cls) -> Params:
        w = weights()
        groups = w["groups"]
        return cls(
            w["graph"],
            groups,
            tuple(groups.get("suspect_roles", ["suspect"])),
            float(groups.get("min_suspect_share", 0.0)),
            int(w["risk"].get("young_person_age", 17)),
        )

    def communities(self, sg: SuspectGraph) -> list[list[str]]:
        if not sg.order:
            return []
        resolution = float(self.groups.get("resolution", 1.0))
        return communities(sg, resolution, int(self.groups.get("seed", 7)))


@dataclass(slots=True)
class Picture:
    """Edges, the suspects' graph and its communities, groups, priorities and risks."""

    edges: Edges
    suspects: SuspectGraph
    found: list[list[str]]
    groups: list[Group]
    priorities: dict[str, Score]
    risks: dict[str, Score]


def compute(ev: Evidence, previous: Mapping[str, set[str]] | None = None) -> Picture:
    """The whole picture from the evidence. ``previous`` (group id -> members)
    keeps a group's id while its membership changes."""
    p = Params.load()
    edges = build_edges(ev, p.graph)
    sg = suspect_graph(ev, p.groups, p.graph)
    found = p.communities(sg)
    groups = describe(ev, sg, found, p.groups)
    name_groups(groups, previous or {})
    prio = priorities(ev, weights()["priority"], p.suspect_roles, p.min_share)
    risk = risks(ev, weights()["risk"], {v for g in groups for v in g.victims})
    return Picture(edges, sg, found, groups, prio, risk)


@dataclass(slots=True)
class Outcome:
    new_alerts: int
    closed_alerts: int
    changed_rows: int
    how: str  # "in full" or "N reports changed"


def run(engine: Engine, *, full: bool = False) -> str:
    """Brings the network findings up to date (in one transaction); returns a
    one-line summary that says whether the run was incremental."""
    now = clock.now()
    with engine.connect() as conn:
        inputs = _inputs(conn, now)
        if not full and _get(conn, STATE_KEY) == _fingerprint(inputs):
            return "nothing changed"
    with engine.begin() as conn:
        outcome = None if full else _update(conn, now)
        if outcome is None:
            outcome = _rebuild(conn, now)
        inputs["actions"] = _actions_seen(conn)
        _set(conn, CLOCK_KEY, now.isoformat())
        _set(conn, CONFIG_KEY, _config())
        _set(conn, STATE_KEY, _fingerprint(inputs))
        return _summary(conn, outcome)


def _get(conn: Connection, key: str) -> str | None:
    value = conn.execute(select(findings_state.c.value).where(findings_state.c.key == key))
    return value.scalar()


def _set(conn: Connection, key: str, value: str) -> None:
    conn.execute(delete(findings_state).where(findings_state.c.key == key))
    conn.execute(findings_state.insert().values(key=key, value=value))


def _summary(conn: Connection, outcome: Outcome) -> str:
    def count(table: Any, *where: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())

    scores = network_scores.c
    return (
        f"{count(network_edges)} edges, {count(network_groups)} groups, "
        f"{count(network_scores, scores.kind == 'priority')} subjects, "
        f"{count(network_scores, scores.kind == 'risk', scores.level.in_(['medium', 'high']))}"
        f" children at medium/high risk, {outcome.new_alerts} new alerts "
        f"({outcome.closed_alerts} closed); {outcome.changed_rows} rows changed ({outcome.how})"
    )


# --- full -------------------------------------------------------------------


def _rebuild(conn: Connection, now: datetime) -> Outcome:
    """Reads everything, recomputes the whole picture and rewrites every row."""
    p = Params.load()
    rows, mentions = read_reports(conn, now)
    ev = assemble(rows, mentions)
    ages = entity_ages(conn)
    ev.children = children_among(
        ev, ev.entity_kinds.keys(), {e: a for e, (a, _) in ages.items()}, p.young_person_age
    )
    facts = read_facts(conn)
    facts.apply(ev)
    stored = _stored_groups(conn)
    pic = compute(ev, {gid: set(g["members"]) for gid, g in stored.items()})
    found = alert_rules.evaluate(
        ev, pic.priorities, pic.risks, pic.groups, alert_rules.load_rules()
    )
    comp = components(pic.edges)
    detected_at = {gid: g["detected_at"] for gid, g in stored.items()}
    group_rows, member_rows = _group_rows(pic.groups, detected_at, now)
    firsts = suspects_among(ev, ev.entity_kinds.keys(), p.suspect_roles, p.min_share)
    community = {m: members[0] for members in pic.found for m in members}
    entity_rows = (
        Status(
            kind,
            ages[e][1] if kind == "person" and e in ages else None,
            e in ev.children,
            firsts.get(e),
            community.get(e),
        ).row(e)
        for e, kind in ev.entity_kinds.items()
    )
    changed = state.write_all(
        conn, network_edges, (e.as_row(comp.get(e.a)) for e in pic.edges.values())
    )
    changed += state.write_all(conn, network_groups, group_rows)
    changed += state.write_all(conn, network_group_members, member_rows)
    changed += state.write_all(
        conn, network_scores, _score_rows([*pic.priorities.values(), *pic.risks.values()], now)
    )
    new, closed = alert_rules.write(conn, found, now)
    state.write_all(conn, network_reports, (state.report_row(r) for r in rows))
    state.write_all(conn, network_mentions, (m._asdict() for m in mentions))
    state.write_all(conn, network_entities, entity_rows)
    state.write_all(
        conn,
        network_suspect_links,
        ({"a": a, "b": b, "weight": w} for (a, b), w in pic.suspects.weights.items()),
    )
    state.write_all(conn, network_flags, ({"kind": k, "key": key} for k, key in facts.flags()))
    return Outcome(new, closed, changed, "in full")


def _stored_groups(conn: Connection) -> dict[str, dict[str, Any]]:
    """Every stored group -> its members, victims and when it was detected."""
    query = select(
        network_groups.c.group_id,
        network_groups.c.members,
        network_groups.c.victims,
        network_groups.c.detected_at,
    )
    return {
        gid: {"members": members, "victims": victims, "detected_at": at}
        for gid, members, victims, at in conn.execute(query)
    }


def _group_rows(
    groups: list[Group], detected_at: Mapping[str, Any], now: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of ``network_groups`` and ``network_group_members`` for ``groups``
    (in canonical order: a child linked to several groups is listed under the
    first)."""
    group_rows = []
    member_rows: dict[str, dict[str, Any]] = {}
    for g in groups:
        group_rows.append(
            {
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
        )
        for m in g.members:
            member_rows[m] = {
                "entity_id": m,
                "group_id": g.group_id,
                "role": "member",
                "centrality": g.centrality.get(m, 0.0),
            }
        for v in g.victims:
            member_rows.setdefault(
                v, {"entity_id": v, "group_id": g.group_id, "role": "victim", "centrality": 0.0}
            )
    return group_rows, list(member_rows.values())


def _score_rows(scores: Iterable[Score], now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "entity_id": s.entity_id,
            "kind": s.kind,
            "score": s.score,
            "level": s.level,
            "reasons": s.reasons,
            "reports": s.reports,
            "computed_at": now,
        }
        for s in scores
    ]


# --- incremental ------------------------------------------------------------


def _flags_of(s: Status | None) -> tuple[bool, bool]:
    """(child, suspect) for a status; neither for an entity no longer seen."""
    return (False, False) if s is None else (s.child, s.suspect_from is not None)


def _update(conn: Connection, now: datetime) -> Outcome | None:
    """Brings the picture up to date from what changed (steps in the module
    docstring); None when a full recompute is called for."""
    then = _get(conn, CLOCK_KEY)
    if then is None or _get(conn, CONFIG_KEY) != _config():
        return None
    changed = state.changed_reports(conn, now)
    in_scope = conn.execute(select(func.count()).select_from(network_reports)).scalar_one()
    if len(changed) > max(FULL_MIN, FULL_SHARE * in_scope):
        return None
    facts = read_facts(conn)
    flags_then = state.flags(conn)
    if (facts.shared_back is None) != (not any(kind == "told" for kind, _ in flags_then)):
        return None  # the feedback loop came into use: every referral to look at
    p = Params.load()

    # 1. the changed reports, read again; who they touch
    aged = state.aged(conn)
    old_keys = state.report_keys(conn, changed)
    old_mentions = state.mentions_of_reports(conn, changed)
    rows, mentions = read_reports(conn, now, changed)
    state.replace_reports(conn, changed, rows, mentions)
    touched = {m.entity_id for m in [*old_mentions, *mentions]} | aged
    nb = Neighbourhood(conn)
    nb.add_entities(touched)

    # 2. who of them is a child or a suspect
    before = state.statuses(conn, touched)
    ev = nb.evidence()
    present = touched & ev.entity_kinds.keys()
    ages = entity_ages(conn, present)
    known = {e: a for e, (a, _) in ages.items()}
    ev.children = (ev.children - touched) | children_among(ev, present, known, p.young_person_age)
    firsts = suspects_among(ev, present, p.suspect_roles, p.min_share)
    decided = {
        e: Status(
            ev.entity_kinds[e],
            ages[e][1] if ev.entity_kinds[e] == "person" and e in ages else None,
            e in ev.children,
            firsts.get(e),
        )
        for e in present
    }
    nb.decide(decided)
    flipped = {e for e in touched if _flags_of(before.get(e)) != _flags_of(decided.get(e))}
    ev = nb.evidence()
    near_flipped = _around(ev, flipped)
    was_or_is = {e for e in touched if _flags_of(before.get(e))[1] or _flags_of(decided.get(e))[1]}
    dirty_suspects = was_or_is | (near_flipped & (ev.suspects or set()))

    # 3. the suspects' graph at every suspect whose evidence changed or who
    # shares something touched, from all their reports and those of what they share
    shared = touched | near_flipped
    nb.add_entities(shared | dirty_suspects)
    sg = suspect_graph(nb.evidence(), p.groups, p.graph)
    ends = dirty_suspects | {s for s, objs in sg.linked.items() if not shared.isdisjoint(objs)}
    nb.add_entities(ends)
    sg = suspect_graph(nb.evidence(), p.groups, p.graph)
    nb.add_entities({o for s in ends for o in sg.linked.get(s, {})})
    sg = suspect_graph(nb.evidence(), p.groups, p.graph)
    pairs_now = {pair: w for pair, w in sg.weights.items() if pair[0] in ends or pair[1] in ends}
    pairs_then = state.suspect_links(conn, ends)

    # 4. communities, and the groups to describe again
    comm = _Communities.find(conn, p, touched, decided, pairs_then, pairs_now, ends)
    nb.add_entities(comm.affected)
    ev = nb.evidence()
    sg = suspect_graph(ev, p.groups, p.graph)
    fresh = describe(
        ev,
        SuspectGraph([], comm.weights_among(conn), sg.reports_of, sg.linked),
        comm.redone,
        p.groups,
    )
    stored_groups = _stored_groups(conn)
    dropped = {
        gid for gid, g in stored_groups.items() if not comm.affected.isdisjoint(g["members"])
    }
    kept = {gid: g for gid, g in stored_groups.items() if gid not in dropped}
    name_groups(fresh, {gid: set(stored_groups[gid]["members"]) for gid in dropped}, kept)
    victims_then = {v for g in stored_groups.values() for v in g["victims"]}
    victims_now = {v for g in kept.values() for v in g["victims"]} | {
        v for g in fresh for v in g.victims
    }

    # 5. who else to look at again: suspects in reports whose action state
    # changed, children whose group link or "no strategy discussion" changed,
    # referrals the clock or feedback changed
    flag_changes = facts.flags() ^ flags_then
    changed_keys: dict[str, set[str]] = defaultdict(set)
    for kind, key in flag_changes:
        changed_keys[kind].add(key)
    nb.add_report_keys(changed_keys["actioned"])
    ev = nb.evidence()
    by_report = ev.by_report()
    prio_subjects = dirty_suspects | {
        m.entity_id
        for r in changed_keys["actioned"]
        for m in by_report.get(r, [])
        if m.entity_id in (ev.suspects or ())
    }
    risk_subjects = touched | (victims_then ^ victims_now) | changed_keys["named"]
    referrals = _referrals_to_review(conn, now, datetime.fromisoformat(then))
    referrals |= old_keys | {r.key for r in rows} | changed_keys["told"]
    referrals |= {m.report for m in ev.mentions if m.entity_id in flipped}
    nb.add_entities(prio_subjects | risk_subjects)
    nb.add_report_keys(referrals)
    ev = nb.evidence()
    # the objects touched people use (for the edges between people who share one)
    nb.add_entities(
        {
            x
            for link in ev.links
            if link.kind in OBJECT_LINKS and (link.source in touched or link.target in touched)
            for x in (link.source, link.target)
        }
    )
    ev = nb.evidence()
    facts.apply(ev)

    # the picture there
    edges = {
        k: e for k, e in build_edges(ev, p.graph).items() if k[0] in touched or k[1] in touched
    }
    prio = {
        s: score
        for s, score in priorities(ev, weights()["priority"], p.suspect_roles, p.min_share).items()
        if s in prio_subjects
    }
    risk = {
        c: score
        for c, score in risks(ev, weights()["risk"], victims_now).items()
        if c in risk_subjects
    }
    group_ids = dropped | {g.group_id for g in fresh}
    considered = (
        {alert_key("subject-no-action", [s]) for s in prio_subjects}
        | {alert_key("child-high-risk", [c]) for c in risk_subjects}
        | {alert_key("group-emerging", [g]) for g in group_ids}
        | {alert_key("referrer-not-told", [r]) for r in referrals}
    )
    found = [
        a
        for a in alert_rules.evaluate(ev, prio, risk, fresh, alert_rules.load_rules())
        if a.alert_id in considered
    ]

    # writing what differs
    n = _write_edges(conn, touched, edges)
    detected_at = {gid: g["detected_at"] for gid, g in stored_groups.items()}
    group_rows, member_rows = _group_rows(fresh, detected_at, now)
    n += state.sync(
        conn,
        network_groups,
        ("group_id",),
        [network_groups.c.group_id.in_(c) for c in state.chunks(group_ids)],
        group_rows,
    )
    listed = comm.affected | {v for gid in dropped for v in stored_groups[gid]["victims"]}
    listed |= {v for g in fresh for v in g.victims}
    n += state.sync(
        conn,
        network_group_members,
        ("entity_id",),
        [network_group_members.c.entity_id.in_(c) for c in state.chunks(listed)],
        _member_rows(member_rows, fresh, kept, comm, listed - comm.affected),
    )
    score = network_scores.c
    n += state.sync(
        conn,
        network_scores,
        ("entity_id", "kind"),
        [(score.kind == "priority") & score.entity_id.in_(c) for c in state.chunks(prio_subjects)]
        + [(score.kind == "risk") & score.entity_id.in_(c) for c in state.chunks(risk_subjects)],
        _score_rows([*prio.values(), *risk.values()], now),
        ignore=("computed_at",),
    )
    new, closed = alert_rules.write(conn, found, now, considered)
    state.sync(
        conn,
        network_entities,
        ("entity_id",),
        [network_entities.c.entity_id.in_(c) for c in state.chunks(touched)],
        [replace(s, community=comm.label.get(e)).row(e) for e, s in decided.items()],
    )
    state.set_column(
        conn,
        network_entities,
        ("entity_id",),
        "community",
        {e: comm.label.get(e) for e in comm.moved - touched},
    )
    links = network_suspect_links.c
    state.sync(
        conn,
        network_suspect_links,
        ("a", "b"),
        [links.a.in_(c) for c in state.chunks(ends)] + [links.b.in_(c) for c in state.chunks(ends)],
        [{"a": a, "b": b, "weight": w} for (a, b), w in pairs_now.items()],
    )
    state.write_flags(conn, flag_changes, facts.flags())
    return Outcome(new, closed, n, f"{len(changed)} reports changed")


def _around(ev: Evidence, ids: Collection[str]) -> set[str]:
    """Entities in the reports of ``ids``."""
    if not ids:
        return set()
    by_report = ev.by_report()
    reports_of = {m.report for m in ev.mentions if m.entity_id in ids}
    return {m.entity_id for r in reports_of for m in by_report[r]}


def _referrals_to_review(conn: Connection, now: datetime, then: datetime) -> set[str]:
    """Report keys whose ``referrer-not-told`` alert may differ from what is
    stored by the clock alone: referrals whose days ran out (or, the clock set
    back, had not yet) between the last run and this one, and every one with
    an open alert (its reasons count the days)."""
    rule = alert_rules.load_rules().get("referrer-not-told")
    if rule is None:
        return set()
    days = timedelta(days=float(rule["max_days"]))
    low, high = sorted((then - days, now - days))
    r = network_reports.c
    out = set(
        conn.execute(select(r.key).where(r.received_at > low, r.received_at <= high)).scalars()
    )
    open_alerts = select(alerts.c.subjects).where(
        alerts.c.kind == "referrer-not-told", alerts.c.status == "open", alerts.c.stage == "network"
    )
    out.update(s[0] for s in conn.execute(open_alerts).scalars() if s)
    return out


@dataclass(slots=True)
class _Communities:
    """The suspects' communities after a change, and which to describe again."""

    label: dict[str, str]  # every suspect -> its community (the community's first member)
    order: dict[str, str]  # every suspect -> first mention as a suspect
    moved: set[str]  # suspects whose community changed (or who are no longer suspects)
    redone: list[list[str]]  # communities to describe again, each and all in canonical order
    affected: set[str]  # their members, before and after
    links: dict[tuple[str, str], float] | None  # every weight, when Leiden ran again

    @classmethod
    def find(
        cls,
        conn: Connection,
        p: Params,
        touched: Collection[str],
        decided: Mapping[str, Status],
        pairs_then: Mapping[tuple[str, str], float],
        pairs_now: Mapping[tuple[str, str], float],
        ends: Collection[str],
    ) -> _Communities:
        """Runs Leiden again over the whole suspects' graph if any of it
        changed (the weights around ``ends``, or who is a suspect and their
        first mention); the communities of ``ends`` and of suspects who moved
        are to be described again."""
        stored = state.suspects(conn)  # suspect -> (first mention, community)
        label_then = {e: c for e, (_, c) in stored.items() if c is not None}
        order = {e: first for e, (first, _) in stored.items() if e not in touched}
        order.update({e: s.suspect_from for e, s in decided.items() if s.suspect_from})
        links = None
        label = label_then
        if dict(pairs_then) != dict(pairs_now) or order != {e: f for e, (f, _) in stored.items()}:
            links = state.suspect_links(conn)
            for pair in pairs_then:
                del links[pair]
            links.update(pairs_now)
            found = p.communities(SuspectGraph(sorted(order, key=order.__getitem__), links, {}, {}))
            label = {m: members[0] for members in found for m in members}
        moved = {e for e in label_then.keys() | label.keys() if label.get(e) != label_then.get(e)}
        redo = {label_then[e] for e in moved if e in label_then} | {
            label[e] for e in [*moved, *ends] if e in label
        }
        members: dict[str, list[str]] = defaultdict(list)
        for e in sorted((e for e, c in label.items() if c in redo), key=order.__getitem__):
            members[label[e]].append(e)
        affected = {e for e, c in label_then.items() if c in redo} | {
            e for c in members.values() for e in c
        }
        redone = sorted(members.values(), key=lambda c: order[c[0]])
        return cls(label, order, moved, redone, affected, links)

    def weights_among(self, conn: Connection) -> dict[tuple[str, str], float]:
        """Every weight between two suspects of the same redone community
        (as stored when the suspects' graph is as it was)."""
        community_of = {m: i for i, c in enumerate(self.redone) for m in c}
        links = self.links if self.links is not None else state.suspect_links(conn, community_of)
        return {
            (a, b): w
            for (a, b), w in links.items()
            if a in community_of and community_of[a] == community_of.get(b)
        }


def _member_rows(
    member_rows: list[dict[str, Any]],
    fresh: list[Group],
    kept: Mapping[str, Mapping[str, Any]],
    comm: _Communities,
    children: Collection[str],
) -> list[dict[str, Any]]:
    """``network_group_members`` rows for the members of the fresh groups and
    for ``children`` (those linked to a fresh or a dropped group): a child is
    listed under the first group, in canonical order as in a full run, that it
    is linked to."""
    rows = [r for r in member_rows if r["role"] == "member"]
    holding: dict[str, list[tuple[str, str]]] = defaultdict(list)  # child -> [(order, group)]
    for g in fresh:
        place = comm.order[comm.label[g.members[0]]]
        for v in g.victims:
            holding[v].append((place, g.group_id))
    for gid, stored in kept.items():
        place = comm.order[comm.label[stored["members"][0]]]
        for v in stored["victims"]:
            if v in children:
                holding[v].append((place, gid))
    return rows + [
        {"entity_id": v, "group_id": min(groups)[1], "role": "victim", "centrality": 0.0}
        for v, groups in holding.items()
    ]


def _write_edges(conn: Connection, touched: Collection[str], edges: Edges) -> int:
    """Writes the edges at ``touched`` entities, and keeps every edge's
    connected component (named by its smallest entity id) what a full run
    would give: components joined by a new edge are renamed; one that lost an
    edge is worked out again from its edges. Returns how many rows changed."""
    t = network_edges
    around = [t.c.a.in_(c) for c in state.chunks(touched)]
    around += [t.c.b.in_(c) for c in state.chunks(touched)]
    before: dict[tuple[str, str, str], str] = {}
    for clause in around:
        for a, b, kind, component in conn.execute(
            select(t.c.a, t.c.b, t.c.kind, t.c.component).where(clause)
        ):
            before[(a, b, kind)] = component
    component_of = {x: c for (a, b, _), c in before.items() for x in (a, b)}
    others = {x for k in edges for x in k[:2]} - component_of.keys()
    for c in state.chunks(others):
        for column in (t.c.a, t.c.b):
            for x, component in conn.execute(select(column, t.c.component).where(column.in_(c))):
                component_of[x] = component
    # a component that lost an edge may fall apart: its other edges are joined again
    broken = {before[k] for k in before.keys() - edges.keys()}
    rest: dict[tuple[str, str, str], str] = {}
    for c in state.chunks(broken):
        for a, b, kind, component in conn.execute(
            select(t.c.a, t.c.b, t.c.kind, t.c.component).where(t.c.component.in_(c))
        ):
            if (a, b, kind) not in before:
                rest[(a, b, kind)] = component
    # join entities, and whole components left as they were, by the edges
    parent: dict[tuple[bool, str], tuple[bool, str]] = {}

    def node(x: str) -> tuple[bool, str]:
        """A whole unbroken component (True, its name), or an entity (False, its id)."""
        c = component_of.get(x)
        return (True, c) if c is not None and c not in broken else (False, x)

    def find(x: tuple[bool, str]) -> tuple[bool, str]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in [*rest, *edges]:
        ra, rb = find(node(a)), find(node(b))
        if ra != rb:
            parent[max(ra, rb, key=lambda r: r[1])] = min(ra, rb, key=lambda r: r[1])
    name = {x: find(x)[1] for x in parent}
    changed = state.sync(
        conn, t, ("a", "b", "kind"), around, [e.as_row(name[node(e.a)]) for e in edges.values()]
    )
    for (whole, old), new in name.items():
        if whole and new != old:
            result = conn.execute(update(t).where(t.c.component == old).values(component=new))
            changed += result.rowcount
    moved = {k: name[node(k[0])] for k, c in rest.items() if name[node(k[0])] != c}
    state.set_column(conn, t, ("a", "b", "kind"), "component", moved)
    return changed + len(moved)
