"""Dates as reports write them, absolute ("12/04/2011", "12th April 2011",
"April 2011") or relative to the report's date ("yesterday", "last Friday",
"three weeks ago", "14 years ago"), resolved to a calendar date."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date, timedelta

from lantern.types.age import number

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAYS = [d.lower() for d in calendar.day_name]

NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b")
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}\b\.?(?:,?\s+(\d{{4}}))?", re.I
)
MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)
MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{4}})\b", re.I)
AGO = re.compile(
    r"\b(\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)\s+"
    r"(day|week|month|year|night)s?\s+ago\b",
    re.I,
)
NAMED = re.compile(
    r"\b(yesterday|today|tonight|this (?:morning|afternoon|evening)|last night|"
    r"the (?:night|day) before|last (?:week|month|year|weekend)|"
    rf"(?:last|on|this|on the)\s+(?:{'|'.join(_DAYS)})(?: (?:night|morning|afternoon|evening))?)\b",
    re.I,
)
_UNITS = {"day": 1, "night": 1, "week": 7}


def find(text: str, today: date) -> Iterator[tuple[int, int, date | None, bool]]:
    """(start, end, date, relative) for each date written in ``text``;
    relative dates are resolved against ``today`` (the report's date)."""
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(s < b and a < e for a, b in taken)

    for pattern, reader, relative in (
        (ISO, _iso, False),
        (NUMERIC, _numeric, False),
        (DAY_MONTH, _day_month, False),
        (MONTH_DAY, _month_day, False),
        (MONTH_YEAR, _month_year, False),
        (AGO, _ago, True),
        (NAMED, _named, True),
    ):
        for match in pattern.finditer(text):
            if not free(match.start(), match.end()):
                continue
            value = reader(match, today)
            if value is None and not relative:
                continue
            taken.append((match.start(), match.end()))
            yield match.start(), match.end(), value, relative


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(raw: str | None, today: date, month: int, day: int) -> int:
    if raw:
        year = int(raw)
        return (
            year + 2000
            if year < 100 and year <= today.year % 100
            else year + 1900
            if year < 100
            else year
        )
    # no year written: the latest such day on or before the report's date
    return today.year if (month, day) <= (today.month, today.day) else today.year - 1


def _iso(m: re.Match[str], today: date) -> date | None:
    return _safe(int(m[1]), int(m[2]), int(m[3]))


def _numeric(m: re.Match[str], today: date) -> date | None:
    day, month = int(m[1]), int(m[2])  # British order: day/month/year
    return _safe(_year(m[3], today, month, day), month, day)


def _day_month(m: re.Match[str], today: date) -> date | None:
    day, month = (
        int(m[1]),
        _MONTHS[m[2].lower().rstrip(".")[:3] if m[2].lower() != "sept" else "sep"],
    )
    return _safe(_year(m[3], today, month, day), month, day)


def _month_day(m: re.Match[str], today: date) -> date | None:
    month, day = _MONTHS[m[1].lower()[:3]], int(m[2])
    return _safe(_year(m[3], today, month, day), month, day)


def _month_year(m: re.Match[str], today: date) -> date | None:
    return _safe(int(m[2]), _MONTHS[m[1].lower()[:3]], 1)


def _ago(m: re.Match[str], today: date) -> date | None:
    count = 1 if m[1].lower() in ("a", "an") else number(m[1])
    if count is None:
        return None
    unit = m[2].lower()
    if unit in _UNITS:
        return today - timedelta(days=count * _UNITS[unit])
    if unit == "month":
        months = today.year * 12 + today.month - 1 - count
        year, month = divmod(months, 12)
        return _safe(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))
    return _safe(
        today.year - count, today.month, min(today.day, 28 if today.month == 2 else today.day)
    )


def _named(m: re.Match[str], today: date) -> date | None:
    words = m[1].lower().split()
    if words[0] in ("today", "tonight", "this") and words[-1] not in _DAYS:
        return today
    if words[0] in ("yesterday",) or words[:2] in (
        ["last", "night"],
        ["the", "night"],
        ["the", "day"],
    ):
        return today - timedelta(days=1)
    if words[:2] == ["last", "week"] or words[:2] == ["last", "weekend"]:
        return today - timedelta(days=7 if words[1] == "week" else (today.weekday() + 2) % 7 or 7)
    if words[:2] == ["last", "month"]:
        return _ago(re.match(r"(a) (month)", "a month"), today)  # type: ignore[arg-type]
    if words[:2] == ["last", "year"]:
        return _safe(today.year - 1, today.month, min(today.day, 28))
    day_name = next((w for w in words if w in _DAYS), None)
    if day_name is None:
        return None
    back = (today.weekday() - _DAYS.index(day_name)) % 7
    if words[0] == "last" and back == 0:
        back = 7
    return today - timedelta(days=back)
