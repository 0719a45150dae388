"""Extraction scored against the hand-labelled narratives in
``tests/data/extract_labelled.yaml`` (awkward cases written by hand)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from lantern.domain import Extraction, Report, Span
from lantern.extract import extract_report

LABELLED = Path(__file__).parent / "data" / "extract_labelled.yaml"


@cache
def cases() -> list[dict[str, Any]]:
    return list(yaml.safe_load(LABELLED.read_text("utf-8"))["cases"])


def _report(case: dict[str, Any]) -> Report:
    received = case.get("received", date(2011, 4, 20))
    body = {
        "id": case["id"],
        "agency": "test",
        "received_at": datetime(received.year, received.month, received.day, 12).isoformat()
        + "+00:00",
        "narrative": case["narrative"],
        "subjects": case.get("subjects", []),
    }
    return Report.from_body(body)


@cache
def extraction(case_id: str) -> Extraction:
    case = next(c for c in cases() if c["id"] == case_id)
    return extract_report(_report(case), 1)


def _span(text: str, needle: str, nth: int = 1) -> Span:
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle))


def _spans(text: str, needle: str) -> list[Span]:
    out, start = [], text.find(needle)
    while start >= 0:
        out.append(Span(start, start + len(needle)))
        start = text.find(needle, start + 1)
    return out


def _mention_span(ex: Extraction, mention_id: str | None) -> Span | None:
    for person in ex.people:
        if person.mention_id == mention_id:
            return person.span
    return None


def _is(ex: Extraction, text: str, mention_id: str | None, needle: str) -> bool:
    span = _mention_span(ex, mention_id)
    return span is not None and any(span.overlaps(s) for s in _spans(text, needle))


class Tally:
    """Counts of expected, found and correct items per kind."""

    def __init__(self) -> None:
        self.expected: Counter[str] = Counter()
        self.found: Counter[str] = Counter()
        self.predicted: Counter[str] = Counter()
        self.precise: Counter[str] = Counter()
        self.misses: list[str] = []

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.expected[kind] if self.expected[kind] else 1.0

    def precision(self, kind: str) -> float:
        return self.precise[kind] / self.predicted[kind] if self.predicted[kind] else 1.0


def score(case: dict[str, Any], tally: Tally) -> None:
    ex = extraction(case["id"])
    text = case["narrative"]
    people = [p for p in ex.people if p.span.source == "narrative"]
    _score_people(case, text, people, tally)
    _score_values(case, text, ex, tally)
    _score_findings(case, text, ex, tally)


def _miss(tally: Tally, case: dict[str, Any], what: str) -> None:
    tally.misses.append(f"{case['id']}: {what}")


def _score_people(case: dict[str, Any], text: str, people: list, tally: Tally) -> None:  # type: ignore[type-arg]
    if "people" in case:
        wanted = [(p, _span(text, p["text"], p.get("nth", 1))) for p in case["people"]]
        for item, span in wanted:
            if item.get("optional"):
                continue
            tally.expected["people"] += 1
            match = next((p for p in people if p.span.overlaps(span)), None)
            if match is None:
                _miss(tally, case, f"person not found: {item['text']}")
                continue
            tally.found["people"] += 1
            for attr in ("role", "age", "sex"):
                if attr in item:
                    tally.expected[f"person.{attr}"] += 1
                    if getattr(match, attr) == item[attr]:
                        tally.found[f"person.{attr}"] += 1
                    else:
                        _miss(
                            tally,
                            case,
                            f"{item['text']}.{attr}={getattr(match, attr)!r}, want {item[attr]!r}",
                        )
        for person in people:
            tally.predicted["people"] += 1
            if any(person.span.overlaps(span) for _, span in wanted):
                tally.precise["people"] += 1
            else:
                _miss(tally, case, f"extra person: {person.text!r}")
    for needle in case.get("not_people", []):
        tally.expected["not_people"] += 1
        if any(any(p.span.overlaps(s) for s in _spans(text, needle)) for p in people):
            _miss(tally, case, f"read as a person: {needle!r}")
        else:
            tally.found["not_people"] += 1


def _score_values(case: dict[str, Any], text: str, ex: Extraction, tally: Tally) -> None:
    narrative = lambda items: [i for i in items if i.span.source == "narrative"]  # noqa: E731
    if "vehicles" in case:
        marks = [v for v in narrative(ex.vehicles) if v.vrm]
        for item in case["vehicles"]:
            tally.expected["vehicles"] += 1
            span = _span(text, item["text"])
            match = next((v for v in narrative(ex.vehicles) if v.span.overlaps(span)), None)
            ok = match is not None and all(
                getattr(match, k) == item[k]
                for k in ("vrm", "partial", "make", "model", "colour")
                if k in item
            )
            tally.found["vehicles"] += ok
            if not ok:
                _miss(tally, case, f"vehicle {item} got {match}")
        for mark in marks:
            tally.predicted["vehicles"] += 1
            if any(mark.span.overlaps(_span(text, i["text"])) for i in case["vehicles"]):
                tally.precise["vehicles"] += 1
            else:
                _miss(tally, case, f"extra vehicle {mark.text!r}")
    for item in case.get("phones", []):
        tally.expected["phones"] += 1
        ok = any(p.number == item["number"] for p in narrative(ex.phones))
        tally.found["phones"] += ok
        if not ok:
            _miss(tally, case, f"phone {item['text']}")
    if "postcodes" in case:
        got = {p.postcode for p in narrative(ex.locations) if p.postcode}
        want = set(case["postcodes"])
        tally.expected["postcodes"] += len(want)
        tally.found["postcodes"] += len(want & got)
        tally.predicted["postcodes"] += len(got)
        tally.precise["postcodes"] += len(want & got)
        if got != want:
            _miss(tally, case, f"postcodes {got} want {want}")
    for item in case.get("places", []):
        tally.expected["places"] += 1
        span = _span(text, item["text"])
        ok = any(
            p.span.overlaps(span) and p.place_kind == item["kind"] for p in narrative(ex.locations)
        )
        tally.found["places"] += ok
        if not ok:
            _miss(tally, case, f"place {item}")
    for item in case.get("dates", []):
        tally.expected["dates"] += 1
        span = _span(text, item["text"])
        ok = any(d.span.overlaps(span) and d.value == item["value"] for d in ex.dates)
        tally.found["dates"] += ok
        if not ok:
            _miss(tally, case, f"date {item} got {[(d.text, d.value) for d in ex.dates]}")


def _score_findings(case: dict[str, Any], text: str, ex: Extraction, tally: Tally) -> None:
    if "indicators" in case:
        for item in case["indicators"]:
            tally.expected["indicators"] += 1
            ok = any(
                i.code == item["code"]
                and ("child" not in item or _is(ex, text, i.child, item["child"]))
                for i in ex.indicators
            )
            tally.found["indicators"] += ok
            if not ok:
                _miss(
                    tally, case, f"indicator {item} got {[(i.code, i.text) for i in ex.indicators]}"
                )
        if not case["indicators"]:
            tally.expected["no_indicators"] += 1
            tally.found["no_indicators"] += not ex.indicators
            if ex.indicators:
                _miss(
                    tally, case, f"unwanted indicators {[(i.code, i.text) for i in ex.indicators]}"
                )
    for code in case.get("not_indicators", []):
        tally.expected["no_indicators"] += 1
        ok = all(i.code != code for i in ex.indicators)
        tally.found["no_indicators"] += ok
        if not ok:
            _miss(tally, case, f"unwanted indicator {code}")
    if "disclosures" in case:
        for item in case["disclosures"]:
            tally.expected["disclosures"] += 1
            match = next(
                (
                    d
                    for d in ex.disclosures
                    if d.act == item["act"] and _is(ex, text, d.victim, item["victim"])
                ),
                None,
            )
            tally.found["disclosures"] += match is not None
            if match is None:
                _miss(
                    tally,
                    case,
                    f"disclosure {item} got {[(d.act, d.text, d.victim) for d in ex.disclosures]}",
                )
                continue
            for fact, value in item.items():
                if fact in ("act", "victim"):
                    continue
                tally.expected["disclosure_facts"] += 1
                if getattr(match, fact) == value:
                    tally.found["disclosure_facts"] += 1
                else:
                    _miss(tally, case, f"disclosure {item['act']}.{fact}={getattr(match, fact)!r}")
        if not case["disclosures"]:
            tally.expected["no_disclosures"] += 1
            tally.found["no_disclosures"] += not ex.disclosures
            if ex.disclosures:
                _miss(
                    tally, case, f"unwanted disclosures {[(d.act, d.text) for d in ex.disclosures]}"
                )
    for act in case.get("not_acts", []):
        tally.expected["no_disclosures"] += 1
        ok = all(d.act != act for d in ex.disclosures)
        tally.found["no_disclosures"] += ok
        if not ok:
            _miss(tally, case, f"unwanted act {act}")
    for item in case.get("links", []):
        tally.expected["links"] += 1
        ok = any(
            link.link_kind == item["kind"] and _is(ex, text, link.source, item["source"])
            for link in ex.links
        )
        tally.found["links"] += ok
        if not ok:
            _miss(tally, case, f"link {item}")


@cache
def tally() -> Tally:
    result = Tally()
    for case in cases():
        score(case, result)
    return result


def test_the_labelled_set_has_at_least_sixty_narratives() -> None:
    assert len(cases()) >= 60
    assert len({c["id"] for c in cases()}) == len(cases())


# Thresholds for the hand-labelled set: awkward cases by design, so a little
# lower than on the simulator's town.
@pytest.mark.parametrize(
    ("kind", "recall"),
    [
        ("people", 0.9),
        ("not_people", 0.9),
        ("vehicles", 0.9),
        ("phones", 1.0),
        ("postcodes", 1.0),
        ("places", 0.85),
        ("dates", 0.9),
        ("indicators", 0.9),
        ("disclosures", 0.9),
        ("no_disclosures", 1.0),
        ("no_indicators", 0.9),
        ("links", 0.75),
    ],
)
def test_labelled_recall(kind: str, recall: float) -> None:
    result = tally()
    assert result.expected[kind] > 0
    misses = [m for m in result.misses if kind.rstrip("s").split("_")[-1] in m]
    assert result.recall(kind) >= recall, "\n".join(misses)


@pytest.mark.parametrize(
    ("kind", "precision"), [("people", 0.85), ("vehicles", 0.9), ("postcodes", 1.0)]
)
def test_labelled_precision(kind: str, precision: float) -> None:
    result = tally()
    assert result.precision(kind) >= precision, "\n".join(m for m in result.misses if "extra" in m)


@pytest.mark.parametrize(
    ("attr", "accuracy"), [("person.age", 0.9), ("person.role", 0.8), ("disclosure_facts", 0.85)]
)
def test_labelled_attributes(attr: str, accuracy: float) -> None:
    result = tally()
    assert result.recall(attr) >= accuracy, "\n".join(result.misses)


if __name__ == "__main__":
    result = tally()
    for kind in sorted(result.expected):
        print(
            f"{kind:18} recall {result.recall(kind):.3f} ({result.found[kind]}/{result.expected[kind]})"
            + (f"  precision {result.precision(kind):.3f}" if result.predicted[kind] else "")
        )
    print("\n".join(result.misses))
