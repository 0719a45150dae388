"""Reviewers' corrections of what extraction read. A correction is a decision
(kind ``correct-extraction``), stored with its audit row, and it always wins
over the extractor: the extraction stage applies every correction on top of
the extractor's output, also after a report is read again.

Subjects and payloads:

- ``mention:<mention_id>`` with ``{"remove": true}``: not a mention; it and
  its links, indicators and disclosures that point at it go.
- ``mention:<mention_id>`` with fields (``{"role": "suspect"}``,
  ``{"vrm": "YX51KDA", "partial": false}``…): the item as corrected.
- ``report:<agency>/<id>`` with ``{"add": {"kind": "indicator", …}}``: an
  item the extractor missed (``kind`` one of person, vehicle, phone,
  location, date, indicator, disclosure, link).
- ``report:<agency>/<id>`` with ``{"remove": {"kind": "indicator"|"disclosure",
  "code"|"act": …, "start": …}}``: a wrong indicator or disclosure.
- ``report:<agency>/<id>`` with the web form's ``{"mention_id", "correction":
  "role"|"not-a-mention", "role"}``.

Later decisions about the same item are applied after earlier ones.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from lantern import clock
from lantern.domain import (
    DateMention,
    DecisionKind,
    Disclosure,
    Extraction,
    Indicator,
    LocationMention,
    PersonMention,
    PhoneMention,
    StatedLink,
    VehicleMention,
)
from lantern.store import audit
from lantern.store.schema import decisions

KIND = DecisionKind.CORRECT_EXTRACTION.value
_LISTS: dict[str, tuple[str, Any]] = {
    "person": ("people", PersonMention),
    "vehicle": ("vehicles", VehicleMention),
    "phone": ("phones", PhoneMention),
    "location": ("locations", LocationMention),
    "date": ("dates", DateMention),
    "indicator": ("indicators", Indicator),
    "disclosure": ("disclosures", Disclosure),
    "link": ("links", StatedLink),
}
_MENTION_LISTS = ("people", "vehicles", "phones", "locations", "dates")

Key = tuple[str, str]


def record_correction(
    conn: Connection,
    *,
    subject: str,
    payload: dict[str, Any],
    actor: str,
    reason: str | None = None,
) -> int:
    """Stores a correction and its audit row in the caller's transaction;
    returns the decision's pk. ``subject`` is ``mention:<mention_id>`` or
    ``report:<agency>/<id>``."""
    if report_key(subject, payload) is None:
        raise ValueError(f"not a mention or report subject: {subject!r}")
    now = clock.now()
    inserted = conn.execute(
        decisions.insert().values(
            kind=KIND, subject=subject, actor=actor, made_at=now, payload=payload
        )
    ).inserted_primary_key
    pk = inserted[0] if inserted else 0
    audit.append(
        conn,
        [audit.Entry(actor, f"decision.{KIND}", subject, {"decision": pk, **payload}, reason)],
        at=now,
    )
    return int(pk)


def report_key(subject: str, payload: dict[str, Any] | None = None) -> Key | None:
    """The (agency, report id) a correction is about."""
    if subject.startswith("mention:"):
        ref = subject.removeprefix("mention:")
    elif subject.startswith("report:"):
        ref = subject.removeprefix("report:")
        ref = ref.split("#", 1)[0]
    else:
        return None
    ref = ref.split("#", 1)[0]
    if "/" not in ref:
        return None
    agency, report_id = ref.rsplit("/", 1)
    return agency, report_id


def load(conn: Connection, after: int = 0) -> dict[Key, list[tuple[int, str, dict[str, Any]]]]:
    """Every correction (pk, subject, payload) by report, oldest first; only
    those with pk > ``after`` when given."""
    rows = conn.execute(
        select(decisions.c.pk, decisions.c.subject, decisions.c.payload)
        .where(decisions.c.kind == KIND, decisions.c.pk > after)
        .order_by(decisions.c.pk)
    )
    out: dict[Key, list[tuple[int, str, dict[str, Any]]]] = defaultdict(list)
    for pk, subject, payload in rows:
        key = report_key(subject, payload)
        if key is not None:
            out[key].append((pk, subject, dict(payload or {})))
    return out


def apply(
    extraction: Extraction, corrections: Iterable[tuple[int, str, dict[str, Any]]]
) -> Extraction:
    """The extraction with every correction applied, in order."""
    for _pk, subject, payload in corrections:
        if subject.startswith("mention:"):
            extraction = _correct_mention(extraction, subject.removeprefix("mention:"), payload)
        elif "correction" in payload and payload.get("mention_id"):
            extraction = _web_form(extraction, payload)
        elif isinstance(payload.get("add"), dict):
            extraction = _add(extraction, payload["add"])
        elif isinstance(payload.get("remove"), dict):
            extraction = _remove_finding(extraction, payload["remove"])
    return extraction


def _web_form(extraction: Extraction, payload: dict[str, Any]) -> Extraction:
    mention = str(payload["mention_id"])
    if payload["correction"] == "not-a-mention":
        return _correct_mention(extraction, mention, {"remove": True})
    if payload["correction"] == "role" and payload.get("role"):
        return _correct_mention(extraction, mention, {"role": payload["role"]})
    return extraction


def _correct_mention(extraction: Extraction, mention: str, payload: dict[str, Any]) -> Extraction:
    if payload.get("remove"):
        changes: dict[str, Any] = {
            name: [m for m in getattr(extraction, name) if m.mention_id != mention]
            for name in _MENTION_LISTS
        }
        changes["links"] = [x for x in extraction.links if mention not in (x.source, x.target)]
        changes["indicators"] = [
            dataclasses.replace(i, child=None) if i.child == mention else i
            for i in extraction.indicators
        ]
        changes["disclosures"] = [
            dataclasses.replace(
                d,
                victim=None if d.victim == mention else d.victim,
                offenders=[o for o in d.offenders if o != mention],
            )
            for d in extraction.disclosures
        ]
        return dataclasses.replace(extraction, **changes)
    fields = {k: v for k, v in payload.items() if k not in ("kind", "mention_id", "remove")}
    for name in _MENTION_LISTS:
        items = getattr(extraction, name)
        for i, item in enumerate(items):
            if item.mention_id == mention:
                merged = {**item.to_dict(), **fields, "mention_id": mention}
                updated = list(items)
                updated[i] = type(item).from_dict(merged)
                changed: dict[str, Any] = {name: updated}
                return dataclasses.replace(extraction, **changed)
    return extraction


def _add(extraction: Extraction, item: dict[str, Any]) -> Extraction:
    kind = str(item.get("kind", ""))
    if kind not in _LISTS:
        return extraction
    name, cls = _LISTS[kind]
    fields = {k: v for k, v in item.items() if k != "kind"}
    fields.setdefault("span", {"start": 0, "end": 0, "source": "correction"})
    fields.setdefault("text", "")
    added = cls.from_dict(fields)
    kept = getattr(extraction, name)
    if hasattr(added, "mention_id"):
        kept = [m for m in kept if m.mention_id != added.mention_id]
    changes: dict[str, Any] = {name: [*kept, added]}
    return dataclasses.replace(extraction, **changes)


def _remove_finding(extraction: Extraction, target: dict[str, Any]) -> Extraction:
    kind = target.get("kind")
    if kind not in ("indicator", "disclosure"):
        return extraction
    name = _LISTS[kind][0]
    code_field = "code" if kind == "indicator" else "act"

    def matches(item: Any) -> bool:
        same_code = code_field not in target or getattr(item, code_field) == target[code_field]
        return same_code and ("start" not in target or item.span.start == target["start"])

    changes: dict[str, Any] = {name: [x for x in getattr(extraction, name) if not matches(x)]}
    return dataclasses.replace(extraction, **changes)
