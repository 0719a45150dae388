"""UK phone numbers: found in text written any common way, normalised to E.164."""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

# A run of digits with the separators people write inside phone numbers:
# "07700 900123", "07700-900-123", "+44 (0)7700 900123", "(0114) 496 0123",
# "0044 7700 900123". Validation is left to ``phonenumbers``.
CANDIDATE = re.compile(
    r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0044\s?|\(0\d{2,4}\)\s?|0)\d(?:[\s.\-]?\d){8,9}(?!\w)"
)


def normalise(text: str, region: str = "GB") -> str | None:
    """E.164 form of a phone number written in any common way, or None."""
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def find(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, E.164) for each UK phone number written in ``text``."""
    for match in CANDIDATE.finditer(text):
        digits = re.sub(r"\D", "", match[0])
        if digits.startswith("0044"):
            digits = digits[2:]
        if digits.startswith("44"):
            digits = "0" + digits[2:].removeprefix("0")
        if len(digits) not in (10, 11):
            continue
        number = normalise(digits)
        if number is not None:
            yield match.start(), match.end(), number


def display(number: str) -> str:
    """National format for showing a stored E.164 number: ``07700 900123``."""
    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
