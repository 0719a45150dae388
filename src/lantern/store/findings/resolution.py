"""Resolution findings (owned by the resolve stage): resolved entities and which
mentions belong to each, with the match weight and the comparisons that joined them.

Other stages (network, web, export) read these two tables; resolve may add
tables of its own (candidate links for partial plates, the review queue…).
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, String, Table, Text

from lantern.store.findings import findings_metadata
from lantern.store.types import Json, UtcDateTime

# One row per resolved person, vehicle, phone or location.
entities = Table(
    "entities",
    findings_metadata,
    Column(
        "entity_id", String(40), primary_key=True
    ),  # e.g. "person:1f3a…", stable across runs where possible
    Column("kind", String(10), nullable=False),  # person | vehicle | phone | location
    Column(
        "label", Text, nullable=False
    ),  # the caption to show (best name, VRM, number, place name)
    Column(
        "data", Json, nullable=False
    ),  # kind-specific: names, dob, sex, ages; vrm, make…; number; address, postcode…
    Column("first_seen", UtcDateTime),
    Column("last_seen", UtcDateTime),
    Column("reports", Integer, nullable=False, server_default="0"),
    Column("agencies", Integer, nullable=False, server_default="0"),
)
Index("ix_entities_kind", entities.c.kind)

# One row per mention: which entity it was resolved to, and why.
entity_mentions = Table(
    "entity_mentions",
    findings_metadata,
    Column("mention_id", String(200), primary_key=True),
    Column("entity_id", String(40), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("report_pk", Integer, nullable=False),
    Column("agency", String(100), nullable=False),
    Column("report_id", String(200), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("role", String(20)),
    Column("text", Text, nullable=False),
    Column(
        "match_weight", Float
    ),  # weight of the strongest link that joined it (None: first of its cluster)
    Column(
        "reasons", Json, nullable=False
    ),  # the comparisons behind that link, for "why were these joined"
)
Index("ix_entity_mentions_entity", entity_mentions.c.entity_id)
Index("ix_entity_mentions_report", entity_mentions.c.report_pk)
