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

EXPORT_VERSION = "1.0"

# section -> module with ``section(engine, as_of) -> list`` (or for reports,
# ``report_fields(engine, as_of) -> dict[(agency, id), dict]``)
SECTION_PROVIDERS: dict[str, str] = {}
REPORT_FIELD_PROVIDERS: tuple[str, ...] = ()
SECTIONS = ("people", "vehicles", "phones", "locations", "groups", "alerts", "actions")


def build(engine: Engine, *, as_of: datetime | None = None) -> dict[str, Any]:
    as_of = as_of or clock.now()
    extra: dict[tuple[str, str], dict[str, Any]] = {}
    for module_path in REPORT_FIELD_PROVIDERS:
        module = importlib.import_module(module_path)
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
        provider = SECTION_PROVIDERS.get(section)
        doc[section] = importlib.import_module(provider).section(engine, as_of) if provider else []
    return doc


def write(engine: Engine, out: IO[str], *, as_of: datetime | None = None, **_: Any) -> None:
    json.dump(build(engine, as_of=as_of), out, ensure_ascii=False, indent=1)
    out.write("\n")
