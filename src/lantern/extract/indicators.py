"""Risk indicators for children (codes in ``data/indicators.yaml``), each with
its supporting span and the child it is about. A negated cue ("no injuries
seen") or one in a conditional ("if she goes missing again") does not count."""

from __future__ import annotations

import re

from lantern.domain import Indicator, Span
from lantern.extract import vocabulary
from lantern.extract.context import Context
from lantern.extract.people_index import PeopleIndex

_CONDITIONAL = re.compile(r"\b(?:if|unless|in case|should (?:she|he)|whether)\b")


_PLACE_CODE = "hotels-takeaways-flats"
_LIST = re.compile(r"^(?:\s*(?:,|and|&)\s*)+$")


def find_indicators(
    ctx: Context,
    people: PeopleIndex,
    places: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> list[Indicator]:
    """Indicators in the narrative; ``places`` are the spans of named
    hotels, takeaways and flats."""
    found: list[Indicator] = []
    taken: dict[str, list[tuple[int, int]]] = {}
    for code, pattern in vocabulary.indicator_cues().by_code:
        for m in pattern.finditer(ctx.lower):
            start, end = m.start(), m.end()
            spans = taken.setdefault(code, [])
            if any(start < b and a < end for a, b in spans):
                continue
            if ctx.is_negated(start, end, window=40) or _CONDITIONAL.search(
                ctx.clause_prefix(start)
            ):
                continue
            spans.append((start, end))
            found.extend(_about_children(ctx, people, code, start, end))
    # a named hotel, takeaway or flat is itself a cue: "took her to Happy Wok";
    # but only where the report names a child: in "a dispute at Pizza Palace
    # between customer Abigail HARRISON and a member of staff" nobody is one
    for start, end in places if people.children() else ():
        spans = taken.setdefault(_PLACE_CODE, [])
        if any(start < b and a < end for a, b in spans) or ctx.is_negated(start, end, window=40):
            continue
        spans.append((start, end))
        found.extend(_about_children(ctx, people, _PLACE_CODE, start, end))
    found.sort(key=lambda i: i.span.start)
    return found


def _about_children(
    ctx: Context, people: PeopleIndex, code: str, start: int, end: int
) -> list[Indicator]:
    """One indicator for the child a cue is about, or for each child of a
    list ("Courtney (14) and Leah (13) were both missing")."""
    child = people.child_for(start, people.sex_of_subject(start))
    children = [child]
    sent_start, _ = ctx.sentence(start)
    kids = [p for p in people.children() if sent_start <= p.start < start]
    if len(kids) >= 2 and child in kids:
        group = [kids[-1]]
        for earlier in reversed(kids[:-1]):
            if _LIST.match(ctx.text[earlier.end : group[0].start]):
                group.insert(0, earlier)
            else:
                break
        if len(group) >= 2 and not re.search(r"[.;]", ctx.text[group[-1].end : start]):
            children = list(group)
    return [
        Indicator(
            code=code,
            text=ctx.text[start:end],
            span=Span(start, end),
            child=c.mention_id if c else None,
        )
        for c in children
    ]
