"""Network findings (owned by the network stage): the link graph's edges,
groups and their members, scores of people (a suspect's priority, a child's
risk) with their reasons, and alerts.

``alerts`` is shared: any stage may raise an alert kind of its own here
(the recording stage writes ``recording-deadline-breached`` and
``survival-crime-review``). One row per alert:

- ``alert_id``: stable, ``alert_key(rule, subjects)`` — a hash of the rule's
  name and the sorted subjects, so re-running a stage finds the same alert
  instead of raising a second one.
- ``kind``: the rule, e.g. ``subject-no-action``, ``child-high-risk``,
  ``group-emerging``, ``referrer-not-told``, ``recording-deadline-breached``,
  ``survival-crime-review``.
- ``raised_at``: ``lantern.clock.now()`` when first raised (replay freezes it).
- ``subjects``: JSON list of entity ids (``person:…``) or report keys
  (``"agency/report_id"``).
- ``reasons``: JSON list of strings, each a reason in plain words.
- ``reports``: JSON list of report keys (``"agency/report_id"``) behind it.
- ``status``: ``open`` | ``closed`` (the condition no longer holds) — the
  action's own state lives in the facts (``actions``).
- ``action_id``: the action opened for it (``tasking.actions.raise_action``
  with ``source=f"alert:{alert_id}"``), or null.
- ``stage``: the stage that owns the row (a stage only rewrites its own rows).

The stage also keeps its own record of what it read and worked out, so that an
incremental run reads only what changed and the reports around it (nothing
else reads these):

- ``network_reports`` / ``network_mentions``: each report in scope (received
  by the clock, with a resolved mention) as the stage read it — agency, date,
  grading, revision, what its extraction says by mention id — and its mentions;
- ``network_entities``: each person's ages as resolution gave them, whether it
  is taken as a child, a suspect's first mention as a suspect, and the Leiden
  community a suspect is in (named by the community's first member);
- ``network_suspect_links``: the weighted edges of the suspects' graph;
- ``network_flags``: what the facts say about reports and people — ``actioned``
  (a report that led to an action or a recorded crime), ``named`` (an entity id
  or report key a done action names), ``told`` (a referral whose referrer was
  told the outcome).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import Boolean, Column, Float, Index, Integer, String, Table, Text

from lantern.store.findings import findings_metadata as findings_metadata
from lantern.store.types import Json, UtcDateTime

# One edge of the link graph between two entities (or an entity and a report).
# ``a`` < ``b``; one row per pair and kind of evidence.
network_edges = Table(
    "network_edges",
    findings_metadata,
    Column("a", String(60), primary_key=True),
    Column("b", String(60), primary_key=True),
    Column("kind", String(30), primary_key=True),  # co-mention | stated:<kind> | shared-<kind>
    Column("weight", Float, nullable=False),
    Column("first_seen", UtcDateTime),
    Column("last_seen", UtcDateTime),
    Column("reports", Json, nullable=False),  # ["agency/report_id", ...]
    Column("agencies", Json, nullable=False),  # ["syp", ...]
    Column("component", String(60)),  # the connected component it belongs to
)
Index("ix_network_edges_b", network_edges.c.b)
Index("ix_network_edges_component", network_edges.c.component)

network_groups = Table(
    "network_groups",
    findings_metadata,
    Column("group_id", String(40), primary_key=True),  # "group:<hash of founding members>"
    Column("members", Json, nullable=False),  # person entity ids
    Column("central", Json, nullable=False),  # the most central members
    Column("victims", Json, nullable=False),  # children linked
    Column("places", Json, nullable=False),
    Column("vehicles", Json, nullable=False),
    Column("phones", Json, nullable=False),
    Column("first_seen", UtcDateTime),
    Column("last_seen", UtcDateTime),
    Column("reports", Json, nullable=False),  # report keys
    Column("n_reports", Integer, nullable=False),
    Column("n_agencies", Integer, nullable=False),
    Column("detected_at", UtcDateTime),
)

network_group_members = Table(
    "network_group_members",
    findings_metadata,
    Column("entity_id", String(60), primary_key=True),
    Column("group_id", String(40), nullable=False),
    Column("role", String(10), nullable=False),  # member | victim
    Column("centrality", Float, nullable=False),
)
Index("ix_network_group_members_group", network_group_members.c.group_id)

# A score of a person: ``priority`` (a suspect) or ``risk`` (a child).
network_scores = Table(
    "network_scores",
    findings_metadata,
    Column("entity_id", String(60), primary_key=True),
    Column("kind", String(10), primary_key=True),  # priority | risk
    Column("score", Float, nullable=False),
    Column("level", String(10)),  # risk: none | low | medium | high
    Column("reasons", Json, nullable=False),  # [str]
    Column("reports", Json, nullable=False),  # ["agency/report_id"]
    Column("computed_at", UtcDateTime, nullable=False),
)

alerts = Table(
    "alerts",
    findings_metadata,
    Column("alert_id", String(40), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("raised_at", UtcDateTime, nullable=False),
    Column("subjects", Json, nullable=False),
    # subject -> when the alert first named it (ISO 8601): a group's alert
    # names its new members as the group grows
    Column("named_at", Json),
    Column("reasons", Json, nullable=False),
    Column("reports", Json, nullable=False),
    Column("status", String(20), nullable=False, server_default="open"),
    Column("action_id", Integer),
    Column("stage", String(20), nullable=False, server_default="network"),
    Column("detail", Text),
)
Index("ix_alerts_kind", alerts.c.kind)


# The stage's own record (see above).
network_reports = Table(
    "network_reports",
    findings_metadata,
    Column("report_pk", Integer, primary_key=True, autoincrement=False),
    Column("key", String(320), nullable=False),  # "agency/report_id"
    Column("agency", String(100), nullable=False),
    Column("agency_type", String(40)),
    Column("received_at", UtcDateTime, nullable=False),
    Column("revision", Integer, nullable=False),  # reports.revisions when read
    Column("grading", String(10)),  # e.g. "1A P"; null when ungraded
    Column("grading_weight", Float, nullable=False),
    Column("extracted", Integer),  # the extraction's revision (null: none yet)
    Column("extractor", String(100)),
    # {"ages": [[mention, age]], "indicators": [[child mention, code]],
    #  "disclosures": [[act, victim mention, [offender mentions]]],
    #  "links": [[source mention, target mention, kind]]}
    Column("evidence", Json, nullable=False),
)
Index("ix_network_reports_key", network_reports.c.key)
Index("ix_network_reports_received", network_reports.c.received_at)

network_mentions = Table(
    "network_mentions",
    findings_metadata,
    Column("mention_id", String(200), primary_key=True),
    Column("entity_id", String(60), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("report_pk", Integer, nullable=False),
    Column("role", String(20)),
)
Index("ix_network_mentions_entity", network_mentions.c.entity_id)
Index("ix_network_mentions_report", network_mentions.c.report_pk)

network_entities = Table(
    "network_entities",
    findings_metadata,
    Column("entity_id", String(60), primary_key=True),
    Column("kind", String(10), nullable=False),
    # entities.data.ages as the database renders it (a person's; to notice a change)
    Column("ages_seen", Text),
    Column("child", Boolean, nullable=False),
    Column("suspect_from", String(200)),  # first mention as a suspect; null: not a suspect
    Column("community", String(60)),  # a suspect's community: its first member's id
)
Index("ix_network_entities_community", network_entities.c.community)

network_suspect_links = Table(
    "network_suspect_links",
    findings_metadata,
    Column("a", String(60), primary_key=True),  # a < b
    Column("b", String(60), primary_key=True),
    Column("weight", Float, nullable=False),
)
Index("ix_network_suspect_links_b", network_suspect_links.c.b)

network_flags = Table(
    "network_flags",
    findings_metadata,
    Column("kind", String(10), primary_key=True),  # actioned | named | told
    Column("key", String(400), primary_key=True),
)


def alert_key(rule: str, subjects: Iterable[str]) -> str:
    """The stable id of an alert: a hash of its rule and its (sorted) subjects."""
    text = rule + "|" + "|".join(sorted(set(subjects)))
    return hashlib.sha256(text.encode()).hexdigest()[:24]
