"""Disclosures: what the narrative says was done to a child, with the facts a
crime-recording decision needs (kind of act, the child's and the other
person's ages, payment or gifts, online contact, taking the child, position
of trust, stated consent, when) and the span each fact came from.

A negated act ("denies any sexual contact") or a hypothetical one ("if he
touches her again", "he threatened to…") is not a disclosure. In quoted
speech, "me" is the speaker: `She said "he touched me"` discloses an act
against her.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from lantern.domain import DateMention, Disclosure, Span
from lantern.extract import vocabulary
from lantern.extract.context import Context
from lantern.extract.people_index import PeopleIndex, Who
from lantern.types import age as age_type

_OBJECT = re.compile(
    r"\b(her|him|them|me|herself|himself)\b|(@p+)|the (?:\w+ )?(girls?|boys?|child|children|victims?)"
)
_AGE_AT_TIME = re.compile(
    r"\b(?:when|while|whilst) (?:she|he|they|@p+) (?:was|were) (?:only |just |aged )?(\d{1,2})\b|"
    r"\baged (\d{1,2}) at the time\b|\bat the age of (\d{1,2})\b|\b(?:she|he) was (\d{1,2}) (?:at the time|then)\b"
)
_FACTS = {
    "payment": re.compile(r"£\s?\d+|\b(?:money|cash|paid|pays|paying|payment|pounds|a fee)\b"),
    "gifts": re.compile(
        r"\b(?:gifts?|presents?|(?:gave|given|bought|buys) (?:her|him|them|@p+) (?:a |an |some )?(?:new )?"
        r"(?:phone|mobile|clothes|trainers|alcohol|vodka|drink|drinks|cigarettes|drugs|cannabis|food|jewellery|credit|takeaway))\b"
    ),
    "online": re.compile(
        r"\b(?:online|internet|facebook|snapchat|instagram|whatsapp|kik|tiktok|webcam|chat ?room|"
        r"social media|messag\w+|text messages?|texts|dms?|video call\w*)\b"
    ),
    "consent_stated": re.compile(
        r"\b(?:consent\w*|agreed|willing(?:ly)?|wanted to|she wanted|he wanted|her choice|"
        r"his choice|went along|says? (?:she|he) was happy)\b"
    ),
}
_NEW_INCIDENT = re.compile(
    r"\b(?:on (?:another|a (?:separate|different|later|second|further)) occasions?|"
    r"(?:another|a separate|a different|a second|a further) (?:time|occasion|incident|day|night)|"
    r"(?:a|one|two|three|several|some) (?:days?|weeks?|months?) later|later that (?:week|month)|"
    r"(?:the )?(?:next|following) (?:day|week|weekend|month)|separately)\b"
)


def find_disclosures(
    ctx: Context,
    people: PeopleIndex,
    dates: list[DateMention],
    occurred_on: date | None,
) -> list[Disclosure]:
    hits: list[tuple[int, int, str]] = []
    for code, pattern in vocabulary.act_cues().by_code:
        for m in pattern.finditer(ctx.lower):
            if ctx.is_negated(m.start(), m.end()) or ctx.is_hypothetical(m.start()):
                continue
            hits.append((m.start(), m.end(), code))
    hits = _most_specific(hits)
    out: list[Disclosure] = []
    incident, last_sentence = 0, None
    incident_dates: dict[int, date | None] = {}
    for start, end, code in sorted(hits):
        sentence = ctx.sentence_index(start)
        sent_start, sent_end = ctx.sentence(start)
        sent = ctx.lower[sent_start:sent_end]
        when = _date_in(dates, sent_start, sent_end)
        new_sentence = last_sentence is not None and sentence != last_sentence
        if new_sentence and (
            _NEW_INCIDENT.search(sent)
            or (when is not None and incident_dates.get(incident) not in (None, when))
        ):
            incident += 1
        last_sentence = sentence
        if when is not None:
            incident_dates.setdefault(incident, when)
        for victim in _victims(ctx, people, start, end):
            out.append(
                _disclosure(
                    ctx,
                    people,
                    code,
                    start,
                    end,
                    victim,
                    incident,
                    when or incident_dates.get(incident) or occurred_on,
                )
            )
    return out


def _disclosure(
    ctx: Context,
    people: PeopleIndex,
    code: str,
    start: int,
    end: int,
    victim: Who | None,
    incident: int,
    when: date | None,
) -> Disclosure:
    sent_start, sent_end = ctx.sentence(start)
    sent = ctx.lower[sent_start:sent_end]
    offenders = people.offenders_for(start, end)
    facts: dict[str, Span] = {"act": Span(start, end)}
    disclosure = Disclosure(
        act=code,
        text=ctx.text[start:end],
        span=Span(start, end),
        victim=victim.mention_id if victim else None,
        offenders=[o.mention_id for o in offenders],
        child_age=_child_age(ctx, victim, sent_start, sent, facts, when),
        child_dob=victim.dob if victim else None,
        offender_age=offenders[0].age if offenders else None,
        occurred_on=when,
        incident=incident,
    )
    flags: dict[str, Any] = {}
    for fact, pattern in _FACTS.items():
        m = pattern.search(sent)
        if m:
            flags[fact] = True
            facts[fact] = Span(sent_start + m.start(), sent_start + m.end())
    if code == "paying-for-sex":
        flags["payment"] = True
    if code == "taking-child":
        flags["taking_child"] = True
        facts["taking_child"] = Span(start, end)
    trust = _position_of_trust(sent, offenders)
    if trust is not None:
        flags["position_of_trust"] = True
        facts["position_of_trust"] = Span(sent_start + trust[0], sent_start + trust[1])
    return replace(disclosure, facts=facts, **flags)


def _most_specific(hits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drops a hit inside another act's hit, and a generic act (sexual
    touching) whose sentence-level span another act covers."""
    keep = []
    for hit in hits:
        inside = any(
            o is not hit
            and o[2] != hit[2]
            and o[0] <= hit[0]
            and hit[1] <= o[1]
            and (o[1] - o[0]) > (hit[1] - hit[0])
            for o in hits
        )
        if inside:
            continue
        keep.append(hit)
    # one disclosure per act per clause: the same act written twice in a row
    out: list[tuple[int, int, str]] = []
    for hit in sorted(keep):
        if out and out[-1][2] == hit[2] and hit[0] < out[-1][1]:
            continue
        out.append(hit)
    return out


def _victims(ctx: Context, people: PeopleIndex, start: int, end: int) -> list[Who | None]:
    """The children an act was done to: one, or several where the text says
    "them", "both" or "the girls"."""
    m = _OBJECT.search(ctx.lower, start, end)
    sent_start, sent_end = ctx.sentence(start)
    plural = m is not None and (m[1] == "them" or (m[3] or "").endswith(("s", "children")))
    if plural or re.search(r"\b(?:both|they)\b", ctx.lower[sent_start:start]):
        kids = [p for p in people.children() if p.start >= 0]
        here = [p for p in kids if sent_start <= p.start < sent_end]
        if len(here) >= 2:
            return [*here]
        earlier = [p for p in kids if p.start < sent_start]
        if len(earlier) >= 2:
            last_sentence = ctx.sentence_index(earlier[-1].start)
            group = [p for p in earlier if ctx.sentence_index(p.start) == last_sentence]
            if len(group) >= 2:
                return [*group]
    return [_victim(ctx, people, start, end)]


def _victim(ctx: Context, people: PeopleIndex, start: int, end: int) -> Who | None:
    m = _OBJECT.search(ctx.lower, start, end)
    if m is None:
        return people.child_for(start)
    if m[2]:
        who = people.at(m.start(2), m.end(2))
        if who is not None and who.child:
            return who
        return people.child_for(start)
    if m[1]:
        who = people.pronoun(m[1], m.start(1))
        return who if who is not None else people.child_for(start)
    return people.child_for(start)


def _child_age(
    ctx: Context,
    victim: Who | None,
    sent_start: int,
    sent: str,
    facts: dict[str, Span],
    when: date | None,
) -> int | None:
    """The child's age when the act was done: as the sentence states it
    ("when she was 13"), else from the date of birth and the date of the act,
    else the age the report gives."""
    m = _AGE_AT_TIME.search(sent)
    if m:
        group = next(i for i in range(1, 5) if m[i])
        facts["child_age"] = Span(sent_start + m.start(group), sent_start + m.end(group))
        return int(m[group])
    if victim is not None and victim.dob is not None and when is not None:
        return age_type.on(victim.dob, when)
    if victim is not None and victim.age is not None:
        if victim.start >= 0:
            facts["child_age"] = Span(victim.start, victim.end)
        return victim.age
    return None


def _position_of_trust(sent: str, offenders: list[Who]) -> tuple[int, int] | None:
    words = vocabulary.people_words()["position_of_trust"]
    m = re.search(rf"\b(?:{vocabulary.phrase_pattern(words)})\b", sent)
    if m:
        return m.start(), m.end()
    return None


def _date_in(dates: list[DateMention], start: int, end: int) -> date | None:
    for mention in dates:
        if start <= mention.span.start < end and mention.value is not None:
            return mention.value
    return None
