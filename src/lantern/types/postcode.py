"""UK postcodes: format-validated and written in the standard form."""

from __future__ import annotations

import re

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")


def normalise(text: str) -> str | None:
    """``S60 1AA`` for any spacing or case of a well-formed postcode, else None."""
    match = POSTCODE.match(text.strip().upper())
    return f"{match[1]} {match[2]}" if match else None
