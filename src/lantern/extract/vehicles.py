"""Vehicles in a narrative: full and partial registration marks, with the
make, model and colour written next to them ("a silver Vauxhall Astra YX51 KDA",
"a black BMW, partial reg YX5", "plate ending 4KD")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lantern.extract import vocabulary
from lantern.types import vrm as vrm_type

# A full mark in any case and spacing: current (YX51 KDA), prefix (P123 ABC),
# suffix (ABC 123P).
# a current mark in capitals with stray spaces: "Y X51  KDA"
_SPACED = re.compile(r"(?<![\w])[A-Z] ?[A-Z] ?[0-9] ?[0-9] {0,2}[A-Z] ?[A-Z] ?[A-Z](?![\w])")
_FULL = re.compile(
    r"(?<![\w£/:-])(?:[A-Za-z]{2}[ \t]{0,2}[0-9]{2}[ \t]{0,2}[A-Za-z]{3}"
    r"|[A-Za-z][ \t]?[0-9]{1,3}[ \t]{0,2}[A-Za-z]{3}"
    r"|[A-Za-z]{3}[ \t]{0,2}[0-9]{1,3}[ \t]?[A-Za-z])(?![\w])"
)
# A partial mark: characters with '?', '*' or '_' for unknown ones (YX5? KDA,
# YX51 K**), or a witness's "reg starting YX5", "plate ending 4KD".
_WITH_UNKNOWN = re.compile(
    r"(?<![\w?*])(?=[A-Za-z0-9?*_ ]*[?*_])(?=[A-Za-z0-9?*_ ]*[A-Za-z0-9])[A-Z0-9?*_]{2,4}(?: ?[A-Z0-9?*_]{1,4})?(?![\w?*])"
)
_STARTS = re.compile(
    r"(?:(?:partial\s+)?(?:reg(?:istration)?|plate|vrm|index)(?:\s+(?:number|mark|no\.?))?\s*"
    r"(?:starting|starts|started|beginning|begins|commencing)(?:\s+with)?|partial\s+(?:reg(?:istration)?|plate|vrm|index)(?:\s+(?:number|mark))?|"
    r"(?:reg(?:istration)?|plate)\s+(?:was|is)\s+(?:possibly|something like|like))[:\s]+"
    r"(?-i:['\"]?([A-Za-z0-9]{1,4}(?: ?[A-Z0-9]{1,3})?)['\"]?)(?![\w])",
    re.I,
)
# "registration YB08", "reg YX5": fewer characters than any full mark
_SHORT_AFTER_REG = re.compile(
    r"\b(?:reg(?:istration)?|plate|vrm|index)(?:\s+(?:number|mark|no\.?))?[:\s]+"
    r"([A-Z]{1,2}[0-9]{1,2}[A-Z]?|[A-Z]{2}[0-9]{2} ?[A-Z]{1,2})(?![\w?*])"
)
_ENDS = re.compile(
    r"(?:(?:reg(?:istration)?|plate|vrm|index)(?:\s+(?:number|mark|no\.?))?\s*)?"
    r"(?:ending|ends|ended|finishing)(?:\s+(?:in|with))?[:\s]+['\"]?([A-Za-z0-9]{2,4})['\"]?(?![\w])",
    re.I,
)
_CONTEXT = re.compile(
    r"\b(?:reg|registration|plate|vrm|index|car|vehicle|van|taxi|driving|drove|drives)\b", re.I
)
_MONTH_LIKE = re.compile(
    r"^(?:[a-z]{2}\d{2}(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|the|and|for|but|was|pm|am)"
    r"|[a-z]\d{1,3}(?:the|and|for|was|are|pm|am|hrs|mph|yrs|kgs)|[a-z]{3}\d{1,3}[a-z])$"
)


@dataclass(slots=True)
class FoundVehicle:
    start: int
    end: int
    vrm: str | None
    partial: bool
    make: str | None = None
    model: str | None = None
    colour: str | None = None


# Models that are numbers or everyday words ("206", "Note", "Golf") count
# only after a make; the others count alone when capitalised ("a silver Astra").
_NOT_ALONE = frozenset(
    [
        "206",
        "207",
        "306",
        "307",
        "406",
        "407",
        "75",
        "25",
        "45",
        "note",
        "ka",
        "superb",
        "scenic",
        "golf",
        "polo",
        "civic",
        "accord",
        "galaxy",
        "leon",
        "transit",
        "sprinter",
    ]
)


def _alone_models(models: frozenset[str]) -> str:
    usable = {" ".join(w[:1].upper() + w[1:] for w in m.split()) for m in models}
    usable = {m for m in usable if m.lower() not in _NOT_ALONE and not m[0].isdigit()}
    return vocabulary.phrase_pattern(frozenset(usable))


@cache
def _describers() -> re.Pattern[str]:
    words = vocabulary.vehicle_words()
    return re.compile(
        rf"(?:\b({vocabulary.phrase_pattern(words['colours'])})\s+)?"
        rf"(?:\b({vocabulary.phrase_pattern(words['makes'])})\b"
        rf"(?:\s+({vocabulary.phrase_pattern(words['models'])})\b)?"
        rf"|\b(?-i:({_alone_models(words['models'])}))\b)",
        re.I,
    )


def find_vehicles(text: str) -> list[FoundVehicle]:
    found: list[FoundVehicle] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(s < b and a < e for a, b in taken)

    for m in _SPACED.finditer(text):
        if " " in m[0].strip():
            found.append(FoundVehicle(m.start(), m.end(), m[0].replace(" ", ""), False))
            taken.append((m.start(), m.end()))
    for m in _FULL.finditer(text):
        if not free(m.start(), m.end()):
            continue
        raw = m[0]
        compact = re.sub(r"\s", "", raw)
        mark = compact.upper()
        if not vrm_type.is_full(mark):
            continue
        if not raw.isupper():
            # lower or mixed case: a mark only with no inner spaces, not a
            # date or a word-like run, and something about a vehicle nearby
            described = _describers().search(text[max(0, m.start() - 25) : m.start()])
            if _MONTH_LIKE.match(compact.lower()) and not described:
                continue
            near = text[max(0, m.start() - 60) : m.end() + 30]
            if not _CONTEXT.search(near) and not _describers().search(near):
                continue
            if any(c.isupper() for c in raw) and not raw[0].isupper():
                continue
        found.append(FoundVehicle(m.start(), m.end(), mark, False))
        taken.append((m.start(), m.end()))
    for pattern, at_start in ((_STARTS, True), (_SHORT_AFTER_REG, True), (_ENDS, False)):
        for m in pattern.finditer(text):
            if not free(m.start(1), m.end(1)):
                continue
            known = m[1].upper()
            if (
                not re.search(r"\d", known)
                and not (at_start and len(known) >= 2 and known.isupper())
                and not m[1].isupper()
            ):
                continue
            found.append(
                FoundVehicle(
                    m.start(1), m.end(1), vrm_type.partial_from(known, at_start=at_start), True
                )
            )
            taken.append((m.start(1), m.end(1)))
    for m in _WITH_UNKNOWN.finditer(text):
        if not free(m.start(), m.end()) or not re.search(r"[A-Z0-9]{2}", m[0]):
            continue
        mark = m[0].replace(" ", "").replace("_", "?")
        found.append(FoundVehicle(m.start(), m.end(), mark, True))
        taken.append((m.start(), m.end()))
    found.sort(key=lambda v: v.start)
    _describe(text, found)
    return found


def _describe(text: str, found: list[FoundVehicle]) -> None:
    """Make, model and colour written just before or after each mark; a
    described car with no mark becomes a mention of its own."""
    used: list[tuple[int, int]] = []
    for vehicle in found:
        window_start = max(0, vehicle.start - 60)
        best = None
        for m in _describers().finditer(text, window_start, vehicle.start):
            best = m
        if best is None:
            after = _describers().search(text, vehicle.end, vehicle.end + 40)
            best = after if after and after.start() - vehicle.end < 15 else None
        if best is not None:
            if best.end() <= vehicle.start and vehicle.start - best.end() <= 20:
                vehicle.start = best.start()  # "silver Renault Clio reg YS5?" is one mention
            vehicle.colour = best[1].lower() if best[1] else _colour_before(text, best.start())
            vehicle.make, vehicle.model = _make_model(best)
            used.append((best.start(), best.end()))
    for m in _describers().finditer(text):
        if any(m.start() < b and a < m.end() for a, b in used):
            continue
        found.append(
            FoundVehicle(
                m.start(), m.end(), None, False,
                make=_make_model(m)[0],
                model=_make_model(m)[1],
                colour=m[1].lower() if m[1] else _colour_before(text, m.start()),
            )
        )  # fmt: skip
    found.sort(key=lambda v: v.start)


def _colour_before(text: str, pos: int) -> str | None:
    colours = vocabulary.vehicle_words()["colours"]
    words = text[max(0, pos - 25) : pos].lower().split()
    for word in reversed(words[-3:]):
        if word.strip(",") in colours:
            return word.strip(",")
    return None


def _make_model(m: re.Match[str]) -> tuple[str | None, str | None]:
    """(make, model) as written: "Vauxhall Astra", "BMW", or a model alone."""
    if m[2]:
        make = m[2].title() if len(m[2]) > 3 else m[2].upper()
        return make, m[3].title() if m[3] else None
    return None, m[4].title() if m[4] else None
