"""Extraction scored against a simulated town's truth (``docs/truth.md``):
recall and precision of person mentions (a mention counts when its span
overlaps the truth's, in the same field), recall of phones, full plates,
postcodes, risk indicators and disclosures."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lantern.domain import Extraction, Report, Span
from lantern.extract.report import extract_reports

Key = tuple[str, str]


def read_town(directory: Path) -> tuple[list[Report], dict[str, Any]]:
    """The reports and the truth of a town written by ``lantern sim``."""
    with (directory / "reports.jsonl").open(encoding="utf-8") as handle:
        reports = [Report.from_body(json.loads(line)) for line in handle if line.strip()]
    truth = json.loads((directory / "truth.json").read_text("utf-8"))
    return reports, truth


def extract_town(reports: Iterable[Report]) -> dict[Key, Extraction]:
    return {(e.agency, e.report_id): e for e in extract_reports((r, 1) for r in reports)}


def _span(item: dict[str, Any]) -> Span:
    return Span(item["start"], item["end"], item.get("field", "narrative"))


def _span_of(mention: Any) -> Span:
    """A mention's span; structured items cover their whole field."""
    span: Span = mention.span
    if span.source != "narrative" and span.end == 0:
        return Span(0, max(len(mention.text), 1), span.source)
    return span


def written_postcodes(reports: Iterable[Report], truth: dict[str, Any]) -> dict[Key, list[str]]:
    """The true places' postcodes as each report writes them, in its
    narrative or its structured locations and subjects' addresses."""
    known = {p["postcode"] for p in truth["locations"] if p.get("postcode")}
    compact = {c.replace(" ", ""): c for c in known}
    out: dict[Key, list[str]] = {}
    for report in reports:
        fields = [report.narrative] + [str(loc.get("postcode") or "") for loc in report.locations]
        fields += [str(s.get("address") or "") for s in report.subjects]
        found = []
        for text in fields:
            squeezed = text.upper().replace(" ", "")
            found += [code for c, code in compact.items() if c in squeezed]
        if found:
            out[report.key] = sorted(set(found))
    return out


def score(
    extractions: dict[Key, Extraction],
    truth: dict[str, Any],
    postcodes: dict[Key, list[str]] | None = None,
) -> dict[str, Any]:
    """Figures for one town, with counts, and a sample of what was missed."""
    tally: Counter[str] = Counter()
    missed: dict[str, list[str]] = defaultdict(list)

    def hit(kind: str, ok: bool, what: str) -> None:
        tally[f"{kind}.total"] += 1
        tally[f"{kind}.hit"] += ok
        if not ok and len(missed[kind]) < 40:
            missed[kind].append(what)

    truth_people: dict[Key, list[dict[str, Any]]] = defaultdict(list)
    for m in truth["mentions"]:
        truth_people[(m["agency"], m["report_id"])].append(m)
    for key, ex in extractions.items():
        spans = [_span_of(p) for p in ex.people]
        wanted = truth_people.get(key, [])
        for m in wanted:
            hit(
                "person_recall",
                any(s.overlaps(_span(m)) for s in spans),
                f"{key[1]} {m['field']} {m['text']!r}",
            )
        for person, span in zip(ex.people, spans, strict=True):
            hit(
                "person_precision",
                any(span.overlaps(_span(m)) for m in wanted),
                f"{key[1]} {span.source} {person.text!r}",
            )
    for phone in truth["phones"]:
        for m in phone["mentions"]:
            found_in = extractions.get((m["agency"], m["report_id"]))
            ok = found_in is not None and any(
                p.number == phone["number"] and _span_of(p).overlaps(_span(m))
                for p in found_in.phones
            )
            hit("phones", ok, f"{m['report_id']} {m['text']!r}")
    for vehicle in truth["vehicles"]:
        for m in vehicle["mentions"]:
            found_in = extractions.get((m["agency"], m["report_id"]))
            if m.get("partial"):
                # partial marks and cars described without a mark
                found = found_in is not None and any(
                    _span_of(v).overlaps(_span(m)) for v in found_in.vehicles
                )
                hit("partial_vehicles", found, f"{m['report_id']} {m['text']!r}")
                continue
            ok = found_in is not None and any(
                v.vrm == vehicle["vrm"] and _span_of(v).overlaps(_span(m))
                for v in found_in.vehicles
            )
            hit("full_plates", ok, f"{m['report_id']} {m['text']!r}")
    for place in truth["locations"]:
        for m in place["mentions"]:
            found_in = extractions.get((m["agency"], m["report_id"]))
            if found_in is None:
                continue
            found = any(_span_of(p).overlaps(_span(m)) for p in found_in.locations)
            hit("places", found, f"{m['report_id']} {m['field']} {m['text']!r}")
    # every postcode written in a report (narrative or structured field)
    for key, written in (postcodes or {}).items():
        got_ex = extractions.get(key)
        got = (
            {p.postcode for p in got_ex.locations} | {p.postcode for p in got_ex.people}
            if got_ex
            else set()
        )
        for code in written:
            hit("postcodes", code in got, f"{key[1]} {code}")
    by_mention = _mention_people(extractions, truth)
    for report in truth["reports"]:
        key = (report["agency"], report["report_id"])
        report_ex = extractions.get(key)
        if report_ex is None:
            continue
        for item in report.get("indicators", []):
            span = _span(item)
            signals = [
                i for i in report_ex.indicators if i.code == item["code"] and i.span.overlaps(span)
            ]
            hit(
                "indicators",
                bool(signals),
                f"{key[1]} {item['code']} {item['start']}-{item['end']}",
            )
            if signals:
                hit(
                    "indicator_child",
                    any(by_mention.get(i.child or "") == item["person_id"] for i in signals),
                    f"{key[1]} {item['code']}",
                )
        for item in report.get("disclosures", []):
            span = _span(item)
            told = [
                d for d in report_ex.disclosures if d.act == item["act"] and d.span.overlaps(span)
            ]
            hit("disclosures", bool(told), f"{key[1]} {item['act']} {item['start']}-{item['end']}")
            if told:
                hit(
                    "disclosure_victim",
                    any(by_mention.get(d.victim or "") == item["victim"] for d in told),
                    f"{key[1]} {item['act']}",
                )
        truth_acts = report.get("disclosures", [])
        for d in report_ex.disclosures:
            hit(
                "disclosure_precision",
                any(d.act == t["act"] and d.span.overlaps(_span(t)) for t in truth_acts),
                f"{key[1]} {d.act} {d.text!r}",
            )
    figures: dict[str, Any] = {}
    for name in sorted({k.split(".")[0] for k in tally}):
        total = tally[f"{name}.total"]
        figures[name] = {
            "score": round(tally[f"{name}.hit"] / total, 4) if total else None,
            "n": total,
        }
    figures["missed"] = {k: v for k, v in missed.items()}
    return figures


def _mention_people(extractions: dict[Key, Extraction], truth: dict[str, Any]) -> dict[str, str]:
    """Each extracted person mention's true person, where a truth mention overlaps it."""
    truth_people: dict[Key, list[dict[str, Any]]] = defaultdict(list)
    for m in truth["mentions"]:
        truth_people[(m["agency"], m["report_id"])].append(m)
    out: dict[str, str] = {}
    for key, ex in extractions.items():
        for person in ex.people:
            span = _span_of(person)
            for m in truth_people.get(key, []):
                if span.overlaps(_span(m)):
                    out[person.mention_id] = m["person_id"]
                    break
    return out
