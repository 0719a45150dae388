"""What the network stage reads: resolved mentions, the extractions' indicators,
disclosures and stated links, each report's agency, date and grading, and which
reports led to an action or a recorded crime.

A report is read into a compact ``ReportRow`` (agency, date, grading, and what
its extraction says, by mention id) with its resolved mentions
(``MentionRow``); ``assemble`` joins rows into plain ``Evidence`` objects so
that graph, groups, priority, risk and alerts are pure functions that tests can
feed directly. ``read_reports`` reads the rows from the facts and the earlier
stages' findings; the stage keeps a copy of them (``network_reports``,
``network_mentions``) so that an incremental run reads only the reports around
what changed (``lantern.network.state``).

Names, descriptions and every other free-text field are deliberately not read:
nothing here can carry a protected characteristic into a score. Age is read
only to decide who is a child.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Text, cast, select

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
    # the day the child went missing, for the missing indicator of a
    # missing-person report or a return interview ("" if not known): one
    # episode, however many reports tell of it
    episode: str = ""


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
    # The people kept as suspects, when decided elsewhere (an incremental run
    # holds only some reports, and reads who is a suspect from what it stored);
    # None: worked out from the mentions here.
    suspects: set[str] | None = None
    # ages the extractions give each entity (with resolution's, they decide who is a child)
    stated_ages: dict[str, list[int]] = field(default_factory=dict)
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
        than ``min_share`` of the reports that name them is not a suspect
        (when ``suspects`` is given, it says who is)."""
        roles = frozenset(suspect_roles)
        given = None if self.suspects is None else len(self.suspects)
        memo_key = (roles, min_share, len(self.mentions), len(self.children), given)
        if self._suspects is not None and self._suspects[0] == memo_key:
            return self._suspects[1]
        named, named_in = _named_as_suspect(self.mentions, self.children, roles)
        if self.suspects is not None:
            kept = {e: r for e, r in named.items() if e in self.suspects}
        else:
            kept = {e: r for e, r in named.items() if len(r) >= min_share * named_in[e]}
        self._suspects = (memo_key, kept)
        return kept

    def is_suspect(self, suspect_roles: Iterable[str], min_share: float = 0.0) -> Collection[str]:
        """Who is a suspect anywhere: ``suspects`` when given, else the people
        ``suspect_reports`` finds."""
        if self.suspects is not None:
            return self.suspects
        return self.suspect_reports(suspect_roles, min_share).keys()


def _named_as_suspect(
    mentions: Iterable[MentionRef], children: Collection[str], roles: frozenset[str]
) -> tuple[dict[str, set[str]], dict[str, int]]:
    """Each person (children excepted) -> the reports naming them in a
    suspect's role and in no bystander's; and the number of reports naming them."""
    named: dict[tuple[str, str], set[str | None]] = defaultdict(set)
    for m in mentions:
        if m.kind == "person" and m.entity_id not in children:
            named[(m.entity_id, m.report)].add(m.role)
    out: dict[str, set[str]] = defaultdict(set)
    named_in: dict[str, int] = defaultdict(int)
    for (entity, report), seen in named.items():
        named_in[entity] += 1
        if seen & roles and not seen & BYSTANDER_ROLES:
            out[entity].add(report)
    return out, named_in


CHILD_ROLES = ("victim", "person-at-risk", "missing-person")
DONE = ("resulted", "reviewed")
# People in these roles are in a report through their work, not as part of what happened.
BYSTANDER_ROLES = frozenset({"professional", "reporter"})


class MentionRow(NamedTuple):
    """A resolved mention as the stage reads it."""

    mention_id: str
    entity_id: str
    kind: str
    report_pk: int
    role: str | None


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One report as the stage reads it: its place, date and grading, and what
    its extraction says, by mention id."""

    pk: int
    key: str
    agency: str
    agency_type: str | None
    received_at: datetime
    revision: int  # reports.revisions
    grading: str | None
    grading_weight: float
    extracted: int | None  # the extraction's revision (None: not extracted)
    extractor: str | None
    ages: tuple[tuple[str, int], ...] = ()
    indicators: tuple[tuple[str, str, str], ...] = ()  # (child mention, code, episode)
    disclosures: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (act, victim, offenders)
    links: tuple[tuple[str, str, str], ...] = ()  # (source, target, kind)

    def evidence_json(self) -> dict[str, Any]:
        """What the extraction says, as stored in ``network_reports.evidence``."""
        return {
            "ages": [list(a) for a in self.ages],
            "indicators": [list(i) for i in self.indicators],
            "disclosures": [
                [act, victim, list(offenders)] for act, victim, offenders in self.disclosures
            ],
            "links": [list(k) for k in self.links],
        }


def evidence_from_json(data: Mapping[str, Any]) -> dict[str, Any]:
    """``ReportRow`` fields from ``network_reports.evidence``."""
    return {
        "ages": tuple((str(m), int(a)) for m, a in data.get("ages") or []),
        # (child, code, episode); stored before episodes were read: (child, code)
        "indicators": tuple(
            (str(i[0]), str(i[1]), str(i[2]) if len(i) > 2 else "")
            for i in data.get("indicators") or []
        ),
        "disclosures": tuple(
            (str(act), str(victim), tuple(offenders))
            for act, victim, offenders in data.get("disclosures") or []
        ),
        "links": tuple((str(s), str(t), str(k)) for s, t, k in data.get("links") or []),
    }


def read_reports(
    conn: Connection, as_of: datetime, pks: Collection[int] | None = None
) -> tuple[list[ReportRow], list[MentionRow]]:
    """Reports received up to ``as_of`` that have a resolved mention (every
    one, or those among ``pks``), with those mentions, from the facts and the
    earlier stages' findings."""
    mentions: list[MentionRow] = []
    received: dict[int, datetime] = {}
    query = select(
        entity_mentions.c.mention_id,
        entity_mentions.c.entity_id,
        entity_mentions.c.kind,
        entity_mentions.c.report_pk,
        entity_mentions.c.role,
        entity_mentions.c.received_at,
    ).where(entity_mentions.c.received_at <= as_of)
    for chunk in _chunked(pks):
        scoped = query if chunk is None else query.where(entity_mentions.c.report_pk.in_(chunk))
        for mid, eid, kind, pk, role, at in conn.execute(scoped):
            mentions.append(MentionRow(mid, eid, kind, pk, role))
            if pk not in received or at < received[pk]:
                received[pk] = at
    facts: dict[int, tuple[int, str, str, str | None]] = {}
    gradings: dict[int, Any] = {}
    parsed: dict[int, tuple[int, str, dict[str, Any]]] = {}
    wanted = sorted(received)
    for chunk in _chunked(None if pks is None else wanted):
        fact_query = select(
            reports.c.pk,
            reports.c.revisions,
            reports.c.agency,
            reports.c.report_id,
            reports.c.agency_type,
        )
        body_query = (
            select(report_revisions.c.report_pk, report_revisions.c.body)
            .join(reports, reports.c.pk == report_revisions.c.report_pk)
            .where(report_revisions.c.revision == reports.c.revisions)
        )
        extraction_query = select(
            extractions.c.report_pk,
            extractions.c.revision,
            extractions.c.extractor,
            extractions.c.payload,
        )
        if chunk is not None:
            fact_query = fact_query.where(reports.c.pk.in_(chunk))
            body_query = body_query.where(report_revisions.c.report_pk.in_(chunk))
            extraction_query = extraction_query.where(extractions.c.report_pk.in_(chunk))
        for pk, revision, agency, report_id, agency_type in conn.execute(fact_query):
            if pk in received:
                facts[pk] = (revision, agency, report_id, agency_type)
        for pk, body in conn.execute(body_query):
            if pk in received:
                gradings[pk] = body.get("grading") if isinstance(body, dict) else None
        for pk, revision, extractor, payload in conn.execute(extraction_query):
            if pk in received:
                parsed[pk] = (revision, extractor, payload)
    rows = []
    for pk in wanted:
        if pk not in facts or pk not in gradings:
            continue
        revision, agency, report_id, agency_type = facts[pk]
        code, weight = _grading(gradings[pk])
        extracted, extractor, payload = parsed.get(pk, (None, None, {}))
        rows.append(
            ReportRow(
                pk,
                f"{agency}/{report_id}",
                agency,
                agency_type,
                received[pk],
                revision,
                code,
                weight,
                extracted,
                extractor,
                **_parse(payload),
            )
        )
    kept = {r.pk for r in rows}
    return rows, [m for m in mentions if m.report_pk in kept]


def _chunked(pks: Collection[int] | None, size: int = 900) -> Iterable[list[int] | None]:
    """``pks`` in chunks small enough for an IN list; one None for "all"."""
    if pks is None:
        yield None
        return
    items = sorted(pks)
    for i in range(0, len(items), size):
        yield items[i : i + size]


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


def _parse(payload: Mapping[str, Any]) -> dict[str, Any]:
    """What an extraction says about ages, indicators, disclosures and links."""
    missing = {
        p.get("mention_id"): p["missing_on"]
        for p in payload.get("people") or []
        if p.get("missing_on")
    }
    return {
        "ages": tuple(
            (str(p.get("mention_id")), int(p["age"]))
            for p in payload.get("people") or []
            if isinstance(p.get("age"), int | float)
        ),
        "indicators": tuple(
            (
                str(i.get("child") or ""),
                str(i["code"]),
                str(missing.get(i.get("child"), "") if i["code"] == "missing" else ""),
            )
            for i in payload.get("indicators") or []
            if i.get("code")
        ),
        "disclosures": tuple(
            (str(d.get("act")), str(d.get("victim") or ""), tuple(d.get("offenders") or []))
            for d in payload.get("disclosures") or []
        ),
        "links": tuple(
            (str(k.get("source") or ""), str(k.get("target") or ""), str(k.get("link_kind")))
            for k in payload.get("links") or []
        ),
    }


def assemble(rows: Iterable[ReportRow], mentions: Iterable[MentionRow]) -> Evidence:
    """Evidence from report rows and their mentions (reports without a mention
    left out). Who is a child or a suspect is not decided here."""
    by_pk = {r.pk: r for r in rows}
    ev = Evidence()
    entity_of: dict[int, dict[str, str]] = defaultdict(dict)  # report -> mention -> entity
    for m in mentions:
        row = by_pk.get(m.report_pk)
        if row is None:
            continue
        ev.mentions.append(MentionRef(m.mention_id, m.entity_id, m.kind, row.key, m.role))
        ev.entity_kinds[m.entity_id] = m.kind
        entity_of[m.report_pk][m.mention_id] = m.entity_id
    ev.mentions.sort(key=lambda m: m.mention_id)
    for pk in sorted(entity_of):
        row = by_pk[pk]
        ev.reports[row.key] = ReportInfo(
            row.key, row.agency, row.received_at, row.grading_weight, row.grading, row.agency_type
        )
        _add_extraction(ev, row, entity_of[pk])
    return ev


def _add_extraction(ev: Evidence, row: ReportRow, entity_of: Mapping[str, str]) -> None:
    key = row.key
    for mid, age in row.ages:
        if (eid := entity_of.get(mid)) is not None:
            ev.stated_ages.setdefault(eid, []).append(age)
    for child_mid, code, episode in row.indicators:
        if (child := entity_of.get(child_mid)) is not None:
            ev.indicators.append(IndicatorSeen(key, child, code, episode))
    for act, victim, offenders in row.disclosures:
        named = tuple(sorted({entity_of[o] for o in offenders if o in entity_of}))
        ev.disclosures.append(DisclosureSeen(key, act, entity_of.get(victim), named))
    for source, target, kind in row.links:
        a, b = entity_of.get(source), entity_of.get(target)
        if a and b and a != b:
            ev.links.append(LinkSeen(key, a, b, kind))


def children_among(
    ev: Evidence,
    among: Collection[str],
    entity_ages: Mapping[str, Sequence[int]],
    young_person_age: int = 17,
) -> set[str]:
    """Which of ``among`` (all of whose reports ``ev`` holds) are children. A
    person is a child if resolution or a report gives an age under 18, or if
    they are reported in a child's role (victim, person at risk, missing) and
    no age above ``young_person_age`` is given."""
    ages = {e: [*entity_ages.get(e, ()), *ev.stated_ages.get(e, ())] for e in among}
    out = {e for e, seen in ages.items() if seen and min(seen) < 18}
    for m in ev.mentions:
        young = m.entity_id in ages and max(ages[m.entity_id] or [0]) <= young_person_age
        if m.kind == "person" and m.role in CHILD_ROLES and young:
            out.add(m.entity_id)
    return out


def suspects_among(
    ev: Evidence, among: Collection[str], suspect_roles: Iterable[str], min_share: float = 0.0
) -> dict[str, str]:
    """Which of ``among`` (all of whose reports ``ev`` holds, with who of them
    is a child decided) are suspects -> their first mention as a suspect."""
    named, named_in = _named_as_suspect(
        (m for m in ev.mentions if m.entity_id in among), ev.children, frozenset(suspect_roles)
    )
    kept = {e: r for e, r in named.items() if len(r) >= min_share * named_in[e]}
    first: dict[str, str] = {}
    for m in ev.mentions:  # sorted by mention id
        if m.entity_id in kept and m.report in kept[m.entity_id]:
            first.setdefault(m.entity_id, m.mention_id)
    return first


def entity_ages(
    conn: Connection, among: Collection[str] | None = None
) -> dict[str, tuple[list[int], str | None]]:
    """Ages resolution gives each person (``entities.data.ages``) — every
    person's, or those of ``among`` — with the database's text of them (kept
    to notice when resolution changes them)."""
    out: dict[str, tuple[list[int], str | None]] = {}
    query = select(entities.c.entity_id, cast(entities.c.data["ages"], Text)).where(
        entities.c.kind == "person"
    )
    chunks: Iterable[list[str] | None] = (
        [None] if among is None else [sorted(among)[i : i + 900] for i in range(0, len(among), 900)]
    )
    for chunk in chunks:
        scoped = query if chunk is None else query.where(entities.c.entity_id.in_(chunk))
        for eid, text in conn.execute(scoped):
            ages = json.loads(text) if text else None
            out[eid] = ([int(a) for a in ages or [] if isinstance(a, int | float)], text)
    return out


@dataclass(slots=True)
class Facts:
    """What the facts say about reports and people: which reports led to
    something, who a done action names, which referrers were told."""

    actioned_reports: set[str] = field(default_factory=set)
    actioned_subjects: set[str] = field(default_factory=set)
    shared_back: set[str] | None = None

    def apply(self, ev: Evidence) -> None:
        ev.actioned_reports = self.actioned_reports
        ev.actioned_subjects = self.actioned_subjects
        ev.shared_back = self.shared_back

    def flags(self) -> set[tuple[str, str]]:
        """As ``network_flags`` rows: (actioned | named | told, key)."""
        return (
            {("actioned", k) for k in self.actioned_reports}
            | {("named", k) for k in self.actioned_subjects}
            | {("told", k) for k in self.shared_back or ()}
        )


def read_facts(conn: Connection) -> Facts:
    """Reports that led to something (an action raised from them, or a
    recorded crime), who done actions name, and referrals shared back."""
    facts = Facts()
    rows = conn.execute(select(actions.c.source, actions.c.title, actions.c.status))
    for source, title, status in rows:
        if source.startswith("report:"):
            facts.actioned_reports.add(source.removeprefix("report:"))
        if status in DONE:  # e.g. the strategy discussion an alert asked for was held
            facts.actioned_subjects.update(_named_in(title))
    rows = conn.execute(select(decisions.c.kind, decisions.c.subject, decisions.c.actor))
    for kind, subject, actor in rows:
        # a crime recorded by a person, not a system proposal
        if kind == "record-crime" and actor != "system" and subject.startswith("report:"):
            facts.actioned_reports.add(subject.removeprefix("report:"))
        if kind == "share-back" and subject.startswith("report:"):
            facts.shared_back = facts.shared_back or set()
            facts.shared_back.add(subject.removeprefix("report:"))
    return facts


def _named_in(title: Any) -> set[str]:
    """Entity ids named in an action's title (``person:…`` tokens)."""
    if not isinstance(title, str):
        return set()
    return {t.strip(",.;:()[]") for t in title.split() if t.startswith("person:")}
