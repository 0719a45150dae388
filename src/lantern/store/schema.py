"""The facts: what agencies sent and what people decided. Never deleted or
overwritten; changed only through Alembic migrations (``store/migrations``).

Findings (everything derived) live in ``store/findings.py`` instead.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from lantern.store.types import Json, UtcDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# A report's identity is (agency, report_id); its content lives in revisions.
reports = Table(
    "reports",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("agency", String(100), nullable=False),
    Column("report_id", String(200), nullable=False),
    Column("agency_type", String(40)),
    Column("channel", String(60)),
    Column("handling", String(1), nullable=False, server_default="P"),
    Column("received_at", UtcDateTime, nullable=False),
    Column("first_stored_at", UtcDateTime, nullable=False),
    Column("revisions", Integer, nullable=False, server_default="1"),
    UniqueConstraint("agency", "report_id", name="uq_reports_agency_report_id"),
)
Index("ix_reports_received_at", reports.c.received_at)

report_revisions = Table(
    "report_revisions",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("report_pk", Integer, ForeignKey("reports.pk"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("body", Json, nullable=False),
    Column("stored_at", UtcDateTime, nullable=False),
    Column("stored_by", String(200), nullable=False),
    UniqueConstraint("report_pk", "revision", name="uq_report_revisions_report_pk_revision"),
)
Index("ix_report_revisions_hash", report_revisions.c.report_pk, report_revisions.c.content_hash)

decisions = Table(
    "decisions",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(40), nullable=False),
    Column("subject", String(400), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("made_at", UtcDateTime, nullable=False),
    Column("payload", Json, nullable=False),
)
Index("ix_decisions_subject", decisions.c.subject)
Index("ix_decisions_kind", decisions.c.kind)

actions = Table(
    "actions",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("source", String(400), nullable=False),
    Column("raised_at", UtcDateTime, nullable=False),
    Column("raised_by", String(200), nullable=False),
    Column("priority", String(10), nullable=False, server_default="medium"),
    Column("owner", String(200)),
    Column("due", UtcDateTime),
    Column("status", String(20), nullable=False, server_default="raised"),
    Column("result", Text),
)
Index("ix_actions_status", actions.c.status)
Index("ix_actions_source", actions.c.source)

# Every change to an action is kept, so its history can be reviewed.
action_events = Table(
    "action_events",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("action_pk", Integer, ForeignKey("actions.pk"), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("event", String(40), nullable=False),
    Column("detail", Json, nullable=False),
)

# Append-only and hash-chained: each row holds the hash of the one before.
audit_log = Table(
    "audit_log",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(60), nullable=False),
    Column("target", String(400), nullable=False),
    Column("reason", Text),
    Column("detail", Json, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
Index("ix_audit_log_target", audit_log.c.target)
