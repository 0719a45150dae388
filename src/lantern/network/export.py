"""The network's part of the JSON export (interchange spec, section 2):
``groups`` and ``alerts`` sections, and ``risk``/``priority`` for each person
(merged into the ``people`` section by ``export/json_export.py``)."""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from lantern import clock
from lantern.store.findings.network import alerts, network_groups, network_scores


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def section(engine: Engine, name: str, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """The entries of the ``groups`` or ``alerts`` section."""
    if name == "groups":
        return groups(engine)
    if name == "alerts":
        return alert_entries(engine, as_of)
    raise ValueError(f"the network provides groups and alerts, not {name!r}")


def groups(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(network_groups).order_by(network_groups.c.group_id)).mappings()
        return [
            {
                "group_id": r["group_id"],
                "members": r["members"],
                "central": r["central"],
                "victims": r["victims"],
                "places": r["places"],
                "vehicles": r["vehicles"],
                "phones": r["phones"],
                "first_seen": _iso(r["first_seen"]),
                "last_seen": _iso(r["last_seen"]),
                "detected_at": _iso(r["detected_at"]),
                "reports": r["n_reports"],
                "agencies": r["n_agencies"],
                "report_keys": r["reports"],
            }
            for r in rows
        ]


# Stages that keep alerts in tables of their own give them in the export shape
# through ``alerts(engine, as_of)``; the section holds them all.
OTHER_ALERT_PROVIDERS = ("lantern.recording.export", "lantern.victimfirst.export")


def alert_entries(engine: Engine, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """Every alert (of every stage) raised up to ``as_of``, oldest first."""
    entries = {a["alert_id"]: a for a in _own_alerts(engine, as_of)}
    for module_path in OTHER_ALERT_PROVIDERS:
        try:
            module = importlib.import_module(module_path)
        except ModuleNotFoundError:
            continue
        if hasattr(module, "alerts"):
            for a in module.alerts(engine, as_of or clock.now()):
                # their subjects never change: each was named when it was raised
                named_at = {str(s): a.get("raised_at") for s in a.get("subjects") or ()}
                entries.setdefault(str(a.get("alert_id")), {**a, "named_at": named_at})
    return sorted(entries.values(), key=lambda a: (str(a.get("raised_at")), str(a.get("alert_id"))))


def _own_alerts(engine: Engine, as_of: datetime | None) -> list[dict[str, Any]]:
    query = select(alerts).order_by(alerts.c.raised_at, alerts.c.alert_id)
    if as_of is not None:
        query = query.where(alerts.c.raised_at <= as_of)
    with engine.connect() as conn:
        return [
            {
                "alert_id": r["alert_id"],
                "kind": r["kind"],
                "raised_at": _iso(r["raised_at"]),
                "subjects": r["subjects"],
                "named_at": r["named_at"] or {s: _iso(r["raised_at"]) for s in r["subjects"]},
                "reasons": r["reasons"],
                "reports": r["reports"],
                "status": r["status"],
                "action_id": r["action_id"],
            }
            for r in conn.execute(query).mappings()
        ]


def person_scores(engine: Engine, as_of: datetime | None = None) -> dict[str, dict[str, Any]]:
    """``{person_id: {"risk": {...}, "priority": {...}}}`` for every scored person."""
    out: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        for r in conn.execute(
            select(network_scores).order_by(network_scores.c.entity_id)
        ).mappings():
            entry: dict[str, Any] = {
                "score": r["score"],
                "reasons": r["reasons"],
                "reports": r["reports"],
            }
            if r["kind"] == "risk":
                entry = {"level": r["level"], **entry}
            out.setdefault(r["entity_id"], {})[r["kind"]] = entry
    return out
