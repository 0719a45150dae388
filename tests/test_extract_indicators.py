"""Risk indicators and the roles they give: a named hotel or takeaway is a cue
only about a child the report names."""

from __future__ import annotations

from datetime import date

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


def _missing_on(body: dict[str, str]) -> dict[str, date | None]:
    base = {"id": "R1", "agency": "cbp", "received_at": "2014-07-09T12:00:00+01:00"}
    ex = extract_report(Report.from_body({**base, **body}), 1)
    return {p.text: p.missing_on for p in ex.people}


def test_the_day_a_child_went_missing_is_read_from_the_episode_or_the_report() -> None:
    # a return interview says which episode it follows
    interview = _missing_on(
        {
            "occurred_at": "2014-07-08",
            "narrative": "Return home interview with Abi (12) following her missing "
            "episode on 6 July 2014. She said she had been at a flat with friends.",
        }
    )
    assert interview["Abi (12)"] == date(2014, 7, 6)
    # a missing-person report is made for the day the child went
    report = _missing_on(
        {
            "occurred_at": "2014-07-06",
            "narrative": "Abigail SHELSARD (12) reported missing by her mother Emma "
            "SHELSARD at 21:40.",
        }
    )
    assert report["Abigail SHELSARD (12)"] == date(2014, 7, 6)
    assert report["her mother Emma SHELSARD"] is None
    # a date further on is another matter: the report's own day
    later = _missing_on(
        {
            "occurred_at": "2014-07-06",
            "narrative": "Abigail SHELSARD (12) has gone missing. She was seen on 2 July 2014.",
        }
    )
    assert later["Abigail SHELSARD (12)"] == date(2014, 7, 6)
    # no episode, no day
    assert set(
        _missing_on({"narrative": "Abigail SHELSARD (12) was seen in the park."}).values()
    ) == {None}
