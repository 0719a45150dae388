"""The JSON export (interchange spec, section 2): what Lantern has concluded,
at a point in time. Each section is filled by the stage that owns it; a
section with no stage yet is an empty list."""

from __future__ import annotations

import importlib
import json
from datetime import datetime
from typing import IO, Any

from sqlalchemy import Engine

from lantern import __version__, clock
from lantern.store import reports as report_store

# 1.1: each alert carries ``named_at`` (subject -> when the alert first named it)
EXPORT_VERSION = "1.1"

# section -> module with ``section(engine, name, as_of) -> list`` (the section's
# entries); report field providers have ``report_fields(engine, as_of) ->
# dict[(agency, id), dict]`` (fields merged into each report's entry).
# A provider module that has not landed yet is skipped.
SECTION_PROVIDERS: dict[str, str] = {
    "people": "lantern.resolve.export",
    "vehicles": "lantern.resolve.export",
    "phones": "lantern.resolve.export",
    "locations": "lantern.resolve.export",
    "groups": "lantern.network.export",
    "alerts": "lantern.network.export",
    "actions": "lantern.tasking.export",
}
REPORT_FIELD_PROVIDERS: tuple[str, ...] = (
    "lantern.recording.export",  # recording
    "lantern.victimfirst.export",  # language_flags
)


def _provider(module_path: str) -> Any | None:
    try:
        return importlib.import_module(module_path)
    except ModuleNotFoundError as exc:
        if exc.name and module_path.startswith(exc.name):
            return None
        raise


SECTIONS = ("people", "vehicles", "phones", "locations", "groups", "alerts", "actions")


def build(engine: Engine, *, as_of: datetime | None = None) -> dict[str, Any]:
    as_of = as_of or clock.now()
    extra: dict[tuple[str, str], dict[str, Any]] = {}
    for module_path in REPORT_FIELD_PROVIDERS:
        module = _provider(module_path)
        if module is None:
            continue
        for key, fields in module.report_fields(engine, as_of).items():
            extra.setdefault(key, {}).update(fields)
    reports = []
    with engine.connect() as conn:
        for stored in report_store.iter_current(conn, received_before=as_of):
            r = stored.report
            entry: dict[str, Any] = {
                "agency": r.agency,
                "id": r.id,
                "received_at": r.received_at.isoformat(),
                "recording": {
                    "decision": "pending",
                    "offences": [],
                    "decided_at": None,
                    "within_24h": None,
                },
                "language_flags": [],
            }
            entry.update(extra.get(r.key, {}))
            reports.append(entry)
    doc: dict[str, Any] = {
        "generated_at": clock.now().isoformat(),
        "as_of": as_of.isoformat(),
        "version": EXPORT_VERSION,
        "lantern_version": __version__,
        "reports": reports,
    }
    for section in SECTIONS:
        module = _provider(SECTION_PROVIDERS[section])
        doc[section] = module.section(engine, section, as_of) if module else []
    _merge_person_scores(engine, doc["people"], as_of)
    return doc


def _merge_person_scores(engine: Engine, people: list[Any], as_of: datetime) -> None:
    """Adds ``risk`` and ``priority`` (lantern.network.export) to each person."""
    module = _provider("lantern.network.export")
    if module is None or not hasattr(module, "person_scores"):
        return
    scores = module.person_scores(engine, as_of)
    for person in people:
        if isinstance(person, dict):
            person.update(scores.get(person.get("person_id"), {}))


def write(engine: Engine, out: IO[str], *, as_of: datetime | None = None, **options: Any) -> None:
    doc = build(engine, as_of=as_of)
    if any(options.get(k) for k in ("user", "group", "person")):
        from lantern.export.scoped_json import narrow_document

        doc = narrow_document(engine, doc, as_of=as_of, **options)
    json.dump(doc, out, ensure_ascii=False, indent=1)
    out.write("\n")
