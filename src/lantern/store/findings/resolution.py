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

# Every scored pair of person mentions above the keep floor: its match weight and
# the comparisons that produced it. Clustering reads these; "why were these two
# joined" reads them too. Pairs of objects joined by an exact key are kept with
# their key as the reason.
entity_links = Table(
    "entity_links",
    findings_metadata,
    Column("mention_a", String(200), primary_key=True),  # mention_a < mention_b
    Column("mention_b", String(200), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("match_weight", Float, nullable=False),
    Column("match_probability", Float, nullable=False),
    Column("reasons", Json, nullable=False),  # [{comparison, level, weight}]
    Column("computed_at", UtcDateTime, nullable=False),
)
Index("ix_entity_links_b", entity_links.c.mention_b)

# A partial registration mark is never merged: it becomes a candidate link to
# every known vehicle whose full mark it fits, for a person to confirm.
vehicle_candidates = Table(
    "vehicle_candidates",
    findings_metadata,
    Column("mention_id", String(200), primary_key=True),  # the partial-plate mention
    Column("entity_id", String(40), primary_key=True),  # a vehicle it fits
    Column("partial_vrm", String(20), nullable=False),
    Column("vrm", String(20), nullable=False),
)

# Pairs for a person to judge: those nearest the threshold, and a child's
# records the rules held apart.
review_queue = Table(
    "review_queue",
    findings_metadata,
    Column("mention_a", String(200), primary_key=True),
    Column("mention_b", String(200), primary_key=True),
    Column("entity_a", String(40), nullable=False),
    Column("entity_b", String(40), nullable=False),
    Column("match_weight", Float, nullable=False),
    Column("distance", Float, nullable=False),  # |weight - threshold|
    Column("joined", Integer, nullable=False),  # 1 if clustering put them together
    # why a child's records were held apart for a person to judge (None: a
    # pair near the threshold); see clustering.held_apart
    Column("held", String(200)),
)
Index("ix_review_queue_distance", review_queue.c.distance)

# What resolution needs to match new mentions without recomputing everything:
# each person mention's comparison features, and the trained model.
resolution_features = Table(
    "resolution_features",
    findings_metadata,
    Column("mention_id", String(200), primary_key=True),
    Column("report_pk", Integer, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("kind", String(10), nullable=False),  # person | vehicle | phone | location
    Column("features", Json, nullable=False),
    # What matching a new report reads of every mention, kept small to read
    # fast: a person's comparison row as its values in the order of
    # resolve.features.COLUMNS; an object's data.
    Column("compact", Json, nullable=False),
)
Index("ix_resolution_features_report", resolution_features.c.report_pk)

resolution_models = Table(
    "resolution_models",
    findings_metadata,
    Column("name", String(40), primary_key=True),  # "person"
    Column("trained_at", UtcDateTime, nullable=False),
    Column("labels", Integer, nullable=False),  # judgements used as labels
    Column("settings", Json, nullable=False),  # the Splink model (settings with m/u)
)
