"""People's names: splitting, cleaning, nicknames, and comparing given names.

Nicknames come from the ``nicknames`` package (given names and their
diminutives) plus local additions in ``data/nicknames_local.yaml``. Which
words are given names, and the sex a given name usually has, come from the
``gender-guesser`` package (Jörg Michael's ``nam_dict``: about 40,000 given
names from across Europe, South Asia and the Middle East, with their usage by
country).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

import yaml
from gender_guesser.detector import Detector
from nicknames import NickNamer

TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "pc",
        "dc",
        "ds",
        "di",
        "dci",
        "dsi",
        "pcso",
        "sgt",
        "sergeant",
        "insp",
        "inspector",
        "officer",
        "constable",
        "nurse",
        "sister",
    ]
)
# Given names that are also ordinary English words. Such a word is read as a
# name only when it is capitalised away from the start of a sentence, or sits
# next to another name (a family name, a title), or is quoted.
ORDINARY_WORD_NAMES = frozenset(
    [
        "hope",
        "grace",
        "rose",
        "bill",
        "amber",
        "will",
        "mark",
        "faith",
        "joy",
        "may",
        "june",
        "april",
        "summer",
        "autumn",
        "dawn",
        "holly",
        "ivy",
        "jade",
        "ruby",
        "pearl",
        "crystal",
        "sky",
        "skye",
        "rocky",
        "sunny",
        "rich",
        "frank",
        "guy",
        "jack",
        "miles",
        "dale",
        "glen",
        "cliff",
        "rob",
        "sue",
        "pat",
        "don",
        "ray",
        "victor",
        "bob",
        "penny",
        "candy",
        "chance",
        "christian",
        "destiny",
        "heather",
        "honey",
        "iris",
        "lily",
        "violet",
        "hazel",
        "poppy",
        "daisy",
        "storm",
        "river",
        "star",
        "sonny",
        "ben",
        "gene",
        "harry",
        "mercy",
        "patience",
        "precious",
    ]
)


@cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@cache
def _local() -> dict[str, frozenset[str]]:
    text = resources.files("lantern.data").joinpath("nicknames_local.yaml").read_text("utf-8")
    table: dict[str, set[str]] = {}
    for short, fulls in (yaml.safe_load(text)["nicknames"] or {}).items():
        for full in fulls:
            table.setdefault(short, set()).add(full)
            table.setdefault(full, set()).add(short)
    return {k: frozenset(v) for k, v in table.items()}


# A quote mark that is not between two letters ("Mohammed 'Mo' Hussain").
_QUOTE = re.compile(r"(?<![^\W\d_])[\"“”‘’']|[\"“”‘’'](?![^\W\d_])")


@lru_cache(maxsize=65536)
def clean(name: str) -> str:
    """Collapses spaces, strips quotes and titles, keeps the writer's case. An
    apostrophe within a name (O'Brien, D’Souza) is kept."""
    name = _QUOTE.sub("", name)
    parts = [p for p in name.replace(",", " ").split() if p.lower().rstrip(".") not in TITLES]
    return " ".join(parts)


def split(name: str) -> tuple[str | None, str | None]:
    """(given name, family name) from a written name; ``None`` where absent."""
    parts = clean(name).split()
    if not parts:
        return None, None
    if len(parts) == 1:
        return parts[0], None
    return parts[0], parts[-1]


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """A lower-case comparison key: letters only, single spaces."""
    return " ".join(re.sub(r"[^\w ]|[\d_]", "", clean(name).lower()).split())


def variants(given: str) -> frozenset[str]:
    """The given name and every name it may be short for or shortened to."""
    g = key(given)
    if not g:
        return frozenset()
    found = {g}
    namer = _nicknamer()
    found |= namer.nicknames_of(g)
    found |= namer.canonicals_of(g)
    found |= _local().get(g, frozenset())
    return frozenset(found)


def same_given_name(a: str, b: str) -> bool:
    """True when two given names can be the same person's (equal, or one a
    nickname of the other): ``Mo``/``Mohammed``, ``Bill``/``William``."""
    ka, kb = key(a), key(b)
    if not ka or not kb:
        return False
    return ka == kb or kb in variants(ka) or ka in variants(kb)


def is_ordinary_word(token: str) -> bool:
    """True for a given name that is also an ordinary word (Hope, Will, Mark)."""
    return token.lower() in ORDINARY_WORD_NAMES


@cache
def _detector() -> Detector:
    return Detector(case_sensitive=False)


@lru_cache(maxsize=65536)
def is_given_name(word: str) -> bool:
    """True for a word that is a known given name in some country."""
    word = key(word)
    return bool(word) and (word in _detector().names or word in known_given_names())


@lru_cache(maxsize=65536)
def sex_of(given: str) -> str | None:
    """ "M" or "F" for a given name mostly used by one sex, else None. British
    usage (``data/given_names.yaml``) comes first: Kyle is a boy's name here."""
    first = key(given).split(" ")[0] if key(given) else ""
    british = _british_sex()
    if first in british:
        return british[first]
    guess = _detector().get_gender(first)
    if guess in ("male", "mostly_male"):
        return "M"
    if guess in ("female", "mostly_female"):
        return "F"
    return None


@cache
def _british_sex() -> dict[str, str | None]:
    text = resources.files("lantern.data").joinpath("given_names.yaml").read_text("utf-8")
    table = yaml.safe_load(text).get("sex_in_british_use") or {}
    return {str(k): (str(v) if v else None) for k, v in table.items()}


@cache
def known_given_names() -> frozenset[str]:
    """Every given name the nickname tables know, lower case."""
    namer = _nicknamer()
    names: set[str] = set()
    for attr in ("_nickname_lookup", "_canonical_lookup"):
        table = getattr(namer, attr, None)
        if isinstance(table, dict):
            names.update(table)
            for values in table.values():
                names.update(values)
    names.update(_local())
    return frozenset(names)
