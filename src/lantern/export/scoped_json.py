"""The JSON export (``json_export``) as one user may see it, or narrowed to
one group or person: the interchange document with every entry the picture
(``export.picture``) leaves out removed, and each entry's mentions and
reports kept only where they come from a report in the picture."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from lantern.export import picture as pic

ENTITY_SECTIONS = {
    "people": "person_id",
    "vehicles": "vehicle_id",
    "phones": "phone_id",
    "locations": "location_id",
}


def narrow_document(engine: Engine, doc: dict[str, Any], **options: Any) -> dict[str, Any]:
    """``doc`` (``json_export.build``) keeping only what the picture for
    ``options`` (user, group, person, as_of, reason) holds."""
    found = pic.load_for(engine, options)
    keys = set(found.reports)
    out = dict(doc)
    out["reports"] = [r for r in doc.get("reports", []) if f"{r['agency']}/{r['id']}" in keys]
    for section, id_field in ENTITY_SECTIONS.items():
        kept = []
        for entry in doc.get(section, []):
            node = found.nodes.get(entry.get(id_field))
            if node is None:
                continue
            entry = dict(entry)
            entry["mentions"] = [
                m
                for m in entry.get("mentions", [])
                if f"{m.get('agency')}/{m.get('report_id')}" in keys
            ]
            if section == "people":
                entry["names"] = list(node.data.get("names") or [node.label])
                for kind, score in (("risk", node.risk), ("priority", node.priority)):
                    if score is None:
                        entry.pop(kind, None)
                    elif isinstance(entry.get(kind), dict):
                        entry[kind] = _visible_reports(entry[kind], keys)
            kept.append(entry)
        out[section] = kept
    out["groups"] = [
        {**g, **_group_parts(found, g["group_id"])}
        for g in doc.get("groups", [])
        if g.get("group_id") in found.nodes
    ]
    out["alerts"] = [
        _visible_reports(a, keys) for a in doc.get("alerts", []) if _alert_visible(a, found)
    ]
    alert_ids = {f"alert:{a.get('alert_id')}" for a in out["alerts"]}
    out["actions"] = [a for a in doc.get("actions", []) if _action_visible(a, found, alert_ids)]
    out["exported_by"] = found.exporter
    out["scope"] = found.scope
    return out


def _visible_reports(entry: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    """The entry with its ``reports`` list keeping only reports in the picture."""
    if not isinstance(entry.get("reports"), list):
        return entry
    return {**entry, "reports": [k for k in entry["reports"] if str(k) in keys]}


def _group_parts(found: pic.Picture, group_id: str) -> dict[str, Any]:
    node = found.nodes[group_id]
    parts: dict[str, Any] = {part: list(node.data.get(part) or []) for part in pic.GROUP_PARTS}
    parts["report_keys"] = list(node.reports)
    parts["reports"] = len(node.reports)
    parts["agencies"] = len(node.agencies)
    return parts


def _alert_visible(alert: dict[str, Any], found: pic.Picture) -> bool:
    """An alert whose reports (or, with none listed, whose report subjects)
    the picture holds; narrowed, also about someone or something in it."""
    reports = [str(k) for k in alert.get("reports") or []]
    subjects = [str(s) for s in alert.get("subjects") or []]
    report_subjects = [s for s in subjects if "/" in s and ":" not in s]
    evidence = reports or report_subjects
    if evidence and not any(k in found.reports for k in evidence):
        return False
    if found.scope == "all":
        return True
    return any(s in found.nodes or s in found.reports for s in subjects)


def _action_visible(action: dict[str, Any], found: pic.Picture, alert_ids: set[str]) -> bool:
    source = str(action.get("source") or "")
    if source.startswith("alert:"):
        return source in alert_ids
    if source.startswith("report:"):
        return source.removeprefix("report:") in found.reports
    if source in found.nodes:
        return True
    return found.scope == "all" and ":" not in source
