"""UK vehicle registration marks (VRMs), full and partial.

Full marks follow the DVLA formats: current (``AB12 CDE``, since 2001),
prefix (``A123 BCD``, 1983-2001), suffix (``ABC 123D``, 1963-1983) and
dateless (``ABC 123``, ``1234 AB``). A partial mark keeps the characters a
witness gave, with ``?`` for an unknown position and ``*`` at either end for
any number of unknown characters: "ends 4KD" is ``*4KD``, "YX5 something"
is ``YX5*``.
"""

from __future__ import annotations

import re

_NOT_MARK = re.compile(r"[^A-Z0-9?*]")

CURRENT = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z]{3}$")
PREFIX = re.compile(r"^[A-Z][0-9]{1,3}[A-Z]{3}$")
SUFFIX = re.compile(r"^[A-Z]{3}[0-9]{1,3}[A-Z]$")
DATELESS = re.compile(r"^(?:[A-Z]{1,3}[0-9]{1,4}|[0-9]{1,4}[A-Z]{1,3})$")
FULL_FORMATS = (CURRENT, PREFIX, SUFFIX)


def normalise(text: str) -> tuple[str, bool] | None:
    """(mark, partial): upper case, no spaces; unknown characters as ``?``.
    A mark is partial when it holds ``?`` or ``*`` or matches no full format."""
    mark = _NOT_MARK.sub("", text.upper())
    if not mark:
        return None
    return mark, not is_full(mark)


def is_full(mark: str) -> bool:
    """True for a complete mark in a current, prefix or suffix format."""
    return any(fmt.match(mark) for fmt in FULL_FORMATS)


def partial_from(known: str, *, at_start: bool) -> str:
    """A partial mark from the characters a witness knew: ``at_start`` for
    "starts YX5" (``YX5*``), else "ends 4KD" (``*4KD``)."""
    chars = _NOT_MARK.sub("", known.upper())
    return f"{chars}*" if at_start else f"*{chars}"


def matches(partial: str, full: str) -> bool:
    """Whether a full mark is consistent with a (possibly partial) one."""
    pattern = "".join(
        "." if c == "?" else ".*" if c == "*" else re.escape(c) for c in partial.upper()
    )
    return re.fullmatch(pattern, full.upper()) is not None


def display(mark: str) -> str:
    """``YX51 KDA`` for a current mark; other marks unchanged."""
    if CURRENT.match(mark):
        return f"{mark[:4]} {mark[4:]}"
    if PREFIX.match(mark):
        return f"{mark[:-3]} {mark[-3:]}"
    if SUFFIX.match(mark):
        return f"{mark[:3]} {mark[3:]}"
    return mark
