"""Lining up an export with the truth.

The truth says who each mention really is; the export says which resolved
person each mention was put in. A mention is matched across the two by
(agency, report id, text as written), case-blind. Where one report holds the
same text more than once, mentions are matched in order, those with the same
role first. A truth mention left unmatched is then matched to an export
mention in the same report whose text holds it, or is held by it, as whole
words (an extractor may take "Megan HARRISON (31)" or "her mother Zoe
Taylor" for the span); these are counted as loose matches.

Only what Lantern could have known is scored: the truth's reports received
at or before the export's ``as_of`` (all of them when it has none).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

ReportKey = tuple[str, str]


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time as an aware datetime (UTC assumed when it has no
    offset; a bare date is its midnight), or None when it is not one."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def normal_text(text: Any) -> str:
    """Text compared case-blind with runs of white space as one space."""
    return " ".join(str(text or "").split()).casefold()


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


ENTITY_PREFIXES = ("person", "group")


def bare_id(value: Any) -> str:
    """An entity id without a ``person:`` or ``group:`` prefix, so that an
    alert naming ``person:17`` names the exported person ``17`` and back."""
    text = str(value)
    kind, sep, rest = text.partition(":")
    return rest if sep and kind in ENTITY_PREFIXES else text


def report_key(entry: Mapping[str, Any], id_field: str = "report_id") -> ReportKey:
    return (str(entry.get("agency", "")), str(entry.get(id_field, "")))


@dataclass(frozen=True, slots=True)
class TruthMention:
    report: ReportKey
    text: str
    person_id: str
    role: str


@dataclass
class Alignment:
    """The truth in scope and how the export's mentions line up with it."""

    truth: Mapping[str, Any]
    export: Mapping[str, Any]
    as_of: datetime | None
    reports: list[dict[str, Any]]
    mentions: list[TruthMention]
    # system person id of each truth mention (index as in ``mentions``); None if unmatched
    system_person: list[str | None]
    extra_system_mentions: int
    loose_matches: int
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    # truth person -> the system person most of their mentions went to
    system_of: dict[str, str] = field(default_factory=dict)
    # system person -> the truth person most of its mentions are
    truth_of: dict[str, str] = field(default_factory=dict)

    @property
    def report_keys(self) -> set[ReportKey]:
        return {report_key(r) for r in self.reports}

    def system_people_of(self, truth_people: Iterable[str]) -> set[str]:
        """System people whose mentions are mostly one of ``truth_people``."""
        wanted = set(truth_people)
        return {sys_id for sys_id, true_id in self.truth_of.items() if true_id in wanted}


def align(truth: Mapping[str, Any], export: Mapping[str, Any]) -> Alignment:
    as_of = parse_time(export.get("as_of"))
    reports = [r for r in as_list(truth.get("reports")) if as_of is None or _received_by(r, as_of)]
    in_scope = {report_key(r) for r in reports}
    mentions = [
        TruthMention(report_key(m), str(m.get("text", "")), str(m["person_id"]), str(m.get("role")))
        for m in as_list(truth.get("mentions"))
        if report_key(m) in in_scope and m.get("person_id") is not None
    ]
    system_person, loose, extra = _match_mentions(mentions, export, in_scope)
    result = Alignment(
        truth=truth,
        export=export,
        as_of=as_of,
        reports=reports,
        mentions=mentions,
        system_person=system_person,
        extra_system_mentions=extra,
        loose_matches=loose,
        people={str(p["person_id"]): p for p in as_list(truth.get("people")) if "person_id" in p},
    )
    result.system_of = _majority(
        (m.person_id, s) for m, s in zip(mentions, system_person, strict=True) if s is not None
    )
    result.truth_of = _majority(
        (s, m.person_id) for m, s in zip(mentions, system_person, strict=True) if s is not None
    )
    return result


def _received_by(report: Mapping[str, Any], as_of: datetime) -> bool:
    received = parse_time(report.get("received_at"))
    return received is None or received <= as_of


@dataclass(slots=True)
class _Offer:
    """One of the export's mentions, waiting to be matched."""

    text: str  # normal_text
    role: Any
    person: str
    used: bool = False


def _same(truth_text: str, offer: _Offer) -> bool:
    return offer.text == truth_text


def _within(truth_text: str, offer: _Offer) -> bool:
    """One text holds the other as whole words ("Megan HARRISON (31)" holds
    "Megan HARRISON"; "her mother Zoe Taylor" holds "Zoe Taylor"; "a man she
    knows as 'Mo'" holds "Mo": punctuation is not part of a word)."""
    a, b = _words(truth_text), _words(offer.text)
    return a.strip() != "" and b.strip() != "" and (a in b or b in a)


_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _words(text: str) -> str:
    """The words of a text, one space apart and one each side (an
    apostrophe within a word, as in O'Neil, is kept)."""
    return f" {' '.join(_WORD.findall(text))} "


def _match_mentions(
    mentions: list[TruthMention], export: Mapping[str, Any], in_scope: set[ReportKey]
) -> tuple[list[str | None], int, int]:
    """The system person of each truth mention, how many were matched only by
    one text holding the other, and how many of the export's mentions (in
    reports in scope) matched no truth mention. Exact texts are matched
    first, then texts that hold one another; each time the same role first."""
    offered: dict[ReportKey, list[_Offer]] = defaultdict(list)
    for person in as_list(export.get("people")):
        if not isinstance(person, Mapping) or person.get("person_id") is None:
            continue
        for mention in as_list(person.get("mentions")):
            if isinstance(mention, Mapping) and report_key(mention) in in_scope:
                offered[report_key(mention)].append(
                    _Offer(
                        normal_text(mention.get("text")),
                        mention.get("role"),
                        bare_id(person["person_id"]),
                    )
                )
    found: list[str | None] = [None] * len(mentions)
    loose = 0
    for fits in (_same, _within):
        for same_role in (True, False):
            for i, mention in enumerate(mentions):
                if found[i] is not None:
                    continue
                text = normal_text(mention.text)
                for offer in offered.get(mention.report, ()):
                    free = not offer.used and (not same_role or offer.role == mention.role)
                    if free and fits(text, offer):
                        offer.used = True
                        found[i] = offer.person
                        loose += fits is _within
                        break
    extra = sum(1 for offers in offered.values() for o in offers if not o.used)
    return found, loose, extra


def _majority(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """For each left value, the right value it is paired with most often
    (ties to the smallest, so the result does not depend on order)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for left, right in pairs:
        counts[left][right] += 1
    return {
        left: min(c.items(), key=lambda item: (-item[1], item[0]))[0] for left, c in counts.items()
    }
