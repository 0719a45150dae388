"""The offence catalogue (``data/offences.yaml``): offences with their Counting
Rules code and title, Act and section, seriousness and in-force dates, and the
rules that map a disclosed act to an offence. Data, read here; no rule is
written in code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

_FLAGS = ("consent_stated", "payment", "position_of_trust", "taking_child", "online", "gifts")


@dataclass(frozen=True, slots=True)
class Offence:
    """One offence as the Counting Rules classify it."""

    id: str
    act_section: str
    title: str
    codes: dict[str, str]
    titles: dict[str, str]
    max_sentence_years: int
    rank: int
    in_force: date
    repealed: date | None = None
    code_note: str | None = None

    def code(self, sex: str | None = None) -> str:
        """The classification code; where it depends on the victim's sex and
        that is not known, both codes are given."""
        if "any" in self.codes:
            return self.codes["any"]
        if sex in self.codes:
            return self.codes[sex]
        return "/".join(self.codes[k] for k in sorted(self.codes))

    def classification_title(self, sex: str | None = None) -> str:
        if "any" in self.titles:
            return self.titles["any"]
        if sex in self.titles:
            return self.titles[sex]
        return self.title

    def in_force_on(self, day: date) -> bool:
        return self.in_force <= day and (self.repealed is None or day < self.repealed)

    def as_export(self, sex: str | None = None) -> dict[str, str]:
        """The ``{code, title, act_section}`` shape of the interchange spec."""
        return {"code": self.code(sex), "title": self.title, "act_section": self.act_section}


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of an act's rules: conditions and the offence (or a concern)."""

    offence: str | None
    age_below: int | None = None
    age_at_least: int | None = None
    offender: str | None = None  # "adult" | "under-18" | "named" | "unnamed"
    flags: dict[str, bool] = field(default_factory=dict)
    concern: str | None = None
    text: re.Pattern[str] | None = None  # the words of the act must match


@dataclass(frozen=True, slots=True)
class Circumstance:
    fact: str
    offence: str
    age_below: int | None = None


@dataclass(frozen=True, slots=True)
class Catalogue:
    edition: str
    offences: dict[str, Offence]
    rules: dict[str, list[Rule]]
    circumstances: list[Circumstance]
    predecessors: dict[str, str]
    no_crime_reasons: dict[str, str]
    cancellation_reasons: dict[str, str]
    payment_received: re.Pattern[str] | None = None

    def by_act_section(self, act_section: str) -> Offence | None:
        for offence in self.offences.values():
            if offence.act_section.casefold() == act_section.casefold():
                return offence
        return None

    def find(self, key: str) -> Offence | None:
        """An offence by its id, its Act and section, or its classification code."""
        if key in self.offences:
            return self.offences[key]
        found = self.by_act_section(key)
        if found:
            return found
        for offence in self.offences.values():
            if key.upper() in {c.upper() for c in offence.codes.values()}:
                return offence
        return None

    def in_force(self, offence: Offence, day: date | None) -> Offence | None:
        """The offence, or its predecessor in force on ``day``; None if neither was."""
        if day is None or offence.in_force_on(day):
            return offence
        previous = self.predecessors.get(offence.id)
        if previous and self.offences[previous].in_force_on(day):
            return self.offences[previous]
        return None


def _rule(raw: dict[str, Any]) -> Rule:
    return Rule(
        offence=raw.get("offence"),
        age_below=raw.get("age_below"),
        age_at_least=raw.get("age_at_least"),
        offender=raw.get("offender"),
        flags={k: bool(raw[k]) for k in _FLAGS if k in raw},
        concern=raw.get("concern"),
        text=re.compile(raw["text"], re.IGNORECASE) if raw.get("text") else None,
    )


@cache
def load() -> Catalogue:
    """The catalogue shipped in ``lantern/data/offences.yaml``."""
    text = resources.files("lantern.data").joinpath("offences.yaml").read_text("utf-8")
    return parse(yaml.safe_load(text))


def parse(data: dict[str, Any]) -> Catalogue:
    offences = {
        raw["id"]: Offence(
            id=raw["id"],
            act_section=raw["act_section"],
            title=raw["title"],
            codes={str(k): str(v) for k, v in raw["codes"].items()},
            titles={str(k): str(v) for k, v in raw["titles"].items()},
            max_sentence_years=int(raw["max_sentence_years"]),
            rank=int(raw["rank"]),
            in_force=raw["in_force"],
            repealed=raw.get("repealed"),
            code_note=raw.get("code_note"),
        )
        for raw in data["offences"]
    }
    rules = {act: [_rule(r) for r in rows] for act, rows in data["rules"].items()}
    for act, rows in rules.items():
        for row in rows:
            if row.offence is not None and row.offence not in offences:
                raise ValueError(f"offences.yaml: rule for {act} names unknown {row.offence}")
    return Catalogue(
        edition=data["edition"],
        offences=offences,
        rules=rules,
        circumstances=[Circumstance(**c) for c in data.get("circumstances", [])],
        predecessors=dict(data.get("predecessors") or {}),
        no_crime_reasons=dict(data["no_crime_reasons"]),
        cancellation_reasons=dict(data["cancellation_reasons"]),
        payment_received=re.compile(data["payment_received"], re.IGNORECASE)
        if data.get("payment_received")
        else None,
    )
