"""UK phone numbers, normalised to E.164."""

from __future__ import annotations

import phonenumbers


def normalise(text: str, region: str = "GB") -> str | None:
    """E.164 form of a phone number written in any common way, or None."""
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
