"""UK postcodes: format-validated and written in the standard form.

The format follows the Royal Mail / ONS rules for a postcode's outward code
(``A9``, ``A99``, ``A9A``, ``AA9``, ``AA99``, ``AA9A``) and inward code
(a digit and two letters, never C, I, K, M, O or V). Scottish (EH1 1YZ),
Welsh (CF10 1AA) and London (SW1A 1AA, EC1A 1BB) forms are all covered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_OUTWARD = r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
POSTCODE = re.compile(rf"^({_OUTWARD})\s*({_INWARD})$")
# In running text: the outward code, at most two spaces, the inward code.
IN_TEXT = re.compile(rf"(?<![A-Za-z0-9])({_OUTWARD})\s{{0,2}}({_INWARD})(?![A-Za-z0-9])", re.I)


def normalise(text: str) -> str | None:
    """``S60 1AA`` for any spacing or case of a well-formed postcode, else None."""
    match = POSTCODE.match(text.strip().upper())
    return f"{match[1]} {match[2]}" if match else None


def is_valid(text: str) -> bool:
    return normalise(text) is not None


def find(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, normalised postcode) for each postcode written in ``text``."""
    for match in IN_TEXT.finditer(text):
        code = normalise(match[0])
        if code is not None:
            yield match.start(), match.end(), code


def outward(code: str) -> str:
    """The outward code (district) of a normalised postcode: ``S60``."""
    return code.split(" ", 1)[0]
