"""Proposing crimes from a report's disclosures, by the Counting Rules.

One crime per victim; for one victim in one incident the principal (most
serious) crime is counted; separate incidents are separate crimes. The age of
the child at the time of the act decides the offence. Nothing the victim or a
third party says about wanting police action, or calling it a relationship,
is read here: such words never remove a crime.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from lantern.domain import Disclosure, Extraction, PersonMention, Span
from lantern.recording.catalogue import Catalogue, Offence, Rule, load

ASSUMED_AGE = 14  # age used for the rules when no age is known (13-15 band), flagged
BAND_AGES = (10, 14, 17)  # one age from each band of the age/act table


@dataclass(frozen=True, slots=True)
class Reason:
    """One fact behind a proposal: what it is, the words it rests on, where."""

    fact: str
    text: str
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        span = (
            None
            if self.span is None
            else {"start": self.span.start, "end": self.span.end, "source": self.span.source}
        )
        return {"fact": self.fact, "text": self.text, "span": span}


@dataclass(frozen=True, slots=True)
class ProposedCrime:
    """A crime the report discloses, proposed for a person to record."""

    offence: Offence
    victim: str | None
    incident: int
    victim_sex: str | None = None
    victim_name: str | None = None
    age_at_act: int | None = None
    offenders: list[str] = field(default_factory=list)
    acts: list[str] = field(default_factory=list)
    also_considered: list[str] = field(default_factory=list)  # act_sections ranked lower
    reasons: list[Reason] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "offence": self.offence.as_export(self.victim_sex),
            "offence_id": self.offence.id,
            "victim": self.victim,
            "victim_name": self.victim_name,
            "victim_sex": self.victim_sex,
            "incident": self.incident,
            "age_at_act": self.age_at_act,
            "offenders": self.offenders,
            "acts": self.acts,
            "also_considered": self.also_considered,
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class Concern:
    """No crime, but a safeguarding concern to raise (e.g. 16-17 with consent)."""

    victim: str | None
    incident: int
    text: str
    reasons: list[Reason] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "victim": self.victim,
            "incident": self.incident,
            "text": self.text,
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class Proposal:
    """What a report should lead to: the crimes to record and the concerns."""

    crimes: list[ProposedCrime] = field(default_factory=list)
    concerns: list[Concern] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "crimes": [c.to_dict() for c in self.crimes],
            "concerns": [c.to_dict() for c in self.concerns],
            "notes": self.notes,
        }


@dataclass(frozen=True, slots=True)
class _Outcome:
    offences: list[Offence]
    concern: str | None
    reasons: list[Reason]
    age: int | None
    notes: list[str]


def years_between(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def is_set_aside(disclosure: Disclosure) -> bool:
    """A disclosure the extractor marked as negated or hypothetical is not an account
    of an act and is not proposed as a crime."""
    return bool(getattr(disclosure, "negated", False) or getattr(disclosure, "hypothetical", False))


def age_at_act(
    disclosure: Disclosure, victim: PersonMention | None, received: date
) -> tuple[int | None, str]:
    """The child's age when the act happened, and how it was worked out: from
    the date of birth and the date of the act where both are known, else the
    age the account gives, else worked back from the age at the report."""
    dob = disclosure.child_dob or (victim.dob if victim else None)
    if dob is not None and disclosure.occurred_on is not None:
        when = disclosure.occurred_on
        return years_between(dob, when), f"date of birth {dob.isoformat()} and date {when}"
    if disclosure.child_age is not None:
        return disclosure.child_age, "age stated in the account"
    if dob is not None:
        return years_between(dob, received), f"date of birth {dob.isoformat()} and date {received}"
    if victim is not None and victim.age is not None:
        if disclosure.occurred_on is not None and disclosure.occurred_on < received:
            earlier = years_between(disclosure.occurred_on, received)
            return max(victim.age - earlier, 0), "age at the report less the years since the act"
        return victim.age, "age at the time of the report"
    return None, "not stated"


def _offender_adult(disclosure: Disclosure, people: dict[str, PersonMention]) -> bool | None:
    if disclosure.offender_age is not None:
        return disclosure.offender_age >= 18
    ages = [
        people[o].age for o in disclosure.offenders if o in people and people[o].age is not None
    ]
    if ages:
        return max(a for a in ages if a is not None) >= 18
    return None


def _rule_holds(rule: Rule, age: int, adult: bool, disclosure: Disclosure) -> bool:
    """Whether one row of an act's rules holds for this act and child."""
    if rule.age_below is not None and age >= rule.age_below:
        return False
    if rule.age_at_least is not None and age < rule.age_at_least:
        return False
    if rule.offender == "adult" and not adult:
        return False
    if rule.offender == "under-18" and adult:
        return False
    if rule.offender == "named" and not disclosure.offenders:
        return False
    if rule.offender == "unnamed" and disclosure.offenders:
        return False
    if rule.text is not None and not rule.text.search(disclosure.text):
        return False
    return all(bool(getattr(disclosure, k)) == want for k, want in rule.flags.items())


def _fact_reasons(disclosure: Disclosure, narrative: str) -> list[Reason]:
    reasons = []
    for fact, span in sorted(disclosure.facts.items(), key=lambda kv: kv[1].start):
        words = narrative[span.start : span.end] if span.source == "narrative" else span.source
        reasons.append(Reason(fact, words, span))
    if "act" not in disclosure.facts:
        reasons.insert(0, Reason("act", disclosure.text, disclosure.span))
    return reasons


def _offences_at(
    age: int, adult: bool, disclosure: Disclosure, cat: Catalogue
) -> tuple[list[Offence], str | None]:
    """The offences (or the concern) one act amounts to for a child of ``age``:
    the first rule for the act that holds, and the circumstances that add one."""
    offences: list[Offence] = []
    concern = None
    for rule in cat.rules[disclosure.act]:
        if _rule_holds(rule, age, adult, disclosure):
            if rule.offence is None:
                concern = rule.concern
            else:
                offences.append(cat.offences[rule.offence])
            break
    for extra in cat.circumstances:
        if getattr(disclosure, extra.fact, False) and (
            extra.age_below is None or age < extra.age_below
        ):
            offences.append(cat.offences[extra.offence])
    return offences, concern


def _offences_whatever_age(
    adult: bool, disclosure: Disclosure, cat: Catalogue, notes: list[str]
) -> tuple[list[Offence], str | None]:
    """With the child's age unknown: the offences that hold at any age under 18
    if there are any; otherwise those for a child of 13-15, flagged."""
    found = [_offences_at(a, adult, disclosure, cat) for a in BAND_AGES]
    common = set.intersection(*({o.id for o in offences} for offences, _ in found))
    if common:
        notes.append(
            "the child's age is not stated: proposed the offence that holds at any age "
            "under 18; a younger age may make it more serious"
        )
        return [cat.offences[i] for i in sorted(common, key=lambda i: cat.offences[i].rank)], None
    notes.append("the child's age is not stated: rules for a child of 13-15 used; check it")
    return _offences_at(ASSUMED_AGE, adult, disclosure, cat)


def classify(
    disclosure: Disclosure,
    *,
    victim: PersonMention | None,
    people: dict[str, PersonMention],
    received: date,
    narrative: str = "",
    catalogue: Catalogue | None = None,
) -> _Outcome:
    """The offences one disclosed act amounts to (most serious first), or the
    concern it raises, with the reasons."""
    cat = catalogue or load()
    reasons = _fact_reasons(disclosure, narrative)
    notes: list[str] = []
    age, basis = age_at_act(disclosure, victim, received)
    reasons.append(Reason("age_at_act", f"{age if age is not None else 'unknown'} ({basis})"))
    adult = _offender_adult(disclosure, people)
    if adult is None:
        notes.append("the offender's age is not stated: treated as an adult")
    if disclosure.act not in cat.rules:
        notes.append(f"act {disclosure.act!r} is not in the offence catalogue")
        return _Outcome([], None, reasons, age, notes)
    if age is not None:
        offences, concern = _offences_at(age, adult is not False, disclosure, cat)
    else:
        offences, concern = _offences_whatever_age(adult is not False, disclosure, cat, notes)
    for fact in {e.fact for e in cat.circumstances if getattr(disclosure, e.fact, False)}:
        reasons.append(Reason(fact, "stated in the account", disclosure.facts.get(fact)))
    when = disclosure.occurred_on or received
    in_force = []
    for offence in offences:
        current = cat.in_force(offence, when)
        if current is None:
            notes.append(f"{offence.act_section} was not in force on {when}: not proposed")
        elif current not in in_force:
            in_force.append(current)
    in_force.sort(key=lambda o: o.rank)
    if in_force:
        concern = None
    return _Outcome(in_force, concern, reasons, age, notes)


_VICTIM_ROLES = ("victim", "person-at-risk", "missing-person")


def _the_child(extraction: Extraction) -> str | None:
    """The one child the report names as a victim or at risk, if there is one:
    victim mentions with a name and an age or date of birth, all one name."""
    known = [
        p
        for p in extraction.people
        if p.role in _VICTIM_ROLES and p.name and (p.age is not None or p.dob is not None)
    ]
    names = {p.name.casefold() for p in known if p.name}
    if len(names) != 1:
        return None
    best = sorted(known, key=lambda p: (p.span.source != "narrative", p.age is None))
    return best[0].mention_id


def _victim_of(
    disclosure: Disclosure,
    extraction: Extraction,
    named_victims: set[str],
    people: dict[str, PersonMention],
) -> str | None:
    """The victim's mention. A victim mention the report says nothing about
    (a pronoun: no name, age or date of birth) is the one child the report
    names, where it names only one."""
    victim = disclosure.victim
    if victim is None and len(named_victims) == 1:
        victim = next(iter(named_victims))
    if victim is None:
        at_risk = [
            p.mention_id for p in extraction.people if p.role in ("victim", "person-at-risk")
        ]
        victim = at_risk[0] if len(at_risk) == 1 else None
    mention = people.get(victim) if victim else None
    if mention is None or (mention.name is None and mention.age is None and mention.dob is None):
        return _the_child(extraction) or victim
    return victim


def _payment_to_offender(
    kept: list[Disclosure], narrative: str, cat: Catalogue
) -> tuple[list[Disclosure], list[str]]:
    """Payment facts whose words say the offender took the money from others:
    not paying for a child's sexual services (s47), so not counted for it."""
    if cat.payment_received is None:
        return kept, []
    out, notes = [], []
    for d in kept:
        span = d.facts.get("payment")
        if d.payment and span is not None and span.source == "narrative":
            before = narrative[max(0, span.start - 30) : span.end]
            if cat.payment_received.search(before):
                d = replace(d, payment=False)
                note = (
                    f'"{narrative[span.start : span.end]}" was taken by the offender from others: '
                    "exploitation for gain (s48-s50), not paying for sex (s47)"
                )
                if note not in notes:
                    notes.append(note)
        out.append(d)
    return out, notes


def _with_trust_shared(kept: list[Disclosure]) -> list[Disclosure]:
    """A position of trust is the offender's relation to the child: stated for
    one act of an offender, it holds for the others the report gives them."""
    trusted = {o for d in kept if d.position_of_trust for o in d.offenders}
    out = []
    for d in kept:
        if not d.position_of_trust and trusted & set(d.offenders):
            source = next(x for x in kept if x.position_of_trust and trusted & set(x.offenders))
            facts = dict(d.facts)
            if "position_of_trust" in source.facts:
                facts["position_of_trust"] = source.facts["position_of_trust"]
            d = replace(d, position_of_trust=True, facts=facts)
        out.append(d)
    return out


def propose(
    extraction: Extraction,
    *,
    received_at: datetime,
    narrative: str = "",
    catalogue: Catalogue | None = None,
) -> Proposal:
    """The crimes a report's disclosures amount to: one per victim per incident,
    the principal crime of each, with the reasons; and any safeguarding concerns."""
    cat = catalogue or load()
    people = {p.mention_id: p for p in extraction.people}
    received = received_at.date()
    kept = _with_trust_shared([d for d in extraction.disclosures if not is_set_aside(d)])
    kept, payment_notes = _payment_to_offender(kept, narrative, cat)
    named = {d.victim for d in kept if d.victim}
    groups: dict[tuple[str | None, int], list[Disclosure]] = defaultdict(list)
    for disclosure in kept:
        victim_id = _victim_of(disclosure, extraction, named, people)
        groups[(victim_id, disclosure.incident)].append(disclosure)
    crimes: list[ProposedCrime] = []
    concerns: list[Concern] = []
    notes: list[str] = list(payment_notes)
    for (victim_id, incident), acts in sorted(
        groups.items(), key=lambda kv: (kv[0][1], kv[0][0] or "")
    ):
        victim = people.get(victim_id) if victim_id else None
        outcomes = [
            classify(
                d,
                victim=victim,
                people=people,
                received=received,
                narrative=narrative,
                catalogue=cat,
            )
            for d in acts
        ]
        ranked = sorted(
            {o.id: o for out in outcomes for o in out.offences}.values(), key=lambda o: o.rank
        )
        reasons = list(dict.fromkeys(r for out in outcomes for r in out.reasons))
        for out in outcomes:
            notes.extend(n for n in out.notes if n not in notes)
        if ranked:
            principal = ranked[0]
            if len(ranked) > 1:
                reasons.append(
                    Reason(
                        "principal_crime",
                        f"{principal.act_section} is the most serious of "
                        + ", ".join(o.act_section for o in ranked),
                    )
                )
            crimes.append(
                ProposedCrime(
                    offence=principal,
                    victim=victim_id,
                    incident=incident,
                    victim_sex=victim.sex if victim else None,
                    victim_name=victim.name if victim else None,
                    age_at_act=next((o.age for o in outcomes if o.age is not None), None),
                    offenders=sorted({o for d in acts for o in d.offenders}),
                    acts=sorted({d.act for d in acts}),
                    also_considered=[o.act_section for o in ranked[1:]],
                    reasons=reasons,
                )
            )
            continue
        concern = next((o.concern for o in outcomes if o.concern), None)
        if concern:
            concerns.append(Concern(victim_id, incident, concern, reasons))
    return Proposal(crimes, concerns, notes)
