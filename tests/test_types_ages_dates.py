"""Ages and dates as reports write them: "a 14 year old" is an age, "14 years
ago" a relative date resolved against the report's date."""

from __future__ import annotations

from datetime import date

from lantern.types import age, dates

TODAY = date(2011, 4, 20)  # a Wednesday


def test_ages_are_read_in_the_ways_reports_write_them() -> None:
    text = "a 14 year old girl, a man aged about 25, Jade (15), a 16-year-old, aged fourteen"
    assert [years for _, _, years in age.find(text)] == [14, 25, 15, 16, 14]


def test_years_ago_is_not_an_age() -> None:
    assert age.find("Fourteen years ago he was convicted; 14 years ago.") == []


def test_decades_give_a_rough_age() -> None:
    assert [y for _, _, y in age.find("a man in his late 30s")] == [38]


def test_age_on_a_day_counts_whole_years() -> None:
    assert age.on(date(1997, 4, 21), TODAY) == 13
    assert age.on(date(1997, 4, 20), TODAY) == 14


def test_absolute_dates_are_read_in_british_order() -> None:
    found = {t: v for t, v in _dates("on 03/04/2011, on 3rd March 2011, in April 2010, 2011-05-06")}
    assert found == {
        "03/04/2011": date(2011, 4, 3),
        "3rd March 2011": date(2011, 3, 3),
        "April 2010": date(2010, 4, 1),
        "2011-05-06": date(2011, 5, 6),
    }


def test_relative_dates_resolve_against_the_report_date() -> None:
    found = dict(_dates("Yesterday, last Friday, three weeks ago, 14 years ago, last night"))
    assert found == {
        "Yesterday": date(2011, 4, 19),
        "last Friday": date(2011, 4, 15),
        "three weeks ago": date(2011, 3, 30),
        "14 years ago": date(1997, 4, 20),
        "last night": date(2011, 4, 19),
    }


def test_a_day_and_month_without_a_year_is_the_last_one_before_the_report() -> None:
    assert dict(_dates("on 3 May")) == {"3 May": date(2010, 5, 3)}


def _dates(text: str) -> list[tuple[str, date | None]]:
    return [(text[s:e], v) for s, e, v, _ in dates.find(text, TODAY)]
