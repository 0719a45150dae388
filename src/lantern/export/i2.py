"""i2 Analyst's Notebook: two CSV files that its Import Data wizard takes, an
entities file and a links file (headers in ``ENTITY_COLUMNS`` and
``LINK_COLUMNS``, documented with the import specification in
``docs/exports.md``).

Written as UTF-8 with a byte-order mark (Windows tools then read names
rightly), dates as ``yyyy-MM-dd`` and times as ``HH:mm:ss``. A text cell that
begins with ``=``, ``+``, ``-`` or ``@`` is written with a leading apostrophe,
so a spreadsheet opening the file never runs it as a formula.

``out`` is the entities file; the links file is ``links_out`` if given, else
the sibling of ``out`` named ``<stem>-links.csv`` (``out`` must then be a
file with a name: standard output cannot hold two files).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine

from lantern.export import picture as pic
from lantern.export.picture import Link, Node, Picture

ENTITY_COLUMNS = (
    "Entity ID",
    "Entity Type",
    "Label",
    "Description",
    "Date of Birth",
    "Sex",
    "Registration",
    "Make",
    "Model",
    "Colour",
    "Telephone Number",
    "Address",
    "Postcode",
    "Risk Level",
    "Risk Score",
    "Priority Score",
    "Reasons",
    "Groups",
    "First Seen Date",
    "Last Seen Date",
    "Reports",
    "Agencies",
    "Source Reports",
)
LINK_COLUMNS = (
    "Link ID",
    "From Entity ID",
    "To Entity ID",
    "Link Type",
    "Label",
    "Weight",
    "First Date",
    "First Time",
    "Last Date",
    "Last Time",
    "Reports",
    "Agencies",
    "Source Reports",
)
# i2's standard icon types for Lantern's kinds of node
ENTITY_TYPES = {
    "person": "Person",
    "vehicle": "Vehicle",
    "phone": "Telephone",
    "location": "Location",
    "group": "Organisation",
}
_FORMULA_START = ("=", "+", "-", "@")
BOM = "\ufeff"


def links_path(entities_path: Path) -> Path:
    """Where the links file goes beside an entities file."""
    return entities_path.with_name(f"{entities_path.stem}-links.csv")


def write(
    engine: Engine, out: IO[str], *, links_out: IO[str] | None = None, **options: Any
) -> dict[str, Any]:
    """Writes the entities file to ``out`` and the links file beside it."""
    found = pic.load_for(engine, options)
    if links_out is None:
        name = getattr(out, "name", None)
        if not isinstance(name, str) or name.startswith("<"):
            raise pic.ExportError("the i2 export writes two files: give --out FILE")
        target = links_path(Path(name))
        with target.open("w", encoding="utf-8", newline="") as handle:
            write_files(found, out, handle)
        return {**found.summary(), "links_file": str(target)}
    write_files(found, out, links_out)
    return found.summary()


def write_files(found: Picture, entities_out: IO[str], links_out: IO[str]) -> None:
    entities_out.write(BOM)
    rows = csv.writer(entities_out, lineterminator="\r\n")
    rows.writerow(ENTITY_COLUMNS)
    for node in found.nodes.values():
        rows.writerow([_cell(v) for v in entity_row(node)])
    links_out.write(BOM)
    rows = csv.writer(links_out, lineterminator="\r\n")
    rows.writerow(LINK_COLUMNS)
    for link in [*found.links, *found.group_links]:
        rows.writerow([_cell(v) for v in link_row(link)])


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _date(value: Any) -> str:
    return pic.iso(value)[:10]


def _time(value: Any) -> str:
    return pic.iso(value)[11:19]


def entity_row(node: Node) -> list[Any]:
    data = node.data
    reasons = [
        f"{s.kind}: " + "; ".join(s.reasons) for s in (node.risk, node.priority) if s is not None
    ]
    names = data.get("names") or []
    description = {
        "person": "also known as " + ", ".join(names[1:]) if len(names) > 1 else "",
        "location": data.get("name") or "",
        "group": f"{len(data.get('members') or [])} members, "
        f"{len(data.get('victims') or [])} children linked",
    }.get(node.kind, "")
    return [
        node.node_id,
        ENTITY_TYPES[node.kind],
        node.label,
        description,
        data.get("dob") if node.kind == "person" else "",
        data.get("sex") if node.kind == "person" else "",
        data.get("vrm") if node.kind == "vehicle" else "",
        data.get("make") if node.kind == "vehicle" else "",
        data.get("model") if node.kind == "vehicle" else "",
        data.get("colour") if node.kind == "vehicle" else "",
        data.get("number") if node.kind == "phone" else "",
        data.get("address") if node.kind == "location" else "",
        data.get("postcode") if node.kind == "location" else "",
        node.risk.level if node.risk else "",
        f"{node.risk.score:g}" if node.risk else "",
        f"{node.priority.score:g}" if node.priority else "",
        " | ".join(reasons),
        ";".join(node.groups),
        _date(node.first_seen),
        _date(node.last_seen),
        len(node.reports),
        len(node.agencies),
        ";".join(node.reports),
    ]


def link_row(link: Link) -> list[Any]:
    return [
        link.link_id,
        link.a,
        link.b,
        link.kind,
        link.kind.removeprefix("stated:").replace("-", " "),
        f"{link.weight:g}",
        _date(link.first_seen),
        _time(link.first_seen),
        _date(link.last_seen),
        _time(link.last_seen),
        len(link.reports),
        len(link.agencies),
        ";".join(link.reports),
    ]
