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
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import Column, Float, Index, Integer, String, Table, Text

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
    Column("reasons", Json, nullable=False),
    Column("reports", Json, nullable=False),
    Column("status", String(20), nullable=False, server_default="open"),
    Column("action_id", Integer),
    Column("stage", String(20), nullable=False, server_default="network"),
    Column("detail", Text),
)
Index("ix_alerts_kind", alerts.c.kind)


def alert_key(rule: str, subjects: Iterable[str]) -> str:
    """The stable id of an alert: a hash of its rule and its (sorted) subjects."""
    text = rule + "|" + "|".join(sorted(set(subjects)))
    return hashlib.sha256(text.encode()).hexdigest()[:24]
