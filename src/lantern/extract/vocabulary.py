"""The word lists and cue phrases extraction reads, loaded once from the data
files under ``lantern/data`` (each names its source)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from lantern.types import name as name_type

# What ``{P}`` in a cue stands for: a person, as written or masked (see
# ``extract.disclosures``): a pronoun, "the girl", or a masked mention "@pp…".
PERSON = (
    r"(?:her|him|them|me|us|herself|himself|@p*|"
    r"(?:the|a|his|their|another|other) (?:\w+ )?(?:girls?|boys?|child|children|victims?|young (?:person|people)))"
)


def _load(name: str) -> dict[str, Any]:
    text = resources.files("lantern.data").joinpath(name).read_text("utf-8")
    return dict(yaml.safe_load(text))


def _compile(cues: list[str]) -> re.Pattern[str]:
    vehicle = vehicle_words()
    car = "(?:" + phrase_pattern(vehicle["vehicle_nouns"] | vehicle["makes"]) + ")"
    parts = [f"(?:{c.replace('{P}', PERSON).replace('{V}', car)})" for c in cues]
    return re.compile(r"(?<![\w@])(?:" + "|".join(parts) + r")(?!\w)")


@dataclass(frozen=True, slots=True)
class Cues:
    """Cue patterns by code, in the order of the data file."""

    by_code: tuple[tuple[str, re.Pattern[str]], ...]


@cache
def indicator_cues() -> Cues:
    data = _load("indicators.yaml")["indicators"]
    return Cues(tuple((d["code"], _compile(d["cues"])) for d in data if d.get("cues")))


@cache
def act_cues() -> Cues:
    data = _load("acts.yaml")["acts"]
    return Cues(tuple((d["code"], _compile(d["cues"])) for d in data if d.get("cues")))


@cache
def people_words() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in _load("people.yaml").items()}


@cache
def place_words() -> dict[str, str]:
    """Lower-case word (or phrase) naming a kind of place -> the kind."""
    out: dict[str, str] = {}
    for kind, words in _load("places.yaml")["kinds"].items():
        for word in words:
            out[word] = kind
    return out


@cache
def vehicle_words() -> dict[str, frozenset[str]]:
    return {k: frozenset(str(w) for w in v) for k, v in _load("vehicles.yaml").items()}


class _GivenNames:
    """Membership test for given names: local list, nickname tables and the
    ``gender-guesser`` name dictionary."""

    def __init__(self) -> None:
        self.local = (
            frozenset(_load("given_names.yaml")["given_names"]) | name_type.known_given_names()
        )

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self.local or name_type.is_given_name(word))


@cache
def given_names() -> _GivenNames:
    return _GivenNames()


def phrase_pattern(words: frozenset[str] | list[str]) -> str:
    """A regex alternation of phrases, longest first, spaces matching any space."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)
