"""The simulator's data files (``sim/data/*.yaml``), loaded once.

Names, town, blaming language and the offence rules are data with their sources
named in each file; this module only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"


def load(name: str) -> dict[str, Any]:
    """One data file as parsed YAML (cached)."""
    return _load(name)


@cache
def _load(name: str) -> dict[str, Any]:
    with (DATA / f"{name}.yaml").open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


@dataclass(frozen=True, slots=True)
class Name:
    """A given name or surname with the other ways it is written."""

    name: str
    variants: tuple[str, ...] = ()
    nicknames: tuple[str, ...] = ()


def _name(entry: str | dict[str, Any]) -> Name:
    if isinstance(entry, str):
        return Name(entry)
    return Name(
        entry["name"],
        tuple(entry.get("variants", ())),
        tuple(entry.get("nicknames", ())),
    )


@dataclass(frozen=True, slots=True)
class Origin:
    """The names of one heritage, with its share of the town."""

    code: str
    weight: float
    appearance: tuple[str, ...]
    male: tuple[Name, ...]
    female: tuple[Name, ...]
    surnames: tuple[Name, ...]


@cache
def origins() -> tuple[Origin, ...]:
    """Every heritage in the names file, in the file's order."""
    data = load("names")["origins"]
    return tuple(
        Origin(
            code=code,
            weight=float(item["weight"]),
            appearance=tuple(item["appearance"]),
            male=tuple(_name(n) for n in item["male"]),
            female=tuple(_name(n) for n in item["female"]),
            surnames=tuple(_name(n) for n in item["surnames"]),
        )
        for code, item in data.items()
    )


def acts() -> tuple[str, ...]:
    """The act codes shared across Lantern (``lantern/data/acts.yaml``)."""
    path = Path(__file__).parent.parent / "data" / "acts.yaml"
    with path.open(encoding="utf-8") as handle:
        return tuple(a["code"] for a in yaml.safe_load(handle)["acts"])


def indicators() -> tuple[str, ...]:
    """The indicator codes shared across Lantern (``lantern/data/indicators.yaml``)."""
    path = Path(__file__).parent.parent / "data" / "indicators.yaml"
    with path.open(encoding="utf-8") as handle:
        return tuple(a["code"] for a in yaml.safe_load(handle)["indicators"])
