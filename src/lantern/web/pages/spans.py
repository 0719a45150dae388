"""Extracted spans of a narrative, cut into segments the templates show as
plain text or highlighted marks (no markup is built here: templates escape)."""

from __future__ import annotations

from dataclasses import dataclass

from lantern.domain import Extraction

KIND_LABELS = {
    "person": "person",
    "vehicle": "vehicle",
    "phone": "phone",
    "location": "place",
    "indicator": "risk indicator",
    "disclosure": "disclosure",
}


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of narrative text; ``kind`` is set when it is an extracted span."""

    text: str
    kind: str | None = None
    label: str = ""
    mention_id: str | None = None
    focus: bool = False


@dataclass(frozen=True, slots=True)
class Marked:
    start: int
    end: int
    kind: str
    label: str
    mention_id: str | None


def marks(extraction: Extraction | None) -> list[Marked]:
    """Every narrative span extraction found, mentions before indicators."""
    if extraction is None:
        return []
    found: list[Marked] = []
    for kind, items in (
        ("person", extraction.people),
        ("vehicle", extraction.vehicles),
        ("phone", extraction.phones),
        ("location", extraction.locations),
    ):
        for item in items:
            if item.span.source == "narrative":
                label = f"{KIND_LABELS[kind]}: {getattr(item, 'role', '') or ''}".rstrip(": ")
                found.append(Marked(item.span.start, item.span.end, kind, label, item.mention_id))
    for indicator in extraction.indicators:
        if indicator.span.source == "narrative":
            found.append(
                Marked(
                    indicator.span.start,
                    indicator.span.end,
                    "indicator",
                    f"risk indicator: {indicator.code}",
                    None,
                )
            )
    for disclosure in extraction.disclosures:
        if disclosure.span.source == "narrative":
            found.append(
                Marked(
                    disclosure.span.start,
                    disclosure.span.end,
                    "disclosure",
                    f"disclosure: {disclosure.act}",
                    None,
                )
            )
    return found


def segments(
    narrative: str, found: list[Marked], focus: frozenset[str] = frozenset()
) -> list[Segment]:
    """The narrative cut at each span; overlapping spans keep the first that starts."""
    out: list[Segment] = []
    at = 0
    for mark in sorted(found, key=lambda m: (m.start, -(m.end - m.start))):
        if mark.start < at or mark.end > len(narrative) or mark.start >= mark.end:
            continue
        if mark.start > at:
            out.append(Segment(narrative[at : mark.start]))
        out.append(
            Segment(
                narrative[mark.start : mark.end],
                mark.kind,
                mark.label,
                mark.mention_id,
                mark.mention_id in focus,
            )
        )
        at = mark.end
    if at < len(narrative):
        out.append(Segment(narrative[at:]))
    return out
