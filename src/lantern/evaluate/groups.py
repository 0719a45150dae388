"""Groups: did Lantern find each group of offenders, with its members?

For each true group, the system group that best matches its members (highest
F1) is scored. A system group's members are read as the truth people most of
their mentions are; a system member that matches nobody counts against
precision. Only members mentioned in a report in scope can be found, so only
they are counted; a group whose first report came after the export's
``as_of`` is not yet scored. The adjusted Rand index compares, over offenders who are
mentioned, the true grouping with the system's (an offender in no group stands
alone). A group is "alerted" when any alert names one of its members (or a
system group holding one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lantern.evaluate.align import Alignment, as_list, bare_id, parse_time
from lantern.evaluate.clusters import adjusted_rand_index, prf

GOOD_F1 = 0.8


def system_groups(aligned: Alignment) -> list[Mapping[str, Any]]:
    return [
        g
        for g in as_list(aligned.export.get("groups"))
        if isinstance(g, Mapping) and g.get("group_id") is not None
    ]


def true_groups(aligned: Alignment) -> list[tuple[str, set[str]]]:
    """Groups whose first report was received by the export's ``as_of``
    and with a member mentioned in scope, with the members mentioned."""
    mentioned = {m.person_id for m in aligned.mentions}
    found = []
    for group in as_list(aligned.truth.get("groups")):
        first = group.get("first_report")
        began = parse_time(first.get("received_at")) if isinstance(first, Mapping) else None
        if aligned.as_of is not None and began is not None and began > aligned.as_of:
            continue
        members = {str(p) for p in as_list(group.get("members"))} & mentioned
        if members:
            found.append((str(group["group_id"]), members))
    return found


def naming_ids(aligned: Alignment, members: set[str]) -> set[str]:
    """Ids an alert may name to name one of ``members``: their system people
    and the system groups that hold one of them."""
    people = aligned.system_people_of(members)
    groups = {
        bare_id(g["group_id"])
        for g in system_groups(aligned)
        if people & {bare_id(p) for p in as_list(g.get("members"))}
    }
    return people | groups


def alerts(aligned: Alignment) -> list[Mapping[str, Any]]:
    return [a for a in as_list(aligned.export.get("alerts")) if isinstance(a, Mapping)]


def names_any(alert: Mapping[str, Any], ids: set[str]) -> bool:
    wanted = {bare_id(i) for i in ids}
    return any(bare_id(s) in wanted for s in as_list(alert.get("subjects")))


def _members_as_truth(aligned: Alignment, group: Mapping[str, Any]) -> set[Any]:
    return {
        aligned.truth_of.get(bare_id(p), ("nobody", bare_id(p)))
        for p in as_list(group.get("members"))
    }


def score(aligned: Alignment) -> dict[str, Any]:
    found = system_groups(aligned)
    truths = true_groups(aligned)
    if not found:
        return {"score": None, "note": "the export holds no groups", "true_groups": len(truths)}
    candidates = [(str(g["group_id"]), _members_as_truth(aligned, g)) for g in found]
    per_group = []
    for group_id, members in truths:
        best: dict[str, Any] = {"system_group": None, "precision": None, "recall": 0.0, "f1": 0.0}
        for system_id, mapped in candidates:
            overlap = len(mapped & members)
            scores = prf(overlap, len(mapped) - overlap, len(members) - overlap).as_dict()
            if overlap and scores["f1"] > best["f1"]:
                best = {"system_group": system_id, **scores}
        named = naming_ids(aligned, members)
        per_group.append(
            {
                "group_id": group_id,
                "members": len(members),
                **best,
                "alerted": any(names_any(a, named) for a in alerts(aligned)),
            }
        )
    good = sum(1 for g in per_group if g["f1"] >= GOOD_F1)
    return {
        "groups": per_group,
        "true_groups": len(truths),
        "system_groups": len(found),
        "share_f1_at_least_0_8": round(good / len(per_group), 4) if per_group else None,
        "adjusted_rand_index": _offender_ari(aligned, found),
        "alerted": sum(1 for g in per_group if g["alerted"]),
    }


def _offender_ari(aligned: Alignment, found: list[Mapping[str, Any]]) -> float | None:
    mentioned = {m.person_id for m in aligned.mentions}
    offenders = sorted(
        pid
        for pid, person in aligned.people.items()
        if person.get("kind") == "offender" and pid in mentioned
    )
    if len(offenders) < 2:
        return None
    group_of: dict[str, str] = {}
    for group in found:
        for member in as_list(group.get("members")):
            group_of.setdefault(bare_id(member), bare_id(group["group_id"]))
    truth: dict[str, Any] = {}
    system: dict[str, Any] = {}
    for pid in offenders:
        true_group = aligned.people[pid].get("group")
        truth[pid] = ("group", true_group) if true_group else ("alone", pid)
        system_group = group_of.get(aligned.system_of.get(pid, ""))
        system[pid] = ("group", system_group) if system_group else ("alone", pid)
    return round(adjusted_rand_index(truth, system), 4)
