"""What the network stage reads: resolved mentions, the extractions' indicators,
disclosures and stated links, each report's agency, date and grading, and which
reports led to an action or a recorded crime.

Read once per run into plain objects so that graph, groups, priority, risk and
alerts are pure functions that tests can feed directly. Names, descriptions
and every other free-text field are deliberately not read: nothing here can
carry a protected characteristic into a score. Age is read only to decide who
is a child.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from lantern.domain import Grading
from lantern.store.findings.extraction import extractions
from lantern.store.findings.resolution import entities, entity_mentions
from lantern.store.schema import actions, decisions, report_revisions, reports

UNGRADED_WEIGHT = Grading().weight


@dataclass(frozen=True, slots=True)
class ReportInfo:
    key: str  # "agency/report_id"
    agency: str
    received_at: datetime
    grading_weight: float
    grading: str | None = None  # e.g. "1A P"; None when ungraded
    agency_type: str | None = None  # police, social-care, … (interchange spec)


@dataclass(frozen=True, slots=True)
class MentionRef:
    mention_id: str
    entity_id: str
    kind: str  # person | vehicle | phone | location
    report: str  # report key
    role: str | None = None


@dataclass(frozen=True, slots=True)
class IndicatorSeen:
    report: str
    child: str  # entity id
    code: str


@dataclass(frozen=True, slots=True)
class DisclosureSeen:
    report: str
    act: str
    victim: str | None  # entity id
    offenders: tuple[str, ...]  # entity ids


@dataclass(frozen=True, slots=True)
class LinkSeen:
    report: str
    source: str  # entity id
    target: str
    kind: str


@dataclass(slots=True)
class Evidence:
    """Everything the network stage weighs, keyed by entity id and report key."""

    reports: dict[str, ReportInfo] = field(default_factory=dict)
    mentions: list[MentionRef] = field(default_factory=list)
    entity_kinds: dict[str, str] = field(default_factory=dict)
    children: set[str] = field(default_factory=set)  # person entities known or taken as children
    indicators: list[IndicatorSeen] = field(default_factory=list)
    disclosures: list[DisclosureSeen] = field(default_factory=list)
    links: list[LinkSeen] = field(default_factory=list)
    actioned_reports: set[str] = field(default_factory=set)
    # entity ids or report keys an action has named (for "no action" and "no strategy discussion")
    actioned_subjects: set[str] = field(default_factory=set)
    # report keys whose referrer was told the outcome (None: no feedback recorded anywhere yet)
    shared_back: set[str] | None = None
    _by_report: tuple[int, dict[str, list[MentionRef]]] | None = None
    _suspects: tuple[Any, dict[str, set[str]]] | None = None

    def by_report(self) -> dict[str, list[MentionRef]]:
        """Mentions by report (worked out again only when mentions were added)."""
        if self._by_report is None or self._by_report[0] != len(self.mentions):
            out: dict[str, list[MentionRef]] = defaultdict(list)
            for m in self.mentions:
                out[m.report].append(m)
            self._by_report = (len(self.mentions), out)
        return self._by_report[1]

    def suspect_reports(
        self, suspect_roles: Iterable[str], min_share: float = 0.0
    ) -> dict[str, set[str]]:
        """Each person named as a suspect (children excepted) -> the reports
        that name them so. A person the same report names as its reporter or a
        professional is not its suspect; a person named as a suspect in less
        than ``min_share`` of the reports that name them is not a suspect."""
        roles = set(suspect_roles)
        memo_key = (tuple(sorted(roles)), min_share, len(self.mentions), len(self.children))
        if self._suspects is not None and self._suspects[0] == memo_key:
            return self._suspects[1]
        named: dict[tuple[str, str], set[str | None]] = defaultdict(set)
        for m in self.mentions:
            if m.kind == "person" and m.entity_id not in self.children:
                named[(m.entity_id, m.report)].add(m.role)
        out: dict[str, set[str]] = defaultdict(set)
        named_in: dict[str, int] = defaultdict(int)
        for (entity, report), seen in named.items():
            named_in[entity] += 1
            if seen & roles and not seen & BYSTANDER_ROLES:
                out[entity].add(report)
        kept = {e: r for e, r in out.items() if len(r) >= min_share * named_in[e]}
        self._suspects = (memo_key, kept)
        return self._suspects[1]

    def by_entity(self) -> dict[str, list[MentionRef]]:
        out: dict[str, list[MentionRef]] = defaultdict(list)
        for m in self.mentions:
            out[m.entity_id].append(m)
        return out


CHILD_ROLES = ("victim", "person-at-risk", "missing-person")
DONE = ("resulted", "reviewed")
# People in these roles are in a report through their work, not as part of what happened.
BYSTANDER_ROLES = frozenset({"professional", "reporter"})


@dataclass(frozen=True, slots=True)
class _Parsed:
    """What one revision of one report's extraction gives, by mention id."""

    revision: int
    extractor: str
    ages: tuple[tuple[str, int], ...]
    indicators: tuple[tuple[str, str], ...]  # (child mention, code)
    disclosures: tuple[tuple[str, str, tuple[str, ...]], ...]  # (act, victim, offenders)
    links: tuple[tuple[str, str, str], ...]  # (source, target, kind)


@dataclass(slots=True)
class _Cache:
    """Per database: reports' gradings and extractions already read, so that a
    run reads only what is new (the store's facts do not change under a
    revision number)."""

    reports: dict[int, tuple[int, str, str, str | None, float, str | None]] = field(
        default_factory=dict
    )  # pk -> (revision, key, agency, grading code, weight, agency type)
    parsed: dict[int, _Parsed] = field(default_factory=dict)


_caches: dict[str, _Cache] = {}


def load(conn: Connection, as_of: datetime | None = None, young_person_age: int = 17) -> Evidence:
    """Reads the evidence from the store (reports received up to ``as_of``).
    A person is a child if any report gives an age under 18, or if they are
    reported in a child's role (victim, person at risk, missing) and no report
    gives them an age above ``young_person_age``."""
    cache = _caches.setdefault(str(conn.engine.url), _Cache())
    _refresh_reports(conn, cache)
    _refresh_extractions(conn, cache)
    ev = Evidence()
    entity_of: dict[str, str] = {}
    query = select(
        entity_mentions.c.mention_id,
        entity_mentions.c.entity_id,
        entity_mentions.c.kind,
        entity_mentions.c.report_pk,
        entity_mentions.c.received_at,
        entity_mentions.c.role,
    )
    if as_of is not None:
        query = query.where(entity_mentions.c.received_at <= as_of)
    in_scope: set[int] = set()
    for mid, eid, kind, pk, received_at, role in conn.execute(query):
        known = cache.reports.get(pk)
        if known is None:
            continue
        _, key, agency, code, weight, agency_type = known
        if pk not in in_scope:
            in_scope.add(pk)
            ev.reports[key] = ReportInfo(key, agency, received_at, weight, code, agency_type)
        ev.mentions.append(MentionRef(mid, eid, kind, key, role))
        ev.entity_kinds[eid] = kind
        entity_of[mid] = eid
    ev.mentions.sort(key=lambda m: m.mention_id)
    ages = _entity_ages(conn)
    for pk in sorted(in_scope):
        _add_extraction(ev, cache.reports[pk][1], cache.parsed.get(pk), entity_of, ages)
    for eid, seen in ages.items():
        if seen and min(seen) < 18:
            ev.children.add(eid)
    for m in ev.mentions:
        young = max(ages.get(m.entity_id) or [0]) <= young_person_age
        if m.kind == "person" and m.role in CHILD_ROLES and young:
            ev.children.add(m.entity_id)
    _read_actions(conn, ev)
    return ev


def _refresh_reports(conn: Connection, cache: _Cache) -> None:
    """Each report's key, agency type and grading (code and weight)."""
    current = {
        pk: (rev, agency, report_id, agency_type)
        for pk, rev, agency, report_id, agency_type in conn.execute(
            select(
                reports.c.pk,
                reports.c.revisions,
                reports.c.agency,
                reports.c.report_id,
                reports.c.agency_type,
            )
        )
    }
    stale = [
        pk
        for pk, (rev, agency, report_id, _) in current.items()
        if (known := cache.reports.get(pk)) is None or known[:2] != (rev, f"{agency}/{report_id}")
    ]
    for pk in stale:  # a new revision, or a store made afresh at the same address
        cache.parsed.pop(pk, None)
    for pk in set(cache.reports) - set(current):
        del cache.reports[pk]
    for i in range(0, len(stale), 900):
        chunk = stale[i : i + 900]
        rows = conn.execute(
            select(report_revisions.c.report_pk, report_revisions.c.body)
            .join(reports, reports.c.pk == report_revisions.c.report_pk)
            .where(report_revisions.c.report_pk.in_(chunk))
            .where(report_revisions.c.revision == reports.c.revisions)
        )
        for pk, body in rows:
            rev, agency, report_id, agency_type = current[pk]
            code, weight = _grading(body.get("grading") if isinstance(body, dict) else None)
            cache.reports[pk] = (rev, f"{agency}/{report_id}", agency, code, weight, agency_type)


def _grading(raw: Any) -> tuple[str | None, float]:
    if not isinstance(raw, dict):
        return None, UNGRADED_WEIGHT
    try:
        grading = Grading(
            source=raw.get("source"),
            intelligence=raw.get("intelligence"),
            handling=raw.get("handling") or "P",
        )
    except ValueError:
        return None, UNGRADED_WEIGHT
    return grading.code, grading.weight


def _entity_ages(conn: Connection) -> dict[str, list[int]]:
    """Ages the resolved people are known by (``data.ages`` from resolution)."""
    out: dict[str, list[int]] = {}
    rows = conn.execute(
        select(entities.c.entity_id, entities.c.data).where(entities.c.kind == "person")
    )
    for eid, data in rows:
        ages = data.get("ages") if isinstance(data, dict) else None
        out[eid] = [int(a) for a in ages or [] if isinstance(a, int | float)]
    return out


def _refresh_extractions(conn: Connection, cache: _Cache) -> None:
    versions = conn.execute(
        select(extractions.c.report_pk, extractions.c.revision, extractions.c.extractor)
    ).all()
    stale = [
        pk
        for pk, rev, extractor in versions
        if (p := cache.parsed.get(pk)) is None or (p.revision, p.extractor) != (rev, extractor)
    ]
    for i in range(0, len(stale), 900):
        rows = conn.execute(
            select(
                extractions.c.report_pk,
                extractions.c.revision,
                extractions.c.extractor,
                extractions.c.payload,
            ).where(extractions.c.report_pk.in_(stale[i : i + 900]))
        )
        for pk, rev, extractor, payload in rows:
            cache.parsed[pk] = _parse(rev, extractor, payload)


def _parse(revision: int, extractor: str, payload: dict[str, Any]) -> _Parsed:
    return _Parsed(
        revision,
        extractor,
        tuple(
            (str(p.get("mention_id")), int(p["age"]))
            for p in payload.get("people") or []
            if isinstance(p.get("age"), int | float)
        ),
        tuple(
            (str(i.get("child") or ""), str(i["code"]))
            for i in payload.get("indicators") or []
            if i.get("code")
        ),
        tuple(
            (str(d.get("act")), str(d.get("victim") or ""), tuple(d.get("offenders") or []))
            for d in payload.get("disclosures") or []
        ),
        tuple(
            (str(k.get("source") or ""), str(k.get("target") or ""), str(k.get("link_kind")))
            for k in payload.get("links") or []
        ),
    )


def _add_extraction(
    ev: Evidence,
    key: str,
    parsed: _Parsed | None,
    entity_of: dict[str, str],
    ages: dict[str, list[int]],
) -> None:
    if parsed is None:
        return
    for mid, age in parsed.ages:
        if (eid := entity_of.get(mid)) is not None:
            ages.setdefault(eid, []).append(age)
    for child_mid, code in parsed.indicators:
        if (child := entity_of.get(child_mid)) is not None:
            ev.indicators.append(IndicatorSeen(key, child, code))
    for act, victim, offenders in parsed.disclosures:
        named = tuple(sorted({entity_of[o] for o in offenders if o in entity_of}))
        ev.disclosures.append(DisclosureSeen(key, act, entity_of.get(victim), named))
    for source, target, kind in parsed.links:
        a, b = entity_of.get(source), entity_of.get(target)
        if a and b and a != b:
            ev.links.append(LinkSeen(key, a, b, kind))


def _read_actions(conn: Connection, ev: Evidence) -> None:
    """Reports that led to something: an action raised from them, or a recorded crime."""
    rows = conn.execute(select(actions.c.source, actions.c.title, actions.c.status))
    for source, title, status in rows:
        if source.startswith("report:"):
            ev.actioned_reports.add(source.removeprefix("report:"))
        if status in DONE:  # e.g. the strategy discussion an alert asked for was held
            ev.actioned_subjects.update(_named_in(title))
    rows = conn.execute(select(decisions.c.kind, decisions.c.subject, decisions.c.actor))
    for kind, subject, actor in rows:
        # a crime recorded by a person, not a system proposal
        if kind == "record-crime" and actor != "system" and subject.startswith("report:"):
            ev.actioned_reports.add(subject.removeprefix("report:"))
        if kind == "share-back" and subject.startswith("report:"):
            ev.shared_back = ev.shared_back or set()
            ev.shared_back.add(subject.removeprefix("report:"))


def _named_in(title: Any) -> set[str]:
    """Entity ids named in an action's title (``person:…`` tokens)."""
    if not isinstance(title, str):
        return set()
    return {t.strip(",.;:()[]") for t in title.split() if t.startswith("person:")}
