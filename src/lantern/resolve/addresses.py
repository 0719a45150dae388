"""Addresses and place names as resolution compares them: lower case, no
punctuation, common street abbreviations written out, the postcode taken out
(it is compared on its own), and an "area" (postcode district, else street)
for telling apart two places with the same name."""

from __future__ import annotations

import re

from lantern.types import postcode as postcode_type

_ABBREVIATIONS = {
    "rd": "road",
    "st": "street",
    "str": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "dr": "drive",
    "cres": "crescent",
    "ct": "court",
    "gdns": "gardens",
    "gr": "grove",
    "pl": "place",
    "sq": "square",
    "terr": "terrace",
    "tce": "terrace",
    "wy": "way",
    "pde": "parade",
    "hse": "house",
}
_POSTCODE_IN_TEXT = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.I)
_NOT_WORD = re.compile(r"[^a-z0-9 ]+")
_NUMBER = re.compile(r"^\d+[a-z]?$")
# A flat, room or unit written before the street address ("Flat 5, 22 Hope Street").
_UNIT = re.compile(r"^(?:flat|apartment|apt|room|unit)\s+\w+$", re.I)


def postcode_in(text: str | None) -> str | None:
    """The UK postcode written inside an address, normalised, or None."""
    if not text:
        return None
    match = _POSTCODE_IN_TEXT.search(text)
    return postcode_type.normalise(match.group(0)) if match else None


def normalise(text: str | None) -> str | None:
    """``12 Eastwood Rd., Calderbridge CB4 2QT`` -> ``12 eastwood road calderbridge``."""
    if not text:
        return None
    text = _POSTCODE_IN_TEXT.sub(" ", text).lower()
    words = [_ABBREVIATIONS.get(w, w) for w in _NOT_WORD.sub(" ", text).split()]
    return " ".join(words) or None


def street(text: str | None) -> str | None:
    """House number and street, with the flat when there is one, normalised:
    ``Flat 5, 22 Hope St`` -> ``flat 5 22 hope street``; ``12 Eastwood Road,
    Calderbridge`` -> ``12 eastwood road``."""
    if not text:
        return None
    parts = [p for p in text.split(",") if p.strip()]
    unit = []
    while len(parts) > 1 and _UNIT.match(parts[0].strip()):
        unit.append(parts.pop(0))
    return normalise(" ".join([*unit, parts[0]])) if parts else None


def house_number(text: str | None) -> str | None:
    """The house number of the street part (``22`` of ``Flat 5, 22 Hope
    Street``), or None."""
    norm = normalise(_without_unit(text))
    if not norm:
        return None
    first = norm.split()[0]
    return first if _NUMBER.match(first) else None


def unit(text: str | None) -> str | None:
    """The flat, room or unit written before the street (``flat 5`` of ``Flat
    5, 22 Hope Street``), or None."""
    if not text:
        return None
    parts = [p for p in text.split(",") if p.strip()]
    found = []
    while len(parts) > 1 and _UNIT.match(parts[0].strip()):
        found.append(parts.pop(0))
    return normalise(" ".join(found)) if found else None


def is_unit(text: str | None) -> bool:
    """Whether a text is only a flat, room or unit ("Flat 5"): no place alone."""
    return bool(text and _UNIT.match(text.strip()))


def _without_unit(text: str | None) -> str | None:
    if not text:
        return text
    parts = [p for p in text.split(",") if p.strip()]
    while len(parts) > 1 and _UNIT.match(parts[0].strip()):
        parts.pop(0)
    return ",".join(parts)


def area(address: str | None, postcode: str | None) -> str | None:
    """The postcode's outward code, else the street without its number."""
    if postcode:
        return postcode.split()[0]
    rest = _without_unit(address)
    s = normalise(rest.split(",")[0]) if rest else None
    if not s:
        return None
    words = [w for w in s.split() if not _NUMBER.match(w)]
    return " ".join(words) or None


def place_name(text: str | None) -> str | None:
    """A named place's comparison key: ``The Star Pizza`` -> ``star pizza``."""
    norm = normalise(text)
    if not norm:
        return None
    words = [w for w in norm.split() if w not in ("the",)]
    return " ".join(words) or None
