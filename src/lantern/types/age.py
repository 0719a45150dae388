"""Ages and dates of birth: read from how reports write them, and the age
on a given day.

"a 14 year old", "aged 14", "14-year-old", "14yrs", "(14)", "age 14", "about 25"
are ages; "14 years ago" is not (it is a relative date, see ``types.dates``).
"""

from __future__ import annotations

import re
from datetime import date

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
}  # fmt: skip
_NUM = r"(\d{1,2}|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")"
_APPROX = r"(?:(?:about|approx(?:imately|\.)?|around|roughly|maybe|possibly|c\.|circa|nearly|almost|only|just)\s+)?"

# An age written after a noun or name: "aged 14", "age: 14", "aged about 25".
AGED = re.compile(rf"\bage[ds]?\b[:\s]\s*{_APPROX}{_NUM}\b(?!\s*(?:years?|yrs?)\s+ago)", re.I)
# "14 year old", "14-year-old", "14 yr old", "14 years of age", "14yo", "14 years old"
YEAR_OLD = re.compile(
    rf"\b{_APPROX}{_NUM}[\s-]*(?:years?|yrs?|yr)[\s-]*(?:old|of\s+age)\b|\b(\d{{1,2}})\s?yo\b", re.I
)
# "(14)" straight after a name, "Jane (14)"; "in her 20s"/"mid twenties"
BRACKETED = re.compile(r"\((\d{1,2})\s*(?:yrs?|years?)?\)")
DECADE = re.compile(
    r"\b(?:in\s+(?:his|her|their)\s+)?(early|mid|late)?[\s-]*(20|30|40|50|60)'?s\b|"
    r"\b(early|mid|late)?[\s-]*(twenties|thirties|forties|fifties|sixties)\b",
    re.I,
)
_DECADES = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60}
_DECADE_OFFSET = {"early": 2, "mid": 5, "late": 8, None: 5}


def number(text: str) -> int | None:
    """An age written in figures or words: ``"14"``, ``"fourteen"``."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    return _WORDS.get(text)


def find(text: str) -> list[tuple[int, int, int]]:
    """(start, end, years) for each age written in ``text`` (not "N years ago")."""
    found: list[tuple[int, int, int]] = []
    for pattern in (AGED, YEAR_OLD, BRACKETED):
        for match in pattern.finditer(text):
            raw = next(g for g in match.groups() if g)
            years = number(raw)
            if years is not None and 0 < years < 100:
                found.append((match.start(), match.end(), years))
    for match in DECADE.finditer(text):
        if match[2]:
            years = int(match[2]) + _DECADE_OFFSET[(match[1] or "").lower() or None]
        else:
            years = _DECADES[match[4].lower()] + _DECADE_OFFSET[(match[3] or "").lower() or None]
        found.append((match.start(), match.end(), years))
    found.sort()
    return [f for i, f in enumerate(found) if not any(_inside(f, g) for g in found[:i])]


def _inside(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return (b[0] <= a[0] and a[1] <= b[1]) or (a[0] < b[1] and b[0] < a[1])


def on(dob: date, day: date) -> int:
    """Age in whole years on ``day`` of someone born on ``dob``."""
    years = day.year - dob.year
    if (day.month, day.day) < (dob.month, dob.day):
        years -= 1
    return years


def is_child(years: int | None) -> bool | None:
    return None if years is None else years < 18
