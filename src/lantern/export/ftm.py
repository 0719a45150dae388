"""FollowTheMoney entities as JSON Lines (one entity a line), for Aleph and
other FtM tools, made with the ``followthemoney`` package's own model.

- a resolved person is a ``Person``; a vehicle a ``Vehicle``; a place an
  ``Address``; a phone a ``UserAccount`` of the telephone service (FtM has no
  telephone schema; the number is its ``phone`` and ``username``);
- a report is a ``Document`` (title ``agency/report_id``, publisher the
  agency); every entity and link names the reports it comes from in ``proof``;
- an edge of the link graph is an ``Associate`` (two people seen together or
  stated associates), a ``Family`` (stated relatives), an ``Ownership``
  (a person who drives or owns a vehicle) or else an ``UnknownLink`` whose
  ``role`` is the kind of evidence;
- a group is an ``Organization``; its members are ``Membership``s and the
  children, places, vehicles and phones linked to it ``UnknownLink``s.
"""

from __future__ import annotations

import json
from typing import IO, Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from sqlalchemy import Engine

from lantern.export import picture as pic
from lantern.export.picture import Link, Node, Picture

NODE_SCHEMA = {
    "person": "Person",
    "vehicle": "Vehicle",
    "phone": "UserAccount",
    "location": "Address",
    "group": "Organization",
}
# FtM's gender values
GENDER = {"M": "male", "F": "female"}


def write(engine: Engine, out: IO[str], **options: Any) -> dict[str, int]:
    """Writes the picture as FtM JSON Lines; returns counts of what was written."""
    found = pic.load_for(engine, options)
    for entity in entities(found):
        out.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True))
        out.write("\n")
    return found.summary()


def entities(found: Picture) -> list[EntityProxy]:
    """Every FtM entity of the picture: reports, then nodes, then links."""
    documents = {key: _document(found, key) for key in sorted(found.reports)}
    out = list(documents.values())
    ids = {nid: _node_id(nid) for nid in found.nodes}
    for node in found.nodes.values():
        out.append(_node(node, documents))
    for link in [*found.links, *found.group_links]:
        out.append(_link(link, found, ids, documents))
    return out


def _node_id(node_id: str) -> str:
    # FtM ids are letters, digits, '.', '-' and '_'
    return "lantern-" + node_id.replace(":", "-")


def _proof(entity: EntityProxy, keys: list[str], documents: dict[str, EntityProxy]) -> None:
    for key in keys:
        if key in documents:
            entity.add("proof", documents[key].id)


def _document(found: Picture, key: str) -> EntityProxy:
    report = found.reports[key]
    doc = model.make_entity("Document")
    doc.id = "lantern-report-" + key.replace("/", "-")
    doc.add("fileName", f"{key}.json")
    doc.add("title", f"{report.agency} report {report.report_id}")
    doc.add("publisher", report.agency)
    doc.add("date", report.received_at.date().isoformat())
    doc.add("description", f"received {report.received_at.isoformat()}")
    doc.add("keywords", [v for v in (report.channel, report.agency_type) if v])
    if report.handling == "C":
        doc.add("keywords", "handling code C (restricted)")
    return doc


def _node(node: Node, documents: dict[str, EntityProxy]) -> EntityProxy:
    entity = model.make_entity(NODE_SCHEMA[node.kind])
    entity.id = _node_id(node.node_id)
    data = node.data
    if node.kind == "person":
        names = data.get("names") or [node.label]
        entity.add("name", names[0])
        entity.add("alias", names[1:])
        if data.get("dob"):
            entity.add("birthDate", str(data["dob"]))
        entity.add("gender", GENDER.get(str(data.get("sex") or "")))
        notes = [f"roles as mentioned: {', '.join(node.roles)}"] if node.roles else []
        for score in (node.risk, node.priority):
            if score is not None:
                head = f"{score.kind} {score.score:g}" + (
                    f" ({score.level})" if score.level else ""
                )
                notes.append(head + ": " + "; ".join(score.reasons))
        entity.add("notes", notes)
    elif node.kind == "vehicle":
        entity.add("registrationNumber", data.get("vrm"))
        entity.add("name", data.get("vrm") or node.label)
        entity.add("model", " ".join(str(v) for v in (data.get("make"), data.get("model")) if v))
        entity.add("description", data.get("colour"))
    elif node.kind == "phone":
        number = data.get("number") or node.label
        entity.add("username", number)
        entity.add("phone", number, quiet=True)
        entity.add("service", "telephone")
    elif node.kind == "location":
        entity.add("full", data.get("address") or data.get("name") or node.label)
        entity.add("name", data.get("name"))
        entity.add("postalCode", data.get("postcode"))
        entity.add("remarks", data.get("place_kind"))
    else:  # group
        entity.add("name", node.label)
        entity.add("description", "a group of suspects found by Lantern's network analysis")
    entity.add(
        "summary",
        f"Lantern {node.node_id}; seen {pic.iso(node.first_seen)[:10]} to "
        f"{pic.iso(node.last_seen)[:10]} in {len(node.reports)} reports",
    )
    _proof(entity, node.reports, documents)
    return entity


def _link_schema(link: Link, found: Picture) -> tuple[str, str, str]:
    """(schema, source property, target property) for an edge."""
    kinds = {found.nodes[link.a].kind, found.nodes[link.b].kind}
    if link.kind == "member-of":
        return "Membership", "member", "organization"
    if kinds == {"person"}:
        if link.kind == "stated:relative-of":
            return "Family", "person", "relative"
        return "Associate", "person", "associate"
    if kinds == {"person", "vehicle"} and link.kind in ("stated:drives", "stated:owns"):
        return "Ownership", "owner", "asset"
    return "UnknownLink", "subject", "object"


def _link(
    link: Link, found: Picture, ids: dict[str, str], documents: dict[str, EntityProxy]
) -> EntityProxy:
    schema, source, target = _link_schema(link, found)
    a, b = link.a, link.b
    if schema == "Ownership" and found.nodes[a].kind != "person":
        a, b = b, a
    entity = model.make_entity(schema)
    entity.id = "lantern-link-" + entity.make_id(link.link_id)[:32]  # type: ignore[index]
    entity.add(source, ids[a])
    entity.add(target, ids[b])
    kind = link.kind.removeprefix("stated:")
    if schema in ("Associate", "Family"):
        entity.add("relationship", kind)
    elif schema != "Ownership":
        entity.add("role", kind)
    else:
        entity.add("ownershipType", kind)
    if link.first_seen is not None:
        entity.add("startDate", link.first_seen.date().isoformat())
    if link.last_seen is not None:
        entity.add("endDate", link.last_seen.date().isoformat())
    entity.add("summary", f"{link.kind}, weight {link.weight:g}, {len(link.reports)} reports")
    entity.add("recordId", link.link_id)
    _proof(entity, link.reports, documents)
    return entity
