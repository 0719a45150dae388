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
    """House number and street: the first comma-separated part that names a
    street, normalised (``12 eastwood road``)."""
    if not text:
        return None
    first = text.split(",")[0]
    return normalise(first)


def house_number(text: str | None) -> str | None:
    norm = normalise(text)
    if not norm:
        return None
    first = norm.split()[0]
    return first if _NUMBER.match(first) else None


def area(address: str | None, postcode: str | None) -> str | None:
    """The postcode's outward code, else the street without its number."""
    if postcode:
        return postcode.split()[0]
    s = street(address)
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
