"""A printable profile of one person (or object) or one group, for a strategy
meeting: names and identifiers, risk or priority with its reasons, open
actions, the people and objects linked (with a small link chart), and the
chronology across agencies — drawn from what the exporting user may see
(``export.picture``), as HTML or as PDF (WeasyPrint)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Connection, Engine, select

from lantern import clock
from lantern.export import chart
from lantern.export import picture as pic
from lantern.export.picture import Node, Picture
from lantern.store.findings.network import alerts
from lantern.store.findings.resolution import entity_mentions
from lantern.store.schema import actions, report_revisions, reports
from lantern.tasking.actions import OPEN
from lantern.tasking.queries import list_actions

FORMATS = ("html", "pdf")
LINKED = 40
EXCERPT = 320
FACT_LABELS = {
    "dob": "Date of birth",
    "sex": "Sex",
    "ages": "Ages given",
    "vrm": "Registration",
    "make": "Make",
    "model": "Model",
    "colour": "Colour",
    "number": "Number",
    "name": "Name",
    "address": "Address",
    "postcode": "Postcode",
    "place_kind": "Kind of place",
}
KIND_WORDS = {
    "person": "Person",
    "vehicle": "Vehicle",
    "phone": "Phone",
    "location": "Place",
    "group": "Group",
}


@dataclass(slots=True)
class Reasoned:
    """A score shown with the reasons that produced it."""

    subject: str
    heading: str  # e.g. "Risk: high (score 7.2)"
    reasons: list[str]


@dataclass(slots=True)
class Profile:
    subject: Node
    names: list[str]
    facts: list[tuple[str, str]]
    scores: list[Reasoned]
    actions: list[dict[str, Any]]
    linked: list[dict[str, Any]]
    chart_svg: str
    chronology: list[dict[str, Any]]
    exporter: str
    as_of: datetime
    generated_at: datetime = field(default_factory=clock.now)

    @property
    def title(self) -> str:
        return self.names[0] if self.names else self.subject.label

    def reasons(self) -> list[str]:
        """Every reason the profile shows."""
        return [r for s in self.scores for r in s.reasons]


def build(
    engine: Engine,
    subject_id: str,
    *,
    user: Any = None,
    as_of: datetime | None = None,
    reason: str | None = None,
) -> Profile:
    """The profile of ``subject_id`` (``person:…``, ``vehicle:…``, ``group:…``)
    as ``user`` may see it."""
    is_group = subject_id.startswith("group:")
    found = pic.load(
        engine,
        user=user,
        as_of=as_of,
        group=subject_id if is_group else None,
        person=None if is_group else subject_id,
        reason=reason,
    )
    subject = found.nodes[subject_id]
    core = [subject_id, *_parts(subject)] if is_group else [subject_id]
    with engine.connect() as conn:
        chronology = _chronology(conn, found, subject, set(core))
        open_actions = _open_actions(conn, found, set(core))
    return Profile(
        subject=subject,
        names=_names(subject),
        facts=_facts(found, subject),
        scores=_scores(found, core),
        actions=open_actions,
        linked=_linked(found, set(core)),
        chart_svg=chart.link_chart(found, core),
        chronology=chronology,
        exporter=found.exporter,
        as_of=found.as_of,
    )


def _parts(group: Node) -> list[str]:
    out: list[str] = []
    for part in pic.GROUP_PARTS:
        out.extend(e for e in group.data.get(part) or [] if e not in out)
    return out


def _names(node: Node) -> list[str]:
    if node.kind == "person":
        return list(node.data.get("names") or [node.label])
    return [node.label]


def _facts(found: Picture, node: Node) -> list[tuple[str, str]]:
    facts = [("Lantern id", node.node_id), ("Kind", KIND_WORDS[node.kind])]
    if node.kind == "group":
        for part, heading in (
            ("members", "Members"),
            ("victims", "Children linked"),
            ("places", "Places"),
            ("vehicles", "Vehicles"),
            ("phones", "Phones"),
        ):
            labels = [found.nodes[e].label for e in node.data.get(part) or [] if e in found.nodes]
            if labels:
                facts.append((heading, ", ".join(labels)))
    else:
        names = _names(node)
        if len(names) > 1:
            facts.append(("Also known as", ", ".join(names[1:])))
        for key, label in FACT_LABELS.items():
            value = node.data.get(key)
            if value not in (None, "", [], {}):
                text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
                facts.append((label, text))
        if node.roles:
            facts.append(("Mentioned as", ", ".join(node.roles)))
    facts.append(("First seen", pic.iso(node.first_seen)[:10]))
    facts.append(("Last seen", pic.iso(node.last_seen)[:10]))
    facts.append(("Reports", f"{len(node.reports)} from {len(node.agencies)} agencies"))
    facts.append(("Agencies", ", ".join(node.agencies)))
    return facts


def _scores(found: Picture, core: list[str]) -> list[Reasoned]:
    out = []
    for node_id in core:
        node = found.nodes.get(node_id)
        if node is None:
            continue
        if node.risk is not None:
            level = f"{node.risk.level} " if node.risk.level else ""
            heading = f"Risk: {level}(score {node.risk.score:g})"
            out.append(Reasoned(node.label, heading, node.risk.reasons))
        if node.priority is not None:
            heading = f"Priority: score {node.priority.score:g}"
            out.append(Reasoned(node.label, heading, node.priority.reasons))
    return out


def _linked(found: Picture, core: set[str]) -> list[dict[str, Any]]:
    out = []
    for node_id, weight, kinds in chart.neighbours(found, core)[:LINKED]:
        node = found.nodes[node_id]
        out.append(
            {
                "id": node_id,
                "label": node.label,
                "kind": KIND_WORDS[node.kind],
                "links": ", ".join(kinds),
                "weight": f"{weight:g}",
                "reports": len(node.reports),
            }
        )
    return out


def _chronology(
    conn: Connection, found: Picture, subject: Node, core: set[str]
) -> list[dict[str, Any]]:
    """Every visible report about the subject (a group: about any of its core),
    oldest first, with who it names and how, and the words around the mention."""
    keys = [k for k in subject.reports if k in found.reports]
    pks = {found.reports[k].pk: k for k in keys}
    said: dict[str, list[str]] = {}
    for m in _rows(conn, entity_mentions, entity_mentions.c.report_pk, list(pks)):
        if m.entity_id in core:
            who = f"{m.text} ({m.role})" if m.role else str(m.text)
            if who not in said.setdefault(pks[m.report_pk], []):
                said[pks[m.report_pk]].append(who)
    narratives = _narratives(conn, list(pks))
    entries = []
    for key in sorted(keys, key=lambda k: (found.reports[k].received_at, k)):
        report = found.reports[key]
        mentioned = said.get(key, [])
        entries.append(
            {
                "date": pic.iso(report.received_at)[:16].replace("T", " "),
                "agency": report.agency,
                "agency_type": report.agency_type or "",
                "channel": report.channel or "",
                "report": report.report_id,
                "restricted": report.handling == "C",
                "mentioned": mentioned,
                "excerpt": _excerpt(narratives.get(report.pk, ""), mentioned),
            }
        )
    return entries


def _rows(conn: Connection, table: Any, column: Any, values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for i in range(0, len(values), 500):
        out.extend(conn.execute(select(table).where(column.in_(values[i : i + 500]))))
    return out


def _narratives(conn: Connection, pks: list[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for i in range(0, len(pks), 500):
        query = (
            select(report_revisions.c.report_pk, report_revisions.c.body)
            .join(reports, reports.c.pk == report_revisions.c.report_pk)
            .where(
                report_revisions.c.report_pk.in_(pks[i : i + 500]),
                report_revisions.c.revision == reports.c.revisions,
            )
        )
        for pk, body in conn.execute(query):
            out[pk] = str((body or {}).get("narrative") or "")
    return out


def _excerpt(narrative: str, mentioned: list[str]) -> str:
    """The sentence naming the subject (else the narrative's opening), shortened."""
    sentences = re.split(r"(?<=[.!?])\s+", narrative.strip())
    names = [m.split(" (")[0].casefold() for m in mentioned]
    chosen = next((s for s in sentences if any(n and n in s.casefold() for n in names)), None)
    text = chosen or narrative.strip()
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _open_actions(conn: Connection, found: Picture, core: set[str]) -> list[dict[str, Any]]:
    """Open actions about the subject: linked to it, or raised from an open
    alert about it whose reports the user may see."""
    chosen: dict[int, dict[str, Any]] = {}
    for node_id in sorted(core):
        for action in list_actions(conn, about=node_id, limit=200)[1]:
            if action["status"] in OPEN:
                chosen[action["action_id"]] = action
    sources = {}
    for alert in conn.execute(select(alerts).where(alerts.c.status == "open")):
        stored = list(alert.reports or [])
        if not core.intersection(alert.subjects or []):
            continue
        if stored and not any(k in found.reports for k in stored):
            continue
        sources[f"alert:{alert.alert_id}"] = alert
    if sources:
        query = select(actions).where(actions.c.source.in_(sorted(sources)))
        for row in conn.execute(query.where(actions.c.status.in_(OPEN))):
            chosen.setdefault(
                row.pk,
                {
                    "action_id": row.pk,
                    "title": row.title,
                    "owner": row.owner,
                    "due": row.due,
                    "status": row.status,
                    "priority": row.priority,
                },
            )
    out = []
    for action in sorted(chosen.values(), key=lambda a: a["action_id"]):
        due = action.get("due")
        out.append({**action, "due": pic.iso(due)[:10] if isinstance(due, datetime) else ""})
    return out


_templates = Environment(
    loader=PackageLoader("lantern.export", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(profile: Profile) -> str:
    return _templates.get_template("profile.html").render(p=profile)


def render_pdf(profile: Profile) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(profile)).write_pdf()
    return pdf
