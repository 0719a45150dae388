"""Who a word in the narrative refers to: the child a cue is about, the
person a pronoun stands for, the speaker of quoted speech. Works over the
report's person mentions (narrative and structured) in text order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lantern.extract.context import Context

_SPEAKER_BEFORE = re.compile(
    r"(@p+)[^@.]{0,40}?\b(?:said|says|told|tells|stated|states|disclosed|discloses|explained|"
    r"described|claims|claimed|alleged|alleges|added|reported|reports)\b[^@.]{0,30}$"
)


_SUBJECT_PRONOUN = re.compile(r"\b(she|her|he|him|his)\b")


@dataclass(slots=True)
class Who:
    """A person mention as the resolver sees it."""

    mention_id: str
    start: int  # -1 for structured mentions
    end: int
    child: bool
    adult: bool
    sex: str | None
    professional: bool = False
    family: bool = False
    age: int | None = None
    suspect: bool = False
    quoted: bool = False  # known only by a quoted nickname ('Mo')
    dob: date | None = None


class PeopleIndex:
    def __init__(self, ctx: Context, people: list[Who]) -> None:
        self.ctx = ctx
        self.narrative = sorted((p for p in people if p.start >= 0), key=lambda p: p.start)
        self.structured = [p for p in people if p.start < 0]

    def at(self, start: int, end: int) -> Who | None:
        for person in self.narrative:
            if person.start < end and start < person.end:
                return person
        return None

    def children(self) -> list[Who]:
        return [p for p in self.narrative + self.structured if p.child]

    def child_for(self, pos: int, sex: str | None = None) -> Who | None:
        """The child a cue at ``pos`` is about: a child in the same sentence
        (the nearest before it, else after), else the last child mentioned
        before, else the report's first child. Where the report says of no
        one that they are a child, the person the sentence is about (not a
        known adult or professional) is taken for the child."""
        sent_start, sent_end = self.ctx.sentence(pos)
        kids = [p for p in self.narrative if p.child and (sex is None or p.sex in (sex, None))]
        if not kids and not any(p.child for p in self.structured):
            kids = [
                p
                for p in self.narrative
                if not p.adult
                and not p.professional
                and not p.quoted
                and (sex is None or p.sex in (sex, None))
            ]
            before = [p for p in kids if p.start < pos]
            if before:
                return before[-1]
        before = [p for p in kids if sent_start <= p.start < pos]
        if before:
            return before[-1]
        named = self._child_by_first_name(kids, sent_start, pos)
        if named is not None:
            return named
        after = [p for p in kids if pos <= p.start < sent_end]
        if after:
            return after[0]
        earlier = [p for p in kids if p.start < sent_start]
        if earlier:
            return earlier[-1]
        pool = kids or [p for p in self.structured if p.child]
        return pool[0] if pool else None

    def sex_of_subject(self, pos: int) -> str | None:
        """The sex of the pronoun a clause before ``pos`` is about ("She got
        picked up…" → F), where there is one and no name in between."""
        sent_start, _ = self.ctx.sentence(pos)
        head = self.ctx.lower[sent_start:pos]
        found = None
        for m in _SUBJECT_PRONOUN.finditer(head):
            found = m
        if found is None or "@" in head[found.end() :]:
            return None
        return "F" if found[1] in ("she", "her") else "M"

    def _child_by_first_name(self, kids: list[Who], start: int, end: int) -> Who | None:
        """A child named again by first name alone ("Rebecca said that…") in
        ``start..end``: the child mentioned earlier under that first name."""
        by_first: dict[str, Who] = {}
        for kid in kids:
            words = self.ctx.text[kid.start : kid.end].split()
            if kid.start < start and words:
                by_first[words[0].lower()] = kid
        for p in reversed(self.narrative):
            words = self.ctx.text[p.start : p.end].split()
            if start <= p.start < end and not p.adult and not p.professional and words:
                named = by_first.get(words[0].lower())
                if named is not None:
                    return named
        return None

    def pronoun(self, word: str, pos: int) -> Who | None:
        """The person a pronoun at ``pos`` most likely stands for."""
        word = word.lower()
        if word in ("me", "i", "my", "myself"):
            return self.speaker(pos)
        if word in ("her", "she", "herself"):
            return self._same_sex_child(pos, "F")
        if word in ("him", "he", "himself"):
            return self._same_sex_child(pos, "M")
        return self.child_for(pos)

    def _same_sex_child(self, pos: int, sex: str) -> Who | None:
        found = self.child_for(pos, sex)
        return found if found is not None and found.sex in (sex, None) else None

    def speaker(self, pos: int) -> Who | None:
        quote = self.ctx.quote_at(pos)
        if quote is None:
            return None
        sent_start, _ = self.ctx.sentence(quote.start)
        head = self.ctx.lower[sent_start : quote.start]
        m = _SPEAKER_BEFORE.search(head)
        if m:
            return self.at(sent_start + m.start(1), sent_start + m.end(1))
        if re.search(r"\b(?:she|her)\b[^.]{0,40}$", head):
            return self.child_for(quote.start, "F")
        if re.search(r"\b(?:he|him)\b[^.]{0,40}$", head):
            return self.child_for(quote.start, "M")
        return self.child_for(quote.start)

    def offenders_for(self, start: int, end: int) -> list[Who]:
        """The adults a disclosure at ``start..end`` names as having done it:
        adults in the same sentence (not professionals or family), else the
        report's suspects."""
        sent_start, sent_end = self.ctx.sentence(start)
        victim = self.child_for(start)
        adults = [
            p
            for p in self.narrative
            if not p.child
            and not p.professional
            and not p.family
            and p is not victim
            and (p.adult or p.sex == "M")
            and sent_start <= p.start < sent_end
        ]
        if adults:
            before = [p for p in adults if p.start < start]
            return before[-1:] if before else adults[:1]
        earlier = [p for p in self.narrative if p.suspect and p.start < start]
        if earlier:
            return earlier[-1:]
        men = [
            p
            for p in self.narrative
            if p.start < start
            and not p.child
            and not p.professional
            and not p.family
            and p is not victim
            and (p.adult or p.sex == "M")
        ]
        if men:
            return men[-1:]
        return [p for p in self.narrative + self.structured if p.suspect][:1]
