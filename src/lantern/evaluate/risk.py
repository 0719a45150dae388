"""Child risk: is every exploited child shown at medium or high risk, and few
others?

A child is matched to the system person most of their mentions went to; that
person's ``risk.level`` is Lantern's view of the child (``none`` when the child
was not matched or has no risk). Only children mentioned in a report in scope
are counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lantern.evaluate.align import Alignment, as_list, bare_id

AT_RISK = ("medium", "high")


def _levels(aligned: Alignment) -> dict[str, str]:
    levels = {}
    for person in as_list(aligned.export.get("people")):
        if isinstance(person, Mapping) and isinstance(person.get("risk"), Mapping):
            levels[bare_id(person.get("person_id"))] = str(person["risk"].get("level") or "none")
    return levels


def score(aligned: Alignment) -> dict[str, Any]:
    levels = _levels(aligned)
    if not levels:
        return {"score": None, "note": "no person in the export carries a risk level"}
    mentioned = {m.person_id for m in aligned.mentions}
    children = [
        (pid, bool(person.get("exploited")))
        for pid, person in aligned.people.items()
        if person.get("kind") == "child" and pid in mentioned
    ]
    exploited_found = exploited = others_flagged = others = 0
    missed = []
    for pid, is_exploited in children:
        level = levels.get(aligned.system_of.get(pid, ""), "none")
        flagged = level in AT_RISK
        if is_exploited:
            exploited += 1
            exploited_found += flagged
            if not flagged:
                missed.append(pid)
        else:
            others += 1
            others_flagged += flagged
    return {
        "recall": round(exploited_found / exploited, 4) if exploited else None,
        "false_positive_rate": round(others_flagged / others, 4) if others else None,
        "exploited_children": exploited,
        "exploited_at_medium_or_high": exploited_found,
        "other_children": others,
        "others_at_medium_or_high": others_flagged,
        "missed": sorted(missed),
    }
