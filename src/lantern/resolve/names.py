"""Given and family names as resolution compares them: comparison keys, the
set of names a given name may stand for, phonetic codes and a blocking key.

Normalisation and the nickname tables themselves live in
``lantern.types.name`` (the ``nicknames`` package plus
``data/nicknames_local.yaml``); this module only derives comparison features.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import jellyfish

from lantern.types import name as name_type

# Letters that do not decompose into a base letter and an accent.
_FOLD = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "đ": "d", "ı": "i"}
)


def key(text: str | None) -> str | None:
    """Lower-case letters only (accents folded: ``Łukasz`` -> ``lukasz``), or None."""
    if not text:
        return None
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    k = name_type.key(folded)
    return k or None


_TITLES = name_type.TITLES  # titles and ranks: one list, in lantern.types.name


def split_single(token: str, written: str) -> tuple[str | None, str | None]:
    """A one-word name as (given, family): after a title or rank ("PC 3227
    Jones", "Mr Khan") it is a family name, else a given name ("Stacey")."""
    words = [w.strip(".").lower() for w in written.split()]
    if words and words[0] in _TITLES and not is_given_name(token):
        return None, token
    return token, None


@cache
def is_given_name(token: str) -> bool:
    return (
        token in name_type.known_given_names()
        or token in _extra_given_names()
        or bool(_local_keys().get(token))
    )


@cache
def _extra_given_names() -> frozenset[str]:
    from importlib import resources

    import yaml

    path = resources.files("lantern.data").joinpath("given_names.yaml")
    if not path.is_file():
        return frozenset()
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    return frozenset(str(n).lower() for n in data.get("given_names") or [])


@cache
def variants(given: str) -> frozenset[str]:
    """Every name ``given`` may be written as: itself, its nicknames and the
    names it is short for, and (one step further) the spellings of a local
    group it belongs to, so ``mo`` reaches ``muhammad`` through ``mohammed``."""
    found = set(name_type.variants(given))
    local = _local_groups()
    for name in list(found):
        found |= local.get(name, frozenset())
    return frozenset(found)


@cache
def blocking_key(given: str) -> str:
    """One key per group of equivalent given names, for blocking: the local
    group's key, else the name itself unless it is a known diminutive of
    exactly one name."""
    local = _local_keys()
    if given in local:
        return local[given]
    canon = sorted(c for c in variants(given) if c != given and len(c) > len(given))
    return canon[0] if len(canon) == 1 else given


def metaphone(text: str | None) -> str | None:
    """The Metaphone code of a name (``Mohammed`` and ``Muhamad`` share one)."""
    if not text:
        return None
    code = jellyfish.metaphone(text.replace(" ", ""))
    return code or None


@cache
def _local_groups() -> dict[str, frozenset[str]]:
    groups: dict[str, frozenset[str]] = {}
    for head, members in _local_table().items():
        group = frozenset({head, *members})
        for member in group:
            groups[member] = groups.get(member, frozenset()) | group
    return groups


@cache
def _local_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for head, members in _local_table().items():
        for member in (head, *members):
            keys.setdefault(member, head)
    return keys


@cache
def _local_table() -> dict[str, tuple[str, ...]]:
    from importlib import resources

    import yaml

    text = resources.files("lantern.data").joinpath("nicknames_local.yaml").read_text("utf-8")
    table = yaml.safe_load(text).get("nicknames") or {}
    return {str(k): tuple(str(v) for v in vs) for k, vs in table.items()}


# An officer written by rank and collar number: "PC 2633 Holmes", "DC 118
# Patel", "PCSO 7012 Shaw". The collar number tells two officers of one
# surname apart.
_COLLAR = re.compile(
    r"\b(?:PCSO|PC|DC|DS|Sgt|Sergeant|Insp|Inspector|Officer)\.?\s+(\d{2,6})\s+"
    r"([A-Za-z][A-Za-z'\-]+)",
    re.IGNORECASE,
)


def collar(written: str | None) -> tuple[str, str] | None:
    """(collar number, surname) of an officer written by rank and number."""
    if not written:
        return None
    found = _COLLAR.search(written)
    return (found.group(1), found.group(2)) if found else None
