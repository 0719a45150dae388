"""The facts: reports and their revisions, decisions, actions, the audit chain.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import lantern.store.types as lt

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agency", sa.String(100), nullable=False),
        sa.Column("report_id", sa.String(200), nullable=False),
        sa.Column("agency_type", sa.String(40)),
        sa.Column("channel", sa.String(60)),
        sa.Column("handling", sa.String(1), nullable=False, server_default="P"),
        sa.Column("received_at", lt.UtcDateTime, nullable=False),
        sa.Column("first_stored_at", lt.UtcDateTime, nullable=False),
        sa.Column("revisions", sa.Integer, nullable=False, server_default="1"),
        sa.UniqueConstraint("agency", "report_id", name="uq_reports_agency_report_id"),
    )
    op.create_index("ix_reports_received_at", "reports", ["received_at"])
    op.create_table(
        "report_revisions",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_pk", sa.Integer, sa.ForeignKey("reports.pk"), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("body", lt.Json, nullable=False),
        sa.Column("stored_at", lt.UtcDateTime, nullable=False),
        sa.Column("stored_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("report_pk", "revision", name="uq_report_revisions_report_pk_revision"),
    )
    op.create_index("ix_report_revisions_hash", "report_revisions", ["report_pk", "content_hash"])
    op.create_table(
        "decisions",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(400), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("made_at", lt.UtcDateTime, nullable=False),
        sa.Column("payload", lt.Json, nullable=False),
    )
    op.create_index("ix_decisions_subject", "decisions", ["subject"])
    op.create_index("ix_decisions_kind", "decisions", ["kind"])
    op.create_table(
        "actions",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("source", sa.String(400), nullable=False),
        sa.Column("raised_at", lt.UtcDateTime, nullable=False),
        sa.Column("raised_by", sa.String(200), nullable=False),
        sa.Column("priority", sa.String(10), nullable=False, server_default="medium"),
        sa.Column("owner", sa.String(200)),
        sa.Column("due", lt.UtcDateTime),
        sa.Column("status", sa.String(20), nullable=False, server_default="raised"),
        sa.Column("result", sa.Text),
    )
    op.create_index("ix_actions_status", "actions", ["status"])
    op.create_index("ix_actions_source", "actions", ["source"])
    op.create_table(
        "action_events",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("action_pk", sa.Integer, sa.ForeignKey("actions.pk"), nullable=False),
        sa.Column("at", lt.UtcDateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("detail", lt.Json, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer, "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("at", lt.UtcDateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("target", sa.String(400), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("detail", lt.Json, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_target", "audit_log", ["target"])


def downgrade() -> None:
    raise NotImplementedError("facts are never dropped")
