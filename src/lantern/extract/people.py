"""Mentions of people in a narrative: names (``extract/names.py``) joined to
their nicknames and "known as" aliases, and descriptions that identify
someone ("an older Asian male about 25", "a 14 year old girl"), each with
what the text gives about them: age, date of birth, sex, and whether they are
a child, a professional or family.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from lantern.extract import vocabulary
from lantern.extract.context import Context
from lantern.extract.names import (
    CLOSE_QUOTES,
    FoundPerson,
    find_names,
    find_officers,
    find_quoted_names,
    words,
)
from lantern.types import age as age_type
from lantern.types import dates as date_type
from lantern.types import name as name_type

_ALIAS_CUE = re.compile(
    r"(?:(?:who\s+|whom\s+)?(?:she|he|they|the girls?|the boys?)\s+)?(?:knows? (?:him |her )?as|known as|"
    r"calls?(?: (?:him|her|himself|herself))?|called|nicknamed|goes by|name of|aka|a\.k\.a\.?|"
    r"also known as|referred to as|(?:only )?knows? (?:him|her) as)[\s:,'\"‘“]*$",
    re.I,
)
_OF_AGE_AFTER = re.compile(
    r"^['’\"”]?\s*(?:,\s*)?(?:\((\d{1,2})\)|aged?\s*(?:about|approx\w*|around|roughly)?\s*(\d{1,2})\b|"
    r"(?:,\s*)?(\d{1,2})\s*(?:years?|yrs?)\b(?!\s+ago)|,\s*(\d{1,2})\s*[,.)]|"
    # "a girl who looked about 12", "a boy who appeared to be 15"
    r"(?:,\s*)?who\s+(?:looked|looks|appeared|appears|seemed|seems)(?:\s+to\s+be)?\s+"
    r"(?:about|around|approx\w*\.?|roughly|maybe)?\s*(\d{1,2})\b(?!\s*(?:years?|yrs?)\s+ago))"
)
_DOB_AFTER = re.compile(
    r"^\s*(?:,\s*)?\(?(?:dob|d\.o\.b\.?|born(?: on)?|date of birth)[:\s]*"
    r"(\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)? \w+ \d{4})\)?",
    re.I,
)


_FEMALE = words("female_words")
_MALE = words("male_words")
_CHILD_AGE = 18


@cache
def _description_pattern() -> re.Pattern[str]:
    words = vocabulary.people_words()
    nouns = words["child_nouns"] | words["adult_nouns"] | words["professional_nouns"]
    family = words["family_nouns"]
    descriptors = vocabulary.phrase_pattern(words["descriptors"])
    return re.compile(
        r"(?<![\w@])(?:(?:a|an|the|two|three|four|five|several|some|another|other|one|same|"
        r"unknown|these|those)\s+"
        rf"(?:(?:{descriptors}|\d{{1,2}}[\s-]*(?:year|yr)s?[\s-]*old|[a-z]+-?looking|[a-z]+-skinned)[\s,]+){{0,5}}"
        rf"(?:{vocabulary.phrase_pattern(nouns)})"
        rf"|(?:her|his|their|the girl's|the boy's|the child's)\s+(?:(?:older|younger|new|adult|step|foster|birth)\s+)?(?:{vocabulary.phrase_pattern(family | words['professional_nouns'])}))"
        r"(?![\w])",
        re.I,
    )


@cache
def _noun_pattern() -> re.Pattern[str]:
    words = vocabulary.people_words()
    nouns = (
        words["child_nouns"]
        | words["adult_nouns"]
        | words["family_nouns"]
        | words["professional_nouns"]
    )
    return re.compile(rf"\b(?:{vocabulary.phrase_pattern(nouns)})\b")


@cache
def _bare_description_pattern() -> re.Pattern[str]:
    """A description with no determiner: "white male about 40"."""
    descriptors = vocabulary.phrase_pattern(vocabulary.people_words()["descriptors"])
    return re.compile(
        rf"(?<![\w@])(?:(?:{descriptors})\s+){{0,3}}(?:male|female|man|woman|lad|guy)\s+"
        r"(?:about|aged|age|approx\w*\.?|around|roughly)\s+\d{1,2}\b"
        r"|(?<![\w@])(?:a|an|the)\s+\d{1,2}[\s-]*(?:year|yr)s?[\s-]*old\b",
        re.I,
    )


_ABOUT_AGE = re.compile(
    r"\b(?:about|aged?|around|approx\w*\.?|roughly|maybe)\s+(\d{1,2})\b(?!\s*(?:years?|yrs?)\s+ago)",
    re.I,
)
_SCHOOL_YEAR = re.compile(r"^\s*(?:,\s*)?\(?(?:in )?(?:year|yr) ?(?:[1-9]|1[0-3])\b", re.I)
# ... and the age a school gives with it: "Samantha Robinson (Year 11, aged 16)"
_SCHOOL_YEAR_AGE = re.compile(
    r"^\s*(?:,\s*)?\(?(?:in )?(?:year|yr) ?(?:[1-9]|1[0-3])\s*,\s*aged?\s*(\d{1,2})\b", re.I
)
_PROFESSION_AFTER = re.compile(
    r"^\s*,\s*(?:a |an |the |her |his |their )?(?:\w+ ){0,2}(?:lead|worker|officer|teacher|nurse|manager|"
    r"practitioner|adviser|advisor|head|headteacher|receptionist|porter|doctor|isva|keyworker|social worker)\b",
    re.I,
)
# A person named after a job, or after the label of a form's author; a
# referral's "Referrer:" is the professional who made it (a school, a health
# service), not someone the referral is about.
# "Benjamin Jones of Riverside Youth Project reports that…": someone named
# with the organisation they work for (a run of capitalised words ending in
# an organisation word, ``organisation_words``) speaks for it.
_OF_ORGANISATION = re.compile(
    r"^,?\s+(?:of|from|at)\s+(?:the\s+)?((?:[A-Z][\w'’-]*\s+){0,5}[A-Z][\w'’-]*)"
)
_PROFESSION_BEFORE = re.compile(
    r"(?:completed by|written by|submitted by|signed|allocated to|interviewed by|assessed by|"
    r"referrer:|social worker|youth worker|support worker|key worker|teacher|nurse|officer|"
    r"manager|lead)\s*$",
    re.I,
)
_DESC_TAIL = re.compile(
    r"^(?:\s*,?\s*(?:aged|age)\s*(?:about|approx\w*\.?|around|roughly)?\s*\d{1,2}"
    r"|\s+(?:about|around|approximately|approx\.?|roughly|maybe)\s+\d{1,2}\b(?!\s*(?:years?|yrs?)\s+ago)"
    r"|\s+in\s+(?:his|her|their)\s+(?:early\s+|mid\s+|late\s+|mid-)?(?:\d0'?s|twenties|thirties|forties|fifties|sixties)"
    r"|\s*\(\d{1,2}\))",
    re.I,
)


def find_people(ctx: Context, report_date: date) -> list[FoundPerson]:
    """Every person mention in the narrative, in order of position."""
    text = ctx.text
    found: list[FoundPerson] = find_officers(ctx)
    found.extend(
        p for p in find_names(ctx) if not any(p.start < o.end and o.start < p.end for o in found)
    )
    found.extend(find_quoted_names(ctx, found))
    found.extend(_descriptions(ctx, found))
    found.sort(key=lambda p: (p.start, -p.end))
    found = _merge(ctx, found)
    for person in found:
        _describe(person, text, report_date)
    found = [p for p in found if p.name or _identifying(p)]
    _sex_from_pronouns(ctx, found)
    return found


def _identifying(person: FoundPerson) -> bool:
    """A description worth a mention of its own: it gives an age or appearance."""
    if person.age is not None or person.dob is not None:
        return True
    words = vocabulary.people_words()["appearance"]
    lower = (person.description or "").lower()
    return any(re.search(rf"\b{re.escape(w)}\b", lower) for w in words)


def _descriptions(ctx: Context, named: list[FoundPerson]) -> list[FoundPerson]:
    out = []
    words = vocabulary.people_words()
    matches = list(_description_pattern().finditer(ctx.text))
    matches += [
        b
        for b in _bare_description_pattern().finditer(ctx.text)
        if not any(m.start() <= b.start() < m.end() for m in matches)
    ]
    for m in matches:
        tail = _DESC_TAIL.match(ctx.text[m.end() :])
        end = m.end() + (tail.end() if tail else 0)
        phrase = ctx.text[m.start() : end]
        lower = phrase.lower()
        found_noun = _noun_pattern().search(lower)
        noun = found_noun[0] if found_noun else ""
        person = FoundPerson(m.start(), end, description=phrase)
        person.child = noun in words["child_nouns"]
        person.professional = noun in words["professional_nouns"]
        person.family = noun in words["family_nouns"]
        person.plural = bool(
            re.match(r"(?:two|three|four|five|several|some|these|those)\b", lower)
        ) or noun.endswith(
            (
                "men",
                "males",
                "girls",
                "boys",
                "children",
                "lads",
                "guys",
                "adults",
                "people",
                "officers",
                "staff",
            )
        )
        out.append(person)
    return out


def _merge(ctx: Context, found: list[FoundPerson]) -> list[FoundPerson]:
    """Joins a description to the name or alias that follows it ("a man
    called Tariq", "a man she calls 'Mo'", "her friend Jade") and drops
    mentions inside another."""
    out: list[FoundPerson] = []
    for person in found:
        if out and person.start < out[-1].end:
            prev = out[-1]
            if person.end > prev.end and person.name and not prev.name:
                prev.name, prev.end = person.name, person.end
            continue
        if out:
            prev = out[-1]
            between = ctx.text[prev.end : person.start]
            same_sentence = ctx.sentence_index(prev.start) == ctx.sentence_index(person.start)
            if same_sentence and person.name and _ALIAS_CUE.search(between) and len(between) < 70:
                prev.aliases.append(person.name)
                if prev.name is None:
                    prev.name = person.name
                prev.end = person.end
                if ctx.text[prev.end : prev.end + 1] in ("'", "’", '"', "”"):
                    prev.end += 1
                continue
            if (
                same_sentence
                and person.name
                and prev.description
                and not prev.name
                and not prev.plural
                and re.fullmatch(r"\s*,?\s*(?:named|called|who is|known as)?\s*,?\s*", between)
            ):
                prev.name, prev.end = person.name, person.end
                if person.quoted:
                    prev.aliases.append(person.name)
                continue
            if (
                same_sentence
                and person.quoted
                and prev.name
                and not prev.description
                and re.fullmatch(r"\s*", between)
            ):
                prev.aliases.append(person.name or "")
                prev.end = person.end
                continue
            if (
                prev.name
                and person.name
                and not person.quoted
                and prev.aliases
                and ctx.text[prev.end - 1 : prev.end] in CLOSE_QUOTES
                and re.fullmatch(r"[ \t]+", between)
            ):
                prev.name = f"{prev.name} {person.name}"  # Mohammed 'Mo' Hussain
                prev.end = person.end
                continue
        out.append(person)
    # a quoted nickname inside a name: Mohammed 'Mo' Khan
    return out


def _for_organisation(after: str) -> bool:
    """Whether a name is followed by the organisation its person works for."""
    m = _OF_ORGANISATION.match(after)
    return m is not None and m[1].split()[-1].lower() in words("organisation_words")


def _describe(person: FoundPerson, text: str, report_date: date) -> None:
    span_text = text[person.start : person.end]
    lower = span_text.lower()
    after = text[person.end : person.end + 40]
    for _s, _e, years in age_type.find(span_text):
        person.age = years
    if person.age is None and person.description:
        m = _ABOUT_AGE.search(span_text)
        if m:
            person.age = int(m[1])
    if person.age is None:
        m = _OF_AGE_AFTER.match(after)
        if m:
            person.age = int(next(g for g in m.groups() if g))
            person.end += m.end() if m.group(1) else 0
    dob = _DOB_AFTER.match(text[person.end : person.end + 45])
    if dob:
        value = next(date_type.find(dob[1], report_date), None)
        if value and value[2]:
            person.dob = value[2]
            if person.age is None:
                person.age = age_type.on(value[2], report_date)
    if person.age is not None and person.age < _CHILD_AGE:
        person.child = True
    if _SCHOOL_YEAR.match(after):
        person.child = True
        aged = _SCHOOL_YEAR_AGE.match(after)
        if aged and person.age is None:
            person.age = int(aged[1])
    if (
        _PROFESSION_AFTER.match(after)
        or _PROFESSION_BEFORE.search(text[max(0, person.start - 40) : person.start])
        or _for_organisation(text[person.end : person.end + 60])
    ):
        person.professional = True
    words = set(re.findall(r"[a-z]+", lower)) - {"her", "his", "him", "she", "he"}
    if person.description and person.sex is None:
        if words & _FEMALE:
            person.sex = "F"
        elif words & _MALE:
            person.sex = "M"
    if person.description and person.name is None:
        person.description = text[person.start : person.end]


def _sex_from_pronouns(ctx: Context, found: list[FoundPerson]) -> None:
    """A named person's sex from the given name (``types.name.sex_of``), else
    from the next sentence when it starts with "She" or "He", no other
    person is mentioned in between, and its own sentence names nobody
    before it nor starts with "She" or "He" ("She had a new phone and said
    'Habibur' got it for her. She kept getting calls": the second "She" is
    the first)."""
    for i, person in enumerate(found):
        if person.sex is not None or person.name is None:
            continue
        person.sex = name_type.sex_of(person.name.split()[0])
        if person.sex is not None:
            continue
        limit = found[i + 1].start if i + 1 < len(found) else len(ctx.text)
        sent_start, sent_end = ctx.sentence(person.start)
        if _NEXT_SUBJECT.match(ctx.text, sent_start) or any(
            sent_start <= other.start < person.start for other in found[:i]
        ):
            continue
        m = _NEXT_SUBJECT.match(ctx.text, sent_end)
        if m and m.end() <= limit:
            person.sex = "F" if m[1].lower() == "she" else "M"


_NEXT_SUBJECT = re.compile(r"\s*(She|He)\b")
