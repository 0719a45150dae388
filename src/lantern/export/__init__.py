"""Exports: one module per format, each registered here by name.

A format's module has ``write(engine, out, **options)``; the options every
format takes are ``as_of``, ``user`` (who exports: their access decides what is
in it), ``group`` or ``person`` (narrow it to one subject) and ``reason``.
``export`` runs the writer and writes who exported what, and why, to the audit log.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import IO, Any

from sqlalchemy import Engine

from lantern import clock
from lantern.store import audit

# format name -> module whose ``write(engine, out, **options)`` writes it
FORMATS: dict[str, str] = {
    "json": "lantern.export.json_export",
    "ftm": "lantern.export.ftm",
    "graphml": "lantern.export.graphml",
    "i2": "lantern.export.i2",
}

Writer = Callable[..., Any]


def writer(fmt: str) -> Writer:
    if fmt not in FORMATS:
        raise KeyError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(FORMATS[fmt])
    writer: Writer = module.write
    return writer


def export(engine: Engine, fmt: str, out: IO[str], **options: Any) -> dict[str, Any]:
    """Writes the export and records it in the audit log. Returns what the
    writer reported (counts of what was written), if anything."""
    written = writer(fmt)(engine, out, **options)
    summary = written if isinstance(written, dict) else {}
    record(engine, f"export.{fmt}", options, summary, out=getattr(out, "name", None))
    return summary


def record(
    engine: Engine,
    action: str,
    options: dict[str, Any],
    summary: dict[str, Any],
    *,
    out: Any = None,
) -> None:
    """Writes one export to the audit log: who, what (format, scope, counts) and why."""
    user = options.get("user")
    actor = str(getattr(user, "username", None) or user or "system")
    scope = options.get("group") or options.get("person")
    as_of = options.get("as_of")
    detail = {
        "scope": scope or "all",
        "as_of": as_of.isoformat() if as_of is not None else None,
        "out": str(out) if out is not None else None,
        **summary,
    }
    with engine.begin() as conn:
        audit.append(
            conn,
            [audit.Entry(actor, action, f"export:{scope or 'all'}", detail, options.get("reason"))],
            at=clock.now(),
        )
