"""Names in a narrative: runs of capitalised words that name a person (with
a title, a known given name, a family name in capitals, or an age or speech
verb after a single name), police officers as logs write them
(``PC 2231 Walker``), and quoted nicknames ('Mo').

Names that are ordinary words (Hope, Grace, Will, Mark) are names only when
written as names: capitalised away from a sentence's start, or with a family
name, a title, an age, or a speech verb next to them.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from datetime import date

from lantern.extract import vocabulary
from lantern.extract.context import Context
from lantern.types import name as name_type

# Upper- and lower-case letters of the Latin alphabets names are written in
# (Król, Oláh, Zając, Štefan): ``re`` has no Unicode case classes, so the
# Latin-1 Supplement, Latin Extended-A/B and Latin Extended Additional letters
# are listed.
_LATIN = [chr(c) for c in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]]
_UPPER = "A-Z" + "".join(c for c in _LATIN if c.isupper())
_LOWER = "a-z" + "".join(c for c in _LATIN if c.islower())
_NAME_TOKEN = rf"(?:O'|Mc|Mac|D')?[{_UPPER}][{_LOWER}]+(?:[-'][{_UPPER}][{_LOWER}]+)*"
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_MONTH_NAMES = frozenset(["april", "may", "june", "august"])
OPEN_QUOTES = ("'", "‘", '"', "“")
CLOSE_QUOTES = ("'", "’", '"', "”")
_POSTCODE_AFTER = re.compile(r"^,?\s+[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b")
_PLACE_AFTER = re.compile(
    r"^\s(?:hotel|takeaway|pizza|kebab|road|street|school|park|taxis|lane|avenue)\b"
)
_QUOTED_NAME = re.compile(r"(?<![\w])['‘\"“]([A-Z][a-z]+(?: [A-Z][a-z]+)?)['’\"”](?![\w])")
AFTER_NAME_VERB = re.compile(
    r"^\s*(?:\(|,\s*\d|,\s*aged|aged|said|says|told|tells|stated|states|is|was|has|had|"
    r"went|came|disclosed|discloses|reported|reports|returned|left|gave|gives|took|drove|drives|"
    r"lives|lived|called|rang|attended|saw|noticed|arrived|arrested|'s\b)"
)


def words(key: str) -> frozenset[str]:
    return vocabulary.people_words()[key]


_NOT_NAMES = words("not_names")
_NOT_NAME_PHRASES = words("not_name_phrases")
_ORGANISATION_WORDS = words("organisation_words")
_PLACE_PREPOSITIONS = words("place_prepositions")
# Street-type words that are also common family names (Rebecca Hill, Danielle
# Green): after a known given name they end a name, not a place.
_SURNAME_PLACE_WORDS = words("surname_place_words")
_OFFICER = re.compile(
    r"(?<![\w])(PC|DC|DS|DI|DCI|DSI|PCSO|Sgt|Sergeant|Insp|Inspector|Constable|Detective)\.?\s+"
    r"(?:\d{2,6}\s+)?(" + _NAME_TOKEN + r"(?:\s+" + _NAME_TOKEN + r")?)(?![\w])"
)
# "to", "into" or "from" after a verb of going or taking: what follows is where
# ("took her to Golden Fry", "picked her up from Kebab King"), unlike "spoke
# to" or "a call from", which name a person.
_MOVED_TO = re.compile(
    r"\b(?i:took|take|takes|taking|taken|went|go|goes|going|gone|drove|drive|drives|driving|"
    r"driven|brought|bring|brings|bringing|returned|return|returns|returning|walked|walk|walks|"
    r"ran|run|runs|moved|travelled|dropped|picked|collected|back|away|missing)"
    r"(?:\s+(?:(?i:her|him|them|me|us|the|girls?|boys?|up|back|off|out|round|over|down|away)"
    r"|[A-Z][^\W\d_]+)){0,3}\s+(?i:to|into|from)\s*$"
)
# "from" right after a name: where that person is from ("Kiran from Golden Fry
# ringing", "Hanna from Pizza Express").
_NAME_FROM = re.compile(r"([A-Z][^\W\d_]+)\s+from\s+$")
# An age or a possessive after the name says it is a person's ("drove her to
# Rekan Hama's flat", "went to Golden Fry with Dilan Faraj (22)").
_PERSON_AFTER = re.compile(r"^(?:['’]s\b|\s*\(\d{1,2}\)|,\s*\d{1,2}\b|,?\s*aged\b)")


@dataclass(slots=True)
class FoundPerson:
    """A person mention as read from the narrative, before ids and roles."""

    start: int
    end: int
    name: str | None = None
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    sex: str | None = None
    age: int | None = None
    dob: date | None = None
    child: bool = False
    professional: bool = False
    family: bool = False
    plural: bool = False
    quoted: bool = False


def find_officers(ctx: Context) -> list[FoundPerson]:
    """Police officers as logs write them: ``PC 2231 Walker``, ``DC Patel``."""
    out = []
    for m in _OFFICER.finditer(ctx.text):
        out.append(FoundPerson(m.start(), m.end(), name=name_type.clean(m[2]), professional=True))
    return out


def _capitalised_runs(text: str) -> Iterator[list[tuple[int, int, str]]]:
    """Runs of capitalised words (``Maeve Byrne``, ``Łukasz WIECZOREK``,
    ``O'Neil``) separated only by spaces."""
    run: list[tuple[int, int, str]] = []
    for m in _WORD.finditer(text):
        word = m[0]
        end = m.end()
        if word.endswith(("'s", "’s")):
            word, end = word[:-2], end - 2  # "Paige's phone"
        if text[end : end + 1].isdigit():
            capitalised = False  # "S60 2BB"
        else:
            capitalised = word[0].isupper() and (
                not word.isupper() or len(word) >= 3 or len(run) > 0
            )
        if capitalised and run and text[run[-1][1] : m.start()].strip(" \t") == "":
            run.append((m.start(), end, word))
            continue
        if run:
            yield run
        run = [(m.start(), end, word)] if capitalised else []
    if run:
        yield run


def find_names(ctx: Context) -> list[FoundPerson]:
    text = ctx.text
    words = vocabulary.people_words()
    titles = words["professional_titles"] | {"mr", "mrs", "ms", "miss", "mx"}
    given = vocabulary.given_names()
    places = vocabulary.place_words()
    vehicles = vocabulary.vehicle_words()
    model_words = {w for m in vehicles["models"] for w in m.split()}
    blocked = _NOT_NAMES | vehicles["makes"] | model_words | words["child_nouns"]
    strip = blocked | titles
    labels = words["adult_nouns"] | words["family_nouns"] | {"passenger"}
    out: list[FoundPerson] = []
    runs = list(_capitalised_runs(text))
    for i, tokens in enumerate(runs):
        if _names_a_thing(text, tokens, runs[i + 1] if i + 1 < len(runs) else None):
            continue
        run_start = tokens[0][0]
        before_run = text[max(0, run_start - 14) : run_start].lower().split()
        after_place_word = bool(before_run) and (
            before_run[-1].isdigit() or before_run[-1] in _PLACE_PREPOSITIONS
        )
        if after_place_word and tokens[0][2].lower() not in given:
            continue  # "42 Clifton Grove", "at Kebab King", "on Westgate"
        title = None
        while tokens and tokens[0][2].lower().rstrip(".") in strip:
            if len(tokens) >= 2 and tokens[0][2].lower() in _MONTH_NAMES:
                break  # "April Jones"
            if tokens[0][2].lower() in titles:
                title = tokens[0]
            tokens = tokens[1:]
        # a sentence's "Driver Andrew WRIGHT (43)", "Mum Sarah Holmes": the
        # word before a known given name says who the person is to the
        # report, it is not their name
        if len(tokens) >= 2 and tokens[0][2].lower() in labels and tokens[1][2].lower() in given:
            tokens = tokens[1:]
        while tokens and tokens[-1][2].lower() in blocked:
            tokens = tokens[:-1]
        if not tokens or any(
            t[2].lower() in blocked and t[2].lower() not in _MONTH_NAMES for t in tokens[1:]
        ):
            continue
        if tokens[0][2].lower() in blocked and not (
            len(tokens) >= 2 and tokens[0][2].lower() in _MONTH_NAMES
        ):
            continue
        # a run ending in a place word is a place ("Eastwood Road", "Star Pizza"),
        # unless it is a given name and a family name (Rebecca Hill)
        known_first = tokens[0][2].lower() in given
        last = tokens[-1][2]
        after = text[tokens[-1][1] : tokens[-1][1] + 30]
        surname_like = len(tokens) >= 2 and (
            last.isupper()
            or (
                last.lower() in _SURNAME_PLACE_WORDS
                and not after_place_word
                and (known_first or bool(AFTER_NAME_VERB.match(after)))
            )
        )
        if title is None and (
            (last.lower() in places and not surname_like) or _PLACE_AFTER.match(after.lower())
        ):
            continue
        if title is None and any(
            t[2].lower() in places and not t[2].isupper() for t in tokens[:-1]
        ):
            continue
        start, end = tokens[0][0], tokens[-1][1]
        first = tokens[0][2]
        before = text[max(0, start - 14) : start].lower().split()
        after_text = text[end : end + 30]
        known = first.lower() in given
        if title is None and after_text.startswith(":"):
            continue  # a label ("Resent:", "Safeguarding:"), not a name
        if title is None and len(tokens) == 1:
            if first.isupper():
                continue
            ordinary = name_type.is_ordinary_word(first)
            at_start = _at_sentence_start(ctx, start)
            if at_start and not (known and not ordinary):
                alone = after_text.strip() == "" or after_text.startswith(("\n", ".", ","))
                if not AFTER_NAME_VERB.match(after_text) and not alone:
                    continue
            if before and before[-1] in ("to", "from", "into") and not known:
                continue  # "returned to Calderbridge", "from Leeds"
        if (
            title is None
            and len(tokens) >= 2
            and not known
            and not last.isupper()
            and (
                _MOVED_TO.search(text[max(0, start - 50) : start])
                or _name_from(text[max(0, start - 30) : start], given)
            )
            and not _PERSON_AFTER.match(after_text)
        ):
            continue  # "took her to Golden Fry", not "spoke to Kamil Nowak"
        if title is None and len(tokens) == 1 and _POSTCODE_AFTER.match(after_text):
            continue  # "Calderbridge S60 2BB" is a town
        name = " ".join(t[2] for t in tokens)
        person = FoundPerson(start, end, name=name_type.clean(name))
        opens, closes = text[start - 1 : start], text[end : end + 1]
        if len(tokens) == 1 and opens in OPEN_QUOTES and closes in CLOSE_QUOTES:
            person.start, person.end, person.quoted = start - 1, end + 1, True
            person.aliases.append(person.name or "")
        if title is not None:
            start = title[0]
            person.start = start
            t = title[2].lower()
            if t == "mr":
                person.sex = "M"
            elif t in ("mrs", "ms", "miss"):
                person.sex = "F"
            else:
                person.professional = True
        out.append(person)
    return out


def _names_a_thing(
    text: str, tokens: list[tuple[int, int, str]], following: list[tuple[int, int, str]] | None
) -> bool:
    """True for a run that names an organisation or a place, not a person:
    one ending in an organisation word ("Riverside Youth Project", "(DSL,
    Calderbridge Academy)"), one holding a jargon phrase ("Achieving Best
    Evidence"), and the owner's name in a place's name ("Marco's Pizza",
    "St Anne's Catholic High School"), where the run after the possessive
    ends in a place or organisation word ("Paige's phone" stays a person)."""
    if tokens[-1][2].lower() in _ORGANISATION_WORDS:
        return True
    joined = " ".join(t[2] for t in tokens).lower()
    if any(phrase in joined for phrase in _NOT_NAME_PHRASES):
        return True
    end = tokens[-1][1]
    if following is None or text[end : end + 2] not in ("'s", "’s"):
        return False
    if text[end + 2 : following[0][0]].strip(" \t") != "":
        return False
    last = following[-1][2].lower()
    return last in _ORGANISATION_WORDS or last in vocabulary.place_words()


def _name_from(before: str, given: Container[str]) -> bool:
    """True where ``before`` ends in a given name and "from" (not "Call from")."""
    m = _NAME_FROM.search(before)
    return m is not None and m[1].lower() in given


def _at_sentence_start(ctx: Context, pos: int) -> bool:
    sent_start, _ = ctx.sentence(pos)
    head = ctx.text[sent_start:pos]
    head = head.rsplit(":", 1)[-1]
    return not head.strip(" \t\n\"'“‘(-•*0123456789.:)")


def find_quoted_names(ctx: Context, named: list[FoundPerson]) -> list[FoundPerson]:
    out = []
    blocked = _NOT_NAMES | vocabulary.people_words()["child_nouns"]
    for m in _QUOTED_NAME.finditer(ctx.text):
        if m[1].lower() in blocked or any(p.start <= m.start(1) < p.end for p in named):
            continue
        if m[1].split()[-1].lower() in vocabulary.place_words():
            continue
        out.append(FoundPerson(m.start(), m.end(), name=m[1], aliases=[m[1]], quoted=True))
    return out
