"""Places in a narrative: addresses ("Flat 3, 12 Eastwood Road"), UK
postcodes (format-validated), and named places with their kind ("Star Pizza"
is a takeaway, "the Riverside Hotel" a hotel, "Oakfield Children's Home")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lantern.extract import vocabulary
from lantern.types import postcode as postcode_type

_CAP = r"(?:[A-Z][a-zA-Z'’&-]*|&)"


@dataclass(slots=True)
class FoundPlace:
    start: int
    end: int
    name: str | None = None
    address: str | None = None
    postcode: str | None = None
    place_kind: str | None = None


@cache
def _named() -> re.Pattern[str]:
    words = vocabulary.place_words()
    title_words = "|".join(
        re.escape(" ".join(x[:1].upper() + x[1:] for x in w.split())).replace(r"\ ", r"\s+")
        + "|"
        + re.escape(w).replace(r"\ ", r"\s+")
        for w in sorted(words, key=len, reverse=True)
    )
    return re.compile(
        rf"(?<![\w])(?:(?:Flat|Apartment|Room|Unit)\s+\d+[A-Za-z]?,?\s+)?(?:\d+[A-Za-z]?,?\s+)?"
        rf"((?:{_CAP}\s+){{1,4}}?(?:{title_words}))(?![\w])"
    )


_STOP_LEAD = frozenset(
    [
        "The",
        "A",
        "An",
        "At",
        "In",
        "On",
        "To",
        "From",
        "Near",
        "Outside",
        "By",
        "Of",
        "And",
        "With",
        "Behind",
        "Above",
        "Below",
        "Inside",
        "Opposite",
        "Towards",
        "She",
        "He",
        "They",
        "Her",
        "His",
        "Their",
        "Caller",
        "Police",
        "Officers",
        "Staff",
        # "Return home interview": not a place called "Return home"
        "Return",
        "Returned",
    ]
)


def find_places(text: str) -> list[FoundPlace]:
    found: list[FoundPlace] = []
    kinds = vocabulary.place_words()
    for m in _named().finditer(text):
        phrase = m[0]
        start = m.start()
        tokens = phrase.split()
        # drop leading words that are not part of the name ("At Star Pizza")
        while tokens and tokens[0].strip(",") in _STOP_LEAD:
            start = text.index(tokens[1], start + len(tokens[0])) if len(tokens) > 1 else m.end()
            tokens = tokens[1:]
        if len(tokens) < 2 and not re.match(r"\d", phrase):
            continue
        name_part = m[1]
        name_words = name_part.split()
        if name_words[0] in _STOP_LEAD and len(name_words) < 3:
            continue
        last = _kind_word(name_part, kinds)
        kind = kinds.get(last or "", None)
        place = FoundPlace(start, m.end(), place_kind=kind)
        if kind == "address" or re.match(r"(?:Flat|Apartment|Room|Unit|\d)", text[start : m.end()]):
            place.address = text[start : m.end()]
            place.place_kind = kind
        else:
            place.name = text[start : m.end()]
        found.append(place)
    for start, end, code in postcode_type.find(text):
        # a postcode right after an address belongs to it
        for place in found:
            if (
                place.address
                and 0 <= start - place.end <= 25
                and re.fullmatch(r"[\s,A-Za-z]*", text[place.end : start])
            ):
                place.postcode = code
                place.end = end
                break
        else:
            found.append(FoundPlace(start, end, postcode=code))
    found.sort(key=lambda p: p.start)
    out: list[FoundPlace] = []
    for place in found:
        if out and place.start < out[-1].end:
            continue
        out.append(place)
    return out


def _kind_word(name: str, kinds: dict[str, str]) -> str | None:
    lower = " ".join(name.lower().split())
    for word in sorted(kinds, key=len, reverse=True):
        if lower.endswith(word) or lower.startswith(word + " "):
            return word
    return None
