"""Vehicles and phones by their normalised values, places by address, postcode,
name and area; a partial plate is a candidate link, never a merge."""

from __future__ import annotations

from lantern.domain import Extraction, LocationMention, PhoneMention, Span, VehicleMention
from lantern.resolve import objects
from lantern.types import vrm as vrm_type


def _report(n: int, **items: list) -> list[objects.ObjectMention]:
    ex = Extraction(agency="syp", report_id=f"R{n}", revision=1, extractor="test", **items)
    return objects.object_mentions(n, ex)


def _vehicle(mid: str, written: str) -> VehicleMention:
    mark, partial = vrm_type.normalise(written) or (None, False)
    return VehicleMention(mid, written, Span(0, len(written)), vrm=mark, partial=partial)


def _by_mention(resolved: objects.Resolved) -> dict[str, str]:
    return {m: e.entity_id for e in resolved.entities for m in e.mentions}


def test_one_vehicle_however_its_mark_is_written() -> None:
    mentions = _report(1, vehicles=[_vehicle("a", "YX51 KDA")]) + _report(
        2, vehicles=[_vehicle("b", "yx51kda")]
    )
    found = _by_mention(objects.resolve(mentions))
    assert found["a"] == found["b"]


def test_partial_plate_lists_every_vehicle_it_fits_and_merges_with_none() -> None:
    mentions = (
        _report(1, vehicles=[_vehicle("a", "YX51 KDA")])
        + _report(2, vehicles=[_vehicle("b", "YX55 KDA")])
        + _report(3, vehicles=[_vehicle("c", "AB12 CDE")])
        + _report(4, vehicles=[_vehicle("p", "*KDA")])
    )
    resolved = objects.resolve(mentions)
    found = _by_mention(resolved)
    assert len({found["a"], found["b"], found["c"], found["p"]}) == 4
    listed = {(c["mention_id"], c["entity_id"]) for c in resolved.candidates}
    assert listed == {("p", found["a"]), ("p", found["b"])}


def test_one_phone_per_number() -> None:
    mentions = _report(
        1, phones=[PhoneMention("a", "07700 900123", Span(0, 12), "+447700900123")]
    ) + _report(
        2,
        phones=[
            PhoneMention("b", "+44 7700 900123", Span(0, 15), "+447700900123"),
            PhoneMention("c", "07700 900999", Span(0, 12), "+447700900999"),
        ],
    )
    found = _by_mention(objects.resolve(mentions))
    assert found["a"] == found["b"] != found["c"]


def _place(mid: str, **kw: str | None) -> LocationMention:
    text = kw.get("name") or kw.get("address") or ""
    return LocationMention(mid, text, Span(0, len(text)), **kw)  # type: ignore[arg-type]


def test_places_join_by_address_and_by_name_in_the_same_area() -> None:
    mentions = (
        _report(
            1,
            locations=[
                _place("a", name="Star Pizza", address="12 Eastwood Rd", postcode="CB4 2QT")
            ],
        )
        + _report(2, locations=[_place("b", address="12 Eastwood Road, Calderbridge")])
        + _report(3, locations=[_place("c", name="Star Pizza", postcode="CB4 2QT")])
        + _report(4, locations=[_place("d", name="Star Pizza", postcode="CB9 1AA")])
    )
    found = _by_mention(objects.resolve(mentions))
    assert found["a"] == found["b"] == found["c"]
    assert found["d"] != found["a"]  # same name, another area: another branch


def test_a_named_place_with_no_area_joins_only_an_unambiguous_name() -> None:
    one = _report(1, locations=[_place("a", name="Star Pizza", postcode="CB4 2QT")]) + _report(
        2, locations=[_place("x", name="the Star Pizza")]
    )
    found = _by_mention(objects.resolve(one))
    assert found["a"] == found["x"]
    two = one + _report(3, locations=[_place("d", name="Star Pizza", postcode="CB9 1AA")])
    found = _by_mention(objects.resolve(two))
    assert found["x"] not in (found["a"], found["d"])


def test_a_place_only_ever_named_without_an_area_is_one_place() -> None:
    mentions = [
        m
        for n in range(3)
        for m in _report(n, locations=[_place(f"s{n}", name="Calderbridge Academy")])
    ]
    found = _by_mention(objects.resolve(mentions))
    assert found["s0"] == found["s1"] == found["s2"]


def test_flats_and_streets_are_places_of_their_own() -> None:
    mentions = (
        _report(1, locations=[_place("a", address="Flat 5, 22 Hope Street")])
        + _report(2, locations=[_place("b", address="Flat 5, 22 Hope St")])
        + _report(3, locations=[_place("c", address="Flat 5, 92 Queens Road")])
        + _report(4, locations=[_place("d", address="Flat 3, 22 Hope Street")])
        + _report(5, locations=[_place("e", address="Kirk Lane")])
        + _report(6, locations=[_place("f", address="Kirk Lane")])
        + _report(7, locations=[_place("g", address="Flat 5")])
        + _report(8, locations=[_place("h", address="Flat 5")])
    )
    found = _by_mention(objects.resolve(mentions))
    assert found["a"] == found["b"]
    assert len({found[m] for m in "acd"}) == 3
    assert found["e"] == found["f"]
    assert found["g"] != found["h"]  # a flat with no street is nowhere in particular
