"""Validation of one incoming report against the interchange spec (section 1).

``validate`` returns the Report or raises ``Invalid`` with every problem found,
each naming the field. Unknown fields are kept.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from lantern.domain import Report
from lantern.domain.grading import HANDLING_CODES, INTELLIGENCE_ASSESSMENT, SOURCE_EVALUATION
from lantern.domain.report import AGENCY_TYPES, LINK_KINDS, SUBJECT_ROLES

MAX_NARRATIVE = 1_000_000  # characters; a longer document belongs in a linked file
MAX_FIELD = 20_000  # characters for any other text field
AGENCY_CODE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


class Invalid(ValueError):
    """A report that cannot be taken, with every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def validate(body: Any) -> Report:
    problems: list[str] = []
    if not isinstance(body, dict):
        raise Invalid([f"a report must be a JSON object, not {_type(body)}"])
    for name in ("id", "agency", "received_at", "narrative"):
        if name not in body or body[name] is None or body[name] == "":
            problems.append(f"{name}: required field is missing")
    _text(body, "id", problems, limit=200)
    _text(body, "agency", problems, limit=100)
    if (
        isinstance(body.get("agency"), str)
        and body["agency"]
        and not AGENCY_CODE.match(body["agency"])
    ):
        problems.append(
            f"agency: {body['agency']!r} is not a short code (lower-case letters, digits, '-', '.', '_')"
        )
    _text(body, "narrative", problems, limit=MAX_NARRATIVE)
    if isinstance(body.get("received_at"), str):
        _timestamp(body["received_at"], "received_at", problems)
    elif "received_at" in body and body["received_at"] is not None:
        problems.append(
            f"received_at: must be an ISO 8601 time string, not {_type(body['received_at'])}"
        )
    _choice(body, "agency_type", AGENCY_TYPES, problems)
    _text(body, "channel", problems, limit=60)
    _occurred(body.get("occurred_at"), problems)
    _reporter(body.get("reporter"), problems)
    _grading(body.get("grading"), problems)
    refs = _structured(body, problems)
    _links(body.get("links"), refs, problems)
    _no_nul(body, "", problems)
    if problems:
        raise Invalid(problems)
    return Report.from_body(body)


def _type(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true/false",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _text(body: dict[str, Any], name: str, problems: list[str], limit: int = MAX_FIELD) -> None:
    value = body.get(name)
    if value is None:
        return
    if not isinstance(value, str):
        problems.append(f"{name}: must be a string, not {_type(value)}")
    elif len(value) > limit:
        problems.append(f"{name}: is {len(value):,} characters long; the limit is {limit:,}")


def _choice(
    body: dict[str, Any], name: str, allowed: tuple[str, ...], problems: list[str], where: str = ""
) -> None:
    value = body.get(name)
    if value is None:
        return
    if value not in allowed:
        problems.append(f"{where}{name}: {value!r} is not one of {', '.join(allowed)}")


def _timestamp(value: str, where: str, problems: list[str]) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        problems.append(f"{where}: {value!r} is not a valid ISO 8601 time ({_why(value, exc)})")
        return None
    if moment.tzinfo is None:
        problems.append(f"{where}: {value!r} has no UTC offset (write e.g. {value}+00:00)")
        return None
    return moment


def _why(value: str, exc: ValueError) -> str:
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        try:
            date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError as inner:
            return f"no such date: {inner}"
    return str(exc)


def _date_or_time(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, str):
        problems.append(f"{where}: must be a date or time string, not {_type(value)}")
        return
    if len(value) == 10:
        try:
            date.fromisoformat(value)
        except ValueError as exc:
            problems.append(f"{where}: {value!r} is not a valid date ({_why(value, exc)})")
        return
    _timestamp(value, where, problems)


def _occurred(value: Any, problems: list[str]) -> None:
    if value is None:
        return
    if isinstance(value, dict):
        if not value.keys() <= {"start", "end"} or not value:
            problems.append("occurred_at: an object must have 'start' and/or 'end' only")
        for key in ("start", "end"):
            if key in value and value[key] is not None:
                _date_or_time(value[key], f"occurred_at.{key}", problems)
        return
    _date_or_time(value, "occurred_at", problems)


def _reporter(value: Any, problems: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        problems.append(f"reporter: must be an object, not {_type(value)}")
        return
    for key in ("role", "name", "contact"):
        if key in value and value[key] is not None and not isinstance(value[key], str):
            problems.append(f"reporter.{key}: must be a string, not {_type(value[key])}")
    if "anonymous" in value and not isinstance(value["anonymous"], bool):
        problems.append("reporter.anonymous: must be true or false")


def _grading(value: Any, problems: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        problems.append(f"grading: must be an object, not {_type(value)}")
        return
    checks = (
        ("source", SOURCE_EVALUATION),
        ("intelligence", INTELLIGENCE_ASSESSMENT),
        ("handling", HANDLING_CODES),
    )
    for key, allowed in checks:
        item = value.get(key)
        if item is None:
            continue
        if isinstance(item, int) and not isinstance(item, bool):
            item = str(item)
            value[key] = item
        if item not in allowed:
            problems.append(f"grading.{key}: {item!r} is not one of {'|'.join(allowed)}")
    if value.get("handling") == "C" and not value.get("conditions"):
        problems.append("grading.conditions: handling code C needs its conditions recorded")


_SECTIONS: dict[str, tuple[str, ...]] = {
    "subjects": (
        "ref",
        "role",
        "name",
        "aliases",
        "dob",
        "age",
        "sex",
        "address",
        "phone",
        "identifiers",
        "description",
    ),
    "vehicles": ("ref", "vrm", "make", "model", "colour", "description"),
    "phones": ("ref", "number", "owner_ref"),
    "locations": ("ref", "name", "address", "postcode", "kind"),
}


def _structured(body: dict[str, Any], problems: list[str]) -> set[str]:
    refs: set[str] = set()
    for section in _SECTIONS:
        items = body.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(f"{section}: must be a list, not {_type(items)}")
            continue
        for i, item in enumerate(items):
            where = f"{section}[{i}]"
            if not isinstance(item, dict):
                problems.append(f"{where}: must be an object, not {_type(item)}")
                continue
            ref = item.get("ref")
            if ref is not None:
                if not isinstance(ref, str | int) or isinstance(ref, bool):
                    problems.append(f"{where}.ref: must be a string")
                else:
                    refs.add(str(ref))
            for key in (
                "name",
                "address",
                "vrm",
                "make",
                "model",
                "colour",
                "description",
                "number",
                "postcode",
                "kind",
                "sex",
                "phone",
                "owner_ref",
            ):
                if key in item and item[key] is not None and not isinstance(item[key], str):
                    problems.append(f"{where}.{key}: must be a string, not {_type(item[key])}")
            if section == "subjects":
                _subject(item, where, problems)
    return refs


def _subject(item: dict[str, Any], where: str, problems: list[str]) -> None:
    _choice(item, "role", SUBJECT_ROLES, problems, where=f"{where}.")
    age = item.get("age")
    if age is not None and (
        isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 120
    ):
        problems.append(f"{where}.age: must be a whole number of years from 0 to 120, not {age!r}")
    dob = item.get("dob")
    if dob is not None:
        if not isinstance(dob, str):
            problems.append(f"{where}.dob: must be a date string, not {_type(dob)}")
        else:
            try:
                date.fromisoformat(dob)
            except ValueError as exc:
                problems.append(f"{where}.dob: {dob!r} is not a valid date ({_why(dob, exc)})")
    aliases = item.get("aliases")
    if aliases is not None and (
        not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases)
    ):
        problems.append(f"{where}.aliases: must be a list of strings")
    identifiers = item.get("identifiers")
    if identifiers is not None and (
        not isinstance(identifiers, list)
        or not all(
            isinstance(x, dict)
            and isinstance(x.get("kind"), str)
            and isinstance(x.get("value"), str)
            for x in identifiers
        )
    ):
        problems.append(f"{where}.identifiers: must be a list of {{kind, value}} strings")


def _links(value: Any, refs: set[str], problems: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        problems.append(f"links: must be a list, not {_type(value)}")
        return
    for i, link in enumerate(value):
        where = f"links[{i}]"
        if not isinstance(link, dict):
            problems.append(f"{where}: must be an object, not {_type(link)}")
            continue
        _choice(link, "kind", LINK_KINDS, problems, where=f"{where}.")
        if link.get("kind") is None:
            problems.append(f"{where}.kind: required")
        for end in ("from", "to"):
            ref = link.get(end)
            if ref is None:
                problems.append(f"{where}.{end}: required")
            elif str(ref) not in refs:
                problems.append(
                    f"{where}.{end}: {ref!r} is not the ref of any subject, vehicle, phone or location"
                )


def _no_nul(value: Any, where: str, problems: list[str]) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            problems.append(f"{where or 'text'}: contains a NUL character (\\u0000)")
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_nul(item, f"{where}.{key}" if where else str(key), problems)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _no_nul(item, f"{where}[{i}]", problems)
