"""Clusters of person mentions from scored pairs, with people's judgements and
the safety rules for children applied while clustering.

Pairs are taken strongest first (single-link, greedy). Two clusters are
joined by a pair only when:

- the pair's weight reaches the threshold (the child threshold when either
  mention is a child), and nobody judged any two of their mentions "not the
  same" (cannot-link);
- for a child: the names agree at least as a nickname or variant, both
  mentions carry an age or date of birth and they agree, there is a second
  piece of evidence (family name, date of birth, identifier, phone, company), and the
  joined cluster stays consistent — one sex, ages that agree, dates of birth
  within a year of them and a typo at most apart, given names that can be
  one person's;
- the joined cluster stays one person: birth dates or ages that agree
  (within a year, for a mistyped date of birth), family names alike,
  one officer's collar number or none ("PC 1598 Crossley" is never "PC 2248
  Crossley", nor "Megan Crossley");
- two named subjects of one report, with given names that cannot be one
  person's, are never joined; nor are a member of staff and one of the
  public the same report speaks of (the youth worker who writes that "a man
  she knows as 'Ben'" took a girl away is not that Ben).

An adult's recorded sex is not a rule: records get it wrong (a driver in a
collision report entered as male, a woman everywhere else), and the model
already weighs a different sex against a link. A child's is.

"Same" judgements (must-link) are applied first and always; "not the same"
judgements block every join that would bring the two mentions together.
Description-only mentions never reach here (they stay alone).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice
from operator import attrgetter
from typing import Any, Protocol

import jellyfish

from lantern.resolve import bulk, features, model, names
from lantern.resolve.features import PUBLIC

# A link that involves a child needs its given names to agree at one of these
# levels, both mentions' birth dates or ages to agree (an undated mention is
# not enough: two children of one name are common), and one more piece of
# evidence of identity besides (a family name, a date of birth, an
# identifier, a phone, or the company kept).
CHILD_NAME_LEVELS = frozenset({"same", "nickname or spelling variant"})
CHILD_BORN_AGREES = frozenset(
    {"same date of birth", "date of birth one typo apart", "age agrees with date of birth"}
)
CHILD_FAMILY_AGREES = frozenset({"same", "nearly the same", "sounds the same"})
CHILD_IDENTITY = {
    "born": frozenset({"same date of birth", "date of birth one typo apart"}),
    "identifier": frozenset({"same identifier", "same identifier but for one typo"}),
    "phone": frozenset({"a phone in common"}),
    "address": frozenset({"same address", "nearly the same address"}),
    "company": frozenset({"keeps the same company"}),
    "report": frozenset({"same report"}),
}

# The reason recorded for a first-name-only mention joined to the named person
# of its own report (within-report coreference, not a scored link).
COREFERENCE_REASON = {
    "comparison": "report",
    "level": "first name only, the one named person of the report it can be",
    "weight": None,
}

# ... and for the mentions of one officer (same collar number, same family name).
OFFICER_REASON = {
    "comparison": "identifier",
    "level": "same collar number and family name",
    "weight": None,
}

# ... and for a member of staff known by first name and job.
STAFF_REASON = {
    "comparison": "occupation",
    "level": "first name and job, the one member of staff named in full it can be",
    "weight": None,
}

# ... and for the child of a return interview, known by first name, joined to
# the child reported missing on the day of the episode it follows.
EPISODE_REASON = {
    "comparison": "report",
    "level": "first name only, the one person of that name reported missing that day",
    "weight": None,
}

# ... and for a child known by one full name, joined across reports when
# another child of that name, sex and age is unlikely by chance.
NAMESAKE_REASON = {
    "comparison": "name",
    "level": "the one child of this full name, sex and age the store knows, "
    "another unlikely by chance",
    "weight": None,
}
# How many other children of one full name, sex and age the store may be
# expected to hold by chance (``Namesakes.expected``) for the clusters of that
# name to be joined as one child: under 1 in 300. On the simulated towns with
# crowded names (docs/resolution.md) the lowest estimate for two children
# truly of one name and age was 1 in 120.
NAMESAKE_ODDS = 0.003

# Every cluster must read as one person: ages that agree with
# each other and with its dates of birth (within this many days). Two dates
# of birth are not held against each other here: a mistyped date of birth is
# common, and the model weighs it.
BORN_TOLERANCE_DAYS = 366
# ... and family names alike at least this much (Jaro-Winkler), or swapped.
FAMILY_SIMILARITY = 0.8


@dataclass(slots=True)
class _Cluster:
    members: list[str]
    children: list[dict[str, Any]] = field(default_factory=list)
    reports: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    born_lo: int | None = None  # from stated ages: the latest earliest-birth
    born_hi: int | None = None  # ... and the earliest latest-birth
    dob_min: int | None = None  # dates of birth: the earliest and latest
    dob_max: int | None = None
    sexes: set[str] = field(default_factory=set)
    families: set[str] = field(default_factory=set)
    givens: set[str] = field(default_factory=set)
    collars: set[str] = field(default_factory=set)  # officers' collar numbers


@dataclass(frozen=True, slots=True)
class Link:
    mention_a: str
    mention_b: str
    match_weight: float
    reasons: list[dict[str, Any]]


class Scored(Protocol):
    """A scored pair as clustering reads it: a ``Link``, or the linkage's
    ``ScoredPair`` as it comes (not copied into a Link)."""

    @property
    def mention_a(self) -> str: ...
    @property
    def mention_b(self) -> str: ...
    @property
    def match_weight(self) -> float: ...
    @property
    def reasons(self) -> list[dict[str, Any]]: ...


class Clusters:
    """Union-find over mentions that refuses joins the rules forbid."""

    def __init__(self, rows: Mapping[str, dict[str, Any]], cannot: Iterable[tuple[str, str]] = ()):
        self.rows = rows
        self.parent: dict[str, str] = {m: m for m in rows}
        # each root's cluster, made when the root is first joined (a mention
        # never joined is a cluster of its own, made only when asked for)
        self.clusters: dict[str, _Cluster] = {}
        self.cannot: dict[str, set[str]] = {}
        for a, b in cannot:
            if a in rows and b in rows:
                self.cannot.setdefault(a, set()).add(b)
                self.cannot.setdefault(b, set()).add(a)
        self.joined_by: dict[str, Scored] = {}
        # every link seen (by pair, the weakest where a pair comes twice),
        # indexed when first looked up
        self._seen: list[Scored] = []
        self._scored: dict[tuple[str, str], Scored] | None = None

    def _single(self, m: str) -> _Cluster:
        row = self.rows[m]
        get = row.get
        dob = get("dob")
        born = get("born_lo")
        ident = get("identifier") or ""
        # every field given (none left to its factory): one of these is made
        # for each mention ever joined
        return _Cluster(
            members=[m],
            children=[row] if get("is_child") else [],
            reports={row["report_pk"]: [row]},
            born_lo=None if dob else born,
            born_hi=None if dob else get("born_hi"),
            dob_min=born if dob else None,
            dob_max=born if dob else None,
            sexes={row["sex"]} if get("sex") else set(),
            families={row["family"]} if get("family") else set(),
            givens={row["given"]} if get("given") else set(),
            collars={ident} if ident.startswith("collar:") else set(),
        )

    def find(self, m: str) -> str:
        root = m
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[m] != root:
            self.parent[m], m = root, self.parent[m]
        return root

    def join(self, a: str, b: str, *, force: bool = False, names_compared: bool = True) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        return self._join_roots(ra, rb, force, names_compared)

    def _join_roots(
        self, ra: str, rb: str, force: bool = False, names_compared: bool | Scored = True
    ) -> bool:
        """Joins two clusters by their roots if the rules allow it.
        ``names_compared``: whether the joining link compared family names,
        or the link itself, read only when it matters."""
        ca, cb = self._cluster(ra), self._cluster(rb)
        if not force and not self._may_join(ca, cb, names_compared):
            return False
        if len(ca.members) < len(cb.members):
            ra, rb, ca, cb = rb, ra, cb, ca
        self.parent[rb] = ra
        ca.members += cb.members
        if cb.children:
            ca.children += cb.children
        ca.born_lo = _max(ca.born_lo, cb.born_lo)
        ca.born_hi = _min(ca.born_hi, cb.born_hi)
        ca.dob_min = _min(ca.dob_min, cb.dob_min)
        ca.dob_max = _max(ca.dob_max, cb.dob_max)
        ca.sexes |= cb.sexes
        ca.families |= cb.families
        ca.givens |= cb.givens
        ca.collars |= cb.collars
        reports = ca.reports
        for pk, rows in cb.reports.items():
            known = reports.get(pk)
            if known is None:
                reports[pk] = rows
            else:
                known.extend(rows)
        del self.clusters[rb]
        return True

    def _may_join(self, ca: _Cluster, cb: _Cluster, names_compared: bool | Scored = True) -> bool:
        if (
            (ca.children or cb.children) and len(ca.sexes | cb.sexes) > 1
        ) or ca.collars != cb.collars:
            return False
        if ca.families and cb.families:
            if not isinstance(names_compared, bool):
                names_compared = _compares_families(names_compared)
            if not names_compared and _other_families(ca, cb):
                return False
        lo, hi = _max(ca.born_lo, cb.born_lo), _min(ca.born_hi, cb.born_hi)
        if lo is not None and hi is not None:
            if lo - hi > BORN_TOLERANCE_DAYS:
                return False
            first, last = _min(ca.dob_min, cb.dob_min), _max(ca.dob_max, cb.dob_max)
            if first is not None and first < lo - BORN_TOLERANCE_DAYS:
                return False
            if last is not None and last > hi + BORN_TOLERANCE_DAYS:
                return False
        small, big = (ca, cb) if len(ca.members) <= len(cb.members) else (cb, ca)
        if self.cannot:  # "not the same" judgements: most stores have few
            barred = [self.cannot[m] for m in small.members if m in self.cannot]
            if barred:
                big_set = set(big.members)
                if any(b & big_set for b in barred):
                    return False
        for pk, rows in small.reports.items():
            for other in big.reports.get(pk, ()):
                if any(_distinct_subjects(r, other) for r in rows):
                    return False
        if ca.children or cb.children:
            return _consistent(ca.children + cb.children, ca.members, cb.members, self.rows)
        return True

    def _cluster(self, root: str) -> _Cluster:
        found = self.clusters.get(root)
        if found is None:
            found = self.clusters[root] = self._single(root)
        return found

    def add_links(self, links: Iterable[Scored]) -> None:
        """Joins along each link that passes the rules, strongest first. Only
        links that reach the lower of the two ``thresholds`` are sorted and
        tried; the rest are kept for ``scored``."""
        with bulk.many_objects():
            self._add_links(links)

    def _add_links(self, links: Iterable[Scored]) -> None:
        parent, seen = self.parent, self._seen
        threshold, child_threshold = thresholds()
        bound = min(threshold, child_threshold)  # below it, no link passes
        # every link is kept for ``scored`` (one of a mention not clustered
        # here is never asked for), and those strong enough are tried: a
        # link of a mention not clustered here is passed over when tried,
        # not looked for among the mentions first (at 1,000,000 mentions and
        # 3 million links, clustering took 21 s against 28 s)
        start = len(seen)
        seen.extend(links)
        strong = [link for link in islice(seen, start, None) if link.match_weight >= bound]
        self._scored = None
        # strongest first, ties by the two mentions: sorted by the mentions,
        # then (stably) by weight, each with a key made in C (a third faster
        # than one key made in Python for each link)
        strong.sort(key=attrgetter("mention_a", "mention_b"))
        strong.sort(key=attrgetter("match_weight"), reverse=True)
        rows, find, joined_by, known = self.rows, self.find, self.joined_by, parent.get
        children = {m for m, row in rows.items() if row.get("is_child")}
        for link in strong:
            a, b = link.mention_a, link.mention_b
            # find(), without the call where a mention's parent is its root
            ra, rb = known(a), known(b)
            if ra is None or rb is None:  # a mention not clustered here
                continue
            if parent[ra] != ra:
                ra = find(a)
            if parent[rb] != rb:
                rb = find(b)
            if ra == rb:
                continue
            if a in children or b in children:
                if not passes(link, rows[a], rows[b]):
                    continue
            elif link.match_weight < threshold:  # passes, for two adults
                continue
            if self._join_roots(ra, rb, names_compared=link):
                weight = link.match_weight
                for m in (a, b):
                    best = joined_by.get(m)
                    if best is None or best.match_weight < weight:
                        joined_by[m] = link

    def scored(self, a: str, b: str) -> Scored | None:
        """The link scored between two mentions, if any (the weakest, where
        the pair was scored twice)."""
        if self._scored is None:
            self._scored = {}
            for link in self._seen:
                key = _pair(link.mention_a, link.mention_b)
                known = self._scored.get(key)
                if known is None or link.match_weight <= known.match_weight:
                    self._scored[key] = link
        return self._scored.get(_pair(a, b))

    def join_officers(self) -> int:
        """Joins the mentions of one officer: the same collar number and the
        same family name ("PC 2633 Holmes" in every report she writes). The
        model weighs these just under the threshold (a collar number is a
        common identifier in police reports, so EM learns a modest weight for
        it); together with the family name they are as good as a warrant
        number. The usual rules for a join still apply. Returns the joins made."""
        first: dict[tuple[str, str], str] = {}
        made = 0
        for m in sorted(self.rows):
            row = self.rows[m]
            ident = row.get("identifier") or ""
            if not ident.startswith("collar:") or not row.get("family"):
                continue
            key = (ident, row["family"])
            if key not in first:
                first[key] = m
            elif self.join(first[key], m):
                made += 1
                self._joined_by_rule(first[key], m, OFFICER_REASON)
        return made

    def corefer_within_reports(
        self,
        roles: Mapping[str, str | None] | None = None,
        listed: Mapping[str, set[str]] | None = None,
    ) -> int:
        """Joins a first-name-only mention ("Stacey (13)") to the one named
        person of its own report it can be ("Stacey HALL (13)"): given names
        the same or a nickname, no other sex, birth ranges that overlap. When
        two or more people of the report could be meant (two men called
        Mark), or none is named in full, it is left alone. Nobody is joined
        across staff and the people a report is about (``roles``: "Nicola", a
        victim, is not "Nicola Harrison", the social worker writing), nor to a
        mention listed beside it (``listed``: "Officers spoke to Emma Wilson
        (17) and Emma (17)" names two girls). The usual rules for a join still
        apply, children's included. Returns the joins made."""
        roles = roles or {}
        listed = listed or {}
        by_report: dict[int, list[dict[str, Any]]] = {}
        for row in self.rows.values():
            if row.get("given"):
                by_report.setdefault(row["report_pk"], []).append(row)
        made = 0
        for rows in by_report.values():
            named = [r for r in rows if r.get("family")]
            if not named:
                continue
            for row in rows:
                if row.get("family"):
                    continue
                uid = row["unique_id"]
                fits = [
                    r
                    for r in named
                    if _could_be(row, r)
                    and _staff(roles.get(uid)) == _staff(roles.get(r["unique_id"]))
                ]
                if not fits:
                    continue
                if len({self.find(r["unique_id"]) for r in fits}) != 1:
                    continue
                beside = listed.get(uid, set())
                if any(self.find(m) == self.find(fits[0]["unique_id"]) for m in beside):
                    continue
                made += self._join_by_rule(uid, fits[0]["unique_id"], COREFERENCE_REASON)
        return made

    def join_staff_by_first_name(self) -> int:
        """Joins a member of staff known by first name and job ("Josh", youth
        worker, signing a report) to the one person of that job named in full
        whose given name it can be ("Joshua Turner", youth worker). With two
        or more (two youth workers called Joshua), or none, it is left alone.
        Staff are few; the public are not, and are never joined this way.
        Returns the joins made."""
        named: dict[str, list[dict[str, Any]]] = {}
        for row in self.rows.values():
            job = row.get("occupation")
            if row.get("given") and row.get("family") and features.staff_job(job):
                named.setdefault(str(job), []).append(row)
        made = 0
        for m in sorted(self.rows):
            row = self.rows[m]
            job = row.get("occupation")
            if row.get("family") or not row.get("given") or not features.staff_job(job):
                continue
            roots = {
                self.find(r["unique_id"]) for r in named.get(str(job), ()) if _could_be(row, r)
            }
            roots.discard(self.find(m))
            if len(roots) != 1 or any(self.rows[x].get("family") for x in self._members(m)):
                continue
            made += self._join_by_rule(m, self._cluster(roots.pop()).members[0], STAFF_REASON)
        return made

    def join_missing_episodes(self) -> int:
        """Joins a person known by first name in a report about a missing
        episode (a return interview: "Abi (12) following her missing episode
        on 6 July 2014") to the one person named in full whom another report
        has going missing that day and whose given name, sex and age it can
        be ("Abigail SHELSARD (12) reported missing" on 6 July). With two or
        more (two girls called Abigail missing that day), or none, it is left
        alone; so is one already known by a full name. The usual rules for a
        join still apply, children's included. Returns the joins made."""
        named: dict[int, list[dict[str, Any]]] = {}
        first_names: list[str] = []
        for m, row in self.rows.items():
            day = row.get("missing_on")
            if day is not None and row.get("given"):
                if row.get("family"):
                    named.setdefault(day, []).append(row)
                else:
                    first_names.append(m)
        made = 0
        for m in sorted(first_names):
            row = self.rows[m]
            day = row["missing_on"]
            if day not in named:
                continue
            if any(self.rows[x].get("family") for x in self._members(m)):
                continue
            fits = [
                r for r in named[day] if r["report_pk"] != row["report_pk"] and _could_be(row, r)
            ]
            roots = {self.find(r["unique_id"]) for r in fits}
            if len(roots) != 1:
                continue
            made += self._join_by_rule(m, fits[0]["unique_id"], EPISODE_REASON)
        return made

    def join_namesake_children(self, namesakes: Namesakes | None = None) -> int:
        """Joins the clusters of a child known by one full name ("Abigail
        Shelsard (13)", "Abigail Shelsard (14)", each report with nothing
        more to tell her by) when another child of that name, sex and age is
        unlikely by chance: the store's ``namesakes`` expect fewer than
        ``NAMESAKE_ODDS`` of them. Clusters are taken a family name at a
        time: those with a dated child named in full and that one family
        name, which could all be one child (one sex, ages that agree, given
        names that can be one person's), no two sharing a report, with at
        most one date of birth among them (or two a typo apart). Where any
        two of a group cannot be one child, the group is left alone (ages in
        a chain, 13, 14 and 15 in one year: the first and last are two
        girls, and the middle one could be either). The usual rules for a
        join still apply.
        Returns the joins made."""
        namesakes = namesakes or Namesakes(self.rows.values())
        by_family: dict[str, set[str]] = {}
        for m, row in self.rows.items():
            if dated_child(row):
                by_family.setdefault(row["family"], set()).add(self.find(m))
        made = 0
        for family in sorted(by_family):
            if len(by_family[family]) < 2:
                continue
            views = [_ChildView.of(self.rows, self._members(r)) for r in sorted(by_family[family])]
            views = [v for v in views if v.families == {family}]
            for group in _could_be_one(views):
                if namesakes.expected(group, family) >= NAMESAKE_ODDS:
                    continue
                for view in group[1:]:
                    made += self._join_clusters(group[0].members, view.members, NAMESAKE_REASON)
        return made

    def _join_clusters(self, left: list[str], right: list[str], reason: dict[str, Any]) -> int:
        """Joins two clusters as a rule pass does, family names compared, and
        records the rule as how the right one was joined, through the
        strongest link scored between them (if any). Returns the joins made."""
        if not self._join_roots(self.find(left[0]), self.find(right[0])):
            return 0
        scored = [link for a in left for b in right if (link := self.scored(a, b)) is not None]
        if scored:
            best = max(scored, key=lambda x: (x.match_weight, x.mention_a, x.mention_b))
            a, b = (best.mention_a, best.mention_b)
            self._joined_by_rule(*((a, b) if a in left else (b, a)), reason)
        return 1

    def _members(self, m: str) -> list[str]:
        return self._cluster(self.find(m)).members

    def _join_by_rule(self, m: str, other: str, reason: dict[str, Any]) -> int:
        """Joins ``m``, known by first name, to ``other`` as a rule pass does
        (family names not compared by any link, so none unlike may meet), and
        records the rule as how ``m`` was joined. Returns the joins made (0 or 1)."""
        if not self.join(m, other, names_compared=False):
            return 0
        self._joined_by_rule(other, m, reason)
        return 1

    def _joined_by_rule(self, a: str, b: str, reason: dict[str, Any]) -> None:
        """Records the scored link between a and b (when the pair was scored),
        with the rule that joined them, as how b was joined."""
        link = self.scored(a, b)
        if link is not None and b not in self.joined_by:
            self.joined_by[b] = Link(a, b, link.match_weight, [*link.reasons, reason])

    def groups(self) -> list[list[str]]:
        """Every cluster's mentions, sorted; clusters in the order of their
        roots in ``rows``."""
        return [
            sorted(self.clusters[m].members) if m in self.clusters else [m]
            for m in self.rows
            if self.parent[m] == m
        ]


def dated_child(row: Mapping[str, Any]) -> bool:
    """A child named in full with an age or date of birth."""
    return bool(
        row.get("is_child")
        and row.get("given")
        and row.get("family")
        and row.get("born_lo") is not None
    )


@dataclass(frozen=True, slots=True)
class _ChildView:
    """What the namesake pass reads of one cluster: its members, family and
    given names, sexes, the birth range its stated ages agree on (None if it
    states none), its dates of birth (with their days) and reports."""

    members: list[str]
    families: set[str]
    givens: set[str]
    sexes: set[str]
    ages: tuple[int, int] | None
    dobs: dict[str, int]
    reports: set[int]

    @classmethod
    def of(cls, rows: Mapping[str, dict[str, Any]], members: list[str]) -> _ChildView:
        mine = [rows[m] for m in members]
        aged = [r for r in mine if r.get("born_lo") is not None and not r.get("dob")]
        return cls(
            members=list(members),
            families={r["family"] for r in mine if r.get("family")},
            givens={r["given"] for r in mine if r.get("given")},
            sexes={r["sex"] for r in mine if r.get("sex")},
            ages=(max(r["born_lo"] for r in aged), min(r["born_hi"] for r in aged))
            if aged
            else None,
            dobs={r["dob"]: r["born_lo"] for r in mine if r.get("dob")},
            reports={r["report_pk"] for r in mine},
        )

    @property
    def born(self) -> tuple[int, int]:
        """The birth range its ages and dates of birth agree on; where a
        mistyped date of birth leaves none, the span of its dates."""
        return _agreed([*((d, d) for d in self.dobs.values()), *([self.ages] if self.ages else [])])

    def could_be(self, other: _ChildView) -> bool:
        """Whether this cluster and ``other`` could be one child: one sex, no
        report in common, ages that agree, each one's dates of birth within a
        year of the other's ages (as clustering allows) and a typo at most
        from its dates, given names that can be one person's."""
        if len(self.sexes | other.sexes) > 1 or self.reports & other.reports:
            return False
        if (
            self.ages
            and other.ages
            and max(self.ages[0], other.ages[0]) > min(self.ages[1], other.ages[1])
        ):
            return False
        for span, dobs in ((self.ages, other.dobs), (other.ages, self.dobs)):
            if span is not None and any(
                day < span[0] - BORN_TOLERANCE_DAYS or day > span[1] + BORN_TOLERANCE_DAYS
                for day in dobs.values()
            ):
                return False
        if not all(_typo_apart(a, b) for a in self.dobs for b in other.dobs):
            return False
        return all(_same_name(a, b) for a in self.givens for b in other.givens)


def _agreed(ranges: list[tuple[int, int]]) -> tuple[int, int]:
    """The birth range that ``ranges`` agree on; where they share none (a
    mistyped date of birth), the span of them all."""
    lo, hi = max(r[0] for r in ranges), min(r[1] for r in ranges)
    if lo > hi:
        lo, hi = min(r[0] for r in ranges), max(r[1] for r in ranges)
    return lo, hi


def _typo_apart(a: str, b: str) -> bool:
    """Two dates of birth (ISO) the same or one typo apart ("2000-02-14",
    "2001-02-14"; or the day and month the other way round, "1997-04-05"
    and "1997-05-04"), as the model's comparison counts one."""
    return (
        a == b
        or jellyfish.damerau_levenshtein_distance(a, b) <= 1
        or (a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7])
    )


def _could_be_one(views: list[_ChildView]) -> list[list[_ChildView]]:
    """The groups of two or more clusters that could all be one child: the
    connected groups of "could be", kept only where every two could be and
    their dates of birth are one date (or dates a typo apart)."""
    groups: list[list[_ChildView]] = []
    placed: set[int] = set()
    for i in range(len(views)):
        if i in placed:
            continue
        group, todo = [], [i]
        placed.add(i)
        while todo:
            j = todo.pop()
            group.append(views[j])
            for k in range(len(views)):
                if k not in placed and views[j].could_be(views[k]):
                    placed.add(k)
                    todo.append(k)
        if len(group) < 2:
            continue
        if not all(a.could_be(b) for n, a in enumerate(group) for b in group[n + 1 :]):
            continue
        dobs = sorted(set().union(*(v.dobs for v in group)))
        if not all(_typo_apart(a, b) for n, a in enumerate(dobs) for b in dobs[n + 1 :]):
            continue
        groups.append(group)
    return groups


class Namesakes:
    """How common a child's full name is among the store's mentions, for the
    namesake pass. ``expected`` estimates how many other children of one
    full name, sex and age the store holds by chance: the distinct full names
    of dated children of that sex whose birth ranges meet its and whose given
    names can be its, times the share of distinct full names with its
    family name. Both counts include the child's own names, and names
    differently spelled count apart, so the estimate errs high."""

    def __init__(self, rows: Iterable[Mapping[str, Any]]):
        per_family: dict[str, set[str]] = {}
        children: dict[str, set[tuple[str, str, str | None, int, int]]] = {}
        for row in rows:
            given, family = row.get("given"), row.get("family")
            if not given or not family:
                continue
            per_family.setdefault(family, set()).add(given)
            if dated_child(row):
                children.setdefault(given, set()).add(
                    (given, family, row.get("sex"), row["born_lo"], row["born_hi"])
                )
        self.full_names = sum(len(g) for g in per_family.values())
        self.per_family = {f: len(g) for f, g in per_family.items()}
        self.children = children
        # each given name of a child, under every name it may be written as
        self.written_as: dict[str, set[str]] = {}
        for given in children:
            for name in names.variants(given) | {given}:
                self.written_as.setdefault(name, set()).add(given)

    def expected(self, group: list[_ChildView], family: str) -> float:
        givens = set().union(*(v.givens for v in group))
        sexes = set().union(*(v.sexes for v in group))
        lo, hi = _agreed([v.born for v in group])
        candidates: set[str] = set()
        for given in givens:
            candidates |= self.written_as.get(given, set())
            candidates |= names.variants(given) & self.children.keys()
        fitting = {
            (g, f)
            for name in candidates
            for g, f, sex, born_lo, born_hi in self.children[name]
            if not (sex and sexes and sex not in sexes)
            and max(lo, born_lo) <= min(hi, born_hi)
            and any(_same_name(g, x) for x in givens)
        }
        return len(fitting) * self.per_family.get(family, 0) / max(self.full_names, 1)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _compares_families(link: Scored) -> bool:
    """Whether a link compared the two mentions' family names."""
    return any(r["comparison"] == "family_name" for r in link.reasons)


def _other_families(ca: _Cluster, cb: _Cluster) -> bool:
    """Whether joining would put two unlike family names in one person ("Emma
    Walker" and "Emma Wilson" chained through a mention of just "Emma"): checked
    when the joining link had no family names to compare. A family name written
    as the other's given name (swapped) is not unlike."""
    for fa in ca.families:
        for fb in cb.families:
            if fa == fb or fa in cb.givens or fb in ca.givens:
                continue
            if jellyfish.jaro_winkler_similarity(fa, fb) < FAMILY_SIMILARITY:
                return True
    return False


def _max(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def _min(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def thresholds() -> tuple[float, float]:
    """The weights a link must reach to join two mentions: two adults, and
    where either is a child."""
    return model.THRESHOLD, model.CHILD_THRESHOLD


# Why a strong link between two children's records was left for a person to
# judge (``held_apart``): the rules above join a child only on evidence
# beyond her name and age, so that two children of one name are never one.
HELD_AGED = "a child named in full, of an age, nothing more in common: two children of one name?"
HELD_UNDATED = "a child named in full, no age to compare: two children of one name?"


def held_apart(link: Scored, a: Mapping[str, Any], b: Mapping[str, Any]) -> str | None:
    """Whether a link is one a person should see if clustering left its two
    mentions apart, and why: a link strong enough to join two adults
    (``model.THRESHOLD``), where one is a child, both are named in full with
    given and family names that agree, their sexes do not differ and their
    ages agree (``HELD_AGED``) or one has none (``HELD_UNDATED``). The child
    rules refuse such a link unless something beyond the name tells one
    child from another; this is the split a person can mend with a "same"
    judgement (which always wins). None for any other link."""
    if link.match_weight < model.THRESHOLD or not (a.get("is_child") or b.get("is_child")):
        return None
    levels = {r["comparison"]: r["level"] for r in link.reasons}
    if (
        levels.get("given_name") not in CHILD_NAME_LEVELS
        or levels.get("family_name") not in CHILD_FAMILY_AGREES
        or levels.get("sex") == "different"
    ):
        return None
    born = levels.get("born")
    if born is None:
        return HELD_UNDATED
    return HELD_AGED if born in CHILD_BORN_AGREES else None


def passes(link: Scored, a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether one link is strong enough on its own to join its two mentions."""
    threshold, child_threshold = thresholds()
    if not (a.get("is_child") or b.get("is_child")):
        return link.match_weight >= threshold
    if link.match_weight < child_threshold:
        return False
    levels = {r["comparison"]: r["level"] for r in link.reasons}
    if levels.get("given_name") not in CHILD_NAME_LEVELS:
        return False
    if levels.get("born") not in CHILD_BORN_AGREES or levels.get("sex") == "different":
        return False
    strong = any(levels.get(c) in ok for c, ok in CHILD_IDENTITY.items())
    if levels.get("family_name") in CHILD_FAMILY_AGREES:
        return strong
    # no family name to compare: only with a date of birth, identifier or
    # phone. Not even within one report: two girls called Emma, both 17, can
    # be named in the same account.
    return any(levels.get(c) in CHILD_IDENTITY[c] for c in ("born", "identifier", "phone"))


def _could_be(row: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether a first-name-only mention can be another mention of its report:
    given names the same or a nickname, sexes not different, birth ranges
    (from ages or dates of birth) that overlap."""
    if not other.get("given") or not _same_given(row, other):
        return False
    if row.get("sex") and other.get("sex") and row["sex"] != other["sex"]:
        return False
    if row.get("born_lo") is None or other.get("born_lo") is None:
        return True
    return max(row["born_lo"], other["born_lo"]) <= min(row["born_hi"], other["born_hi"])


def _staff(role: str | None) -> bool:
    return role in ("reporter", "professional")


def _distinct_subjects(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two mentions in one report that cannot be one person: given names that
    cannot be one person's, or one in a job and the other one of the public."""
    if a["unique_id"] == b["unique_id"]:
        return False
    jobs = (a.get("occupation"), b.get("occupation"))
    if None not in jobs and (jobs[0] == PUBLIC) != (jobs[1] == PUBLIC):
        return True
    if not a.get("given") or not b.get("given"):
        return False
    return not _same_given(a, b)


def _same_given(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return _same_name(a["given"], b["given"])


def _same_name(a: str, b: str) -> bool:
    """Two given names that can be one person's: the same, or a nickname or
    spelling of the other."""
    return a == b or b in names.variants(a) or a in names.variants(b)


def _consistent(
    children: list[dict[str, Any]],
    left: list[str],
    right: list[str],
    rows: Mapping[str, dict[str, Any]],
) -> bool:
    """A cluster with a child in it must read as one child: one sex, stated
    ages that all agree, dates of birth each a typo at most from the others
    ("2000-02-14" and "2001-02-14", the model's "date of birth one typo
    apart"; within a year of the ages, as for anyone: ``_may_join``), given
    names that can all be one person's."""
    everyone = [rows[m] for m in left + right]
    sexes = {r["sex"] for r in everyone if r.get("sex")}
    if len(sexes) > 1:
        return False
    aged = [
        (r["born_lo"], r["born_hi"])
        for r in everyone
        if r.get("born_lo") is not None and not r.get("dob")
    ]
    if aged and max(a for a, _ in aged) > min(b for _, b in aged):
        return False
    ordered = sorted({r["dob"] for r in everyone if r.get("dob")})
    if not all(_typo_apart(a, b) for n, a in enumerate(ordered) for b in ordered[n + 1 :]):
        return False
    # each two given names compared once, not each two mentions (a child
    # named in forty reports is mostly one name)
    givens = sorted({r["given"] for r in everyone if r.get("given")})
    for i, given in enumerate(givens):
        for other in givens[i + 1 :]:
            if not _same_name(given, other):
                return False
    return True
