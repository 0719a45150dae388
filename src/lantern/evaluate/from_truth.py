"""``export_from_truth``: the export a perfect Lantern would write for a
truth. It scores 1.0 everywhere, so it shows what the evaluator expects and
proves the evaluator against itself."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from lantern.evaluate.align import as_list, parse_time, report_key

PERFECT_VERSION = "truth"


def export_from_truth(truth: Mapping[str, Any]) -> dict[str, Any]:
    """An export (interchange spec section 2) that states exactly the truth,
    as of the end of the truth's period (or its last report)."""
    as_of = _as_of(truth)
    return {
        "generated_at": as_of,
        "as_of": as_of,
        "version": PERFECT_VERSION,
        "reports": [_report(r) for r in as_list(truth.get("reports"))],
        "people": _people(truth),
        "vehicles": _objects(truth, "vehicles", "vehicle_id"),
        "phones": _objects(truth, "phones", "phone_id"),
        "locations": _objects(truth, "locations", "location_id"),
        "groups": [_group(truth, g) for g in as_list(truth.get("groups"))],
        "alerts": _alerts(truth),
        "actions": [],
    }


def _as_of(truth: Mapping[str, Any]) -> str | None:
    period = truth.get("period")
    end = parse_time(period.get("end")) if isinstance(period, Mapping) else None
    if end is not None:
        return (end + timedelta(days=1) - timedelta(seconds=1)).isoformat()
    times = [t for r in as_list(truth.get("reports")) if (t := parse_time(r.get("received_at")))]
    return max(times).isoformat() if times else None


def _report(report: Mapping[str, Any]) -> dict[str, Any]:
    must = bool(report.get("must_record"))
    return {
        "agency": report["agency"],
        "id": report["report_id"],
        "received_at": report.get("received_at"),
        "recording": {
            "decision": "crime" if must else "no-crime",
            "offences": [
                {"code": None, "title": None, "act_section": o["act_section"]}
                for o in as_list(report.get("offences"))
            ]
            if must
            else [],
            "decided_at": report.get("received_at"),
            "within_24h": True,
        },
        "language_flags": [
            {"phrase": p["phrase"], "suggestion": None}
            for p in as_list(report.get("blaming_phrases"))
        ],
    }


def _people(truth: Mapping[str, Any]) -> list[dict[str, Any]]:
    mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in as_list(truth.get("mentions")):
        mentions[str(m["person_id"])].append(
            {
                "agency": m["agency"],
                "report_id": m["report_id"],
                "text": m["text"],
                "role": m.get("role"),
            }
        )
    people = []
    for person in as_list(truth.get("people")):
        pid = str(person["person_id"])
        if not mentions.get(pid):
            continue
        entry: dict[str, Any] = {
            "person_id": pid,
            "names": sorted({m["text"] for m in mentions[pid]}),
            "mentions": mentions[pid],
        }
        if person.get("kind") == "child":
            exploited = bool(person.get("exploited"))
            entry["risk"] = {
                "level": "high" if exploited else "none",
                "score": 1.0 if exploited else 0.0,
                "reasons": ["targeted by a group (truth)"] if exploited else [],
            }
        if person.get("kind") == "offender":
            entry["priority"] = {"score": 1.0, "reasons": ["offender (truth)"]}
        people.append(entry)
    return people


def _objects(truth: Mapping[str, Any], section: str, id_field: str) -> list[dict[str, Any]]:
    return [
        {
            id_field: obj[id_field],
            "mentions": [
                {"agency": m["agency"], "report_id": m["report_id"], "text": m["text"]}
                for m in as_list(obj.get("mentions"))
            ],
        }
        for obj in as_list(truth.get(section))
    ]


def _group(truth: Mapping[str, Any], group: Mapping[str, Any]) -> dict[str, Any]:
    members = set(as_list(group.get("members")))
    reports = {
        report_key(m) for m in as_list(truth.get("mentions")) if m.get("person_id") in members
    }
    first = group.get("first_report") or {}
    return {
        "group_id": group["group_id"],
        "members": list(group.get("members", [])),
        "victims": list(group.get("victims", [])),
        "places": list(group.get("places", [])),
        "vehicles": list(group.get("vehicles", [])),
        "first_seen": first.get("received_at"),
        "reports": len(reports),
        "agencies": len({agency for agency, _ in reports}),
    }


def _alerts(truth: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = []
    for group in as_list(truth.get("groups")):
        first = group.get("first_report") or {}
        found.append(
            {
                "alert_id": f"A-{group['group_id']}",
                "kind": "group",
                "raised_at": first.get("received_at"),
                "subjects": list(group.get("members", [])),
                "reasons": ["a group of offenders (truth)"],
                "status": "open",
            }
        )
    received = {report_key(r): r.get("received_at") for r in as_list(truth.get("reports"))}
    for n, case in enumerate(as_list(truth.get("survival_crimes")), start=1):
        found.append(
            {
                "alert_id": f"A-S{n}",
                "kind": "survival-crime-review",
                "raised_at": received.get(report_key(case)),
                "subjects": [case["person_id"]],
                "reasons": ["a child victim recorded as a suspect (truth)"],
                "status": "open",
            }
        )
    return found
