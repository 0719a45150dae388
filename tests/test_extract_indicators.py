"""Risk indicators and the roles they give: a named hotel or takeaway is a cue
only about a child the report names."""

from __future__ import annotations

from lantern.domain import Extraction, Report
from lantern.extract import extract_report


def read(narrative: str) -> Extraction:
    body = {"id": "R1", "agency": "cbp", "received_at": "2011-04-20T12:00:00+01:00"}
    return extract_report(Report.from_body({**body, "narrative": narrative}), 1)


def roles(ex: Extraction) -> dict[str, str | None]:
    return {p.text: p.role for p in ex.people}


def test_a_dispute_at_a_takeaway_puts_no_adult_at_risk_and_makes_nobody_a_suspect() -> None:
    ex = read(
        "Verbal dispute at Pizza Palace between customer Abigail HARRISON and a member "
        "of staff, Matt, over an order. Words of advice given."
    )
    assert ex.indicators == []
    assert roles(ex) == {"Abigail HARRISON": "other", "Matt": "other"}


def test_a_child_seen_at_a_named_takeaway_is_at_risk() -> None:
    ex = read("Chloe Hall (14) was seen at Pizza Palace. A man she knows as 'Mo' took her there.")
    assert any(
        i.code == "hotels-takeaways-flats" and i.text == "Pizza Palace" for i in ex.indicators
    )
    assert roles(ex)["Chloe Hall (14)"] == "person-at-risk"
