"""Security and tasking facts: agencies, users, sessions, API tokens, login
attempts, handling conditions and their grants, shares, action links, adviser links,
notifications, referral feedback (``lantern.store.security_schema``).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import lantern.store.types as lt

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("code", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("agency_type", sa.String(40)),
        sa.Column("host", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", lt.UtcDateTime, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("agency", sa.String(100), sa.ForeignKey("agencies.code"), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("supervisor", sa.String(100)),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", lt.UtcDateTime),
        sa.Column("created_at", lt.UtcDateTime, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "login_attempts",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("at", lt.UtcDateTime, nullable=False),
        sa.Column("succeeded", sa.Boolean, nullable=False),
        sa.Column("remote", sa.String(100)),
    )
    op.create_index("ix_login_attempts_username", "login_attempts", ["username", "at"])
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_pk", sa.Integer, sa.ForeignKey("users.pk"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", lt.UtcDateTime, nullable=False),
        sa.Column("expires_at", lt.UtcDateTime, nullable=False),
        sa.Column("revoked_at", lt.UtcDateTime),
    )
    op.create_table(
        "api_tokens",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_pk", sa.Integer, sa.ForeignKey("users.pk"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", lt.UtcDateTime, nullable=False),
        sa.Column("expires_at", lt.UtcDateTime),
        sa.Column("revoked_at", lt.UtcDateTime),
    )
    op.create_table(
        "handling_conditions",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_pk", sa.Integer, sa.ForeignKey("reports.pk"), nullable=False),
        sa.Column("condition", sa.Text, nullable=False),
        sa.Column("recorded_at", lt.UtcDateTime, nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_handling_conditions_report", "handling_conditions", ["report_pk"])
    op.create_table(
        "condition_grants",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "condition_pk", sa.Integer, sa.ForeignKey("handling_conditions.pk"), nullable=False
        ),
        sa.Column("report_pk", sa.Integer, sa.ForeignKey("reports.pk"), nullable=False),
        sa.Column("agency", sa.String(100), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
    )
    op.create_index("ix_condition_grants_report", "condition_grants", ["report_pk"])
    op.create_table(
        "report_shares",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_pk", sa.Integer, sa.ForeignKey("reports.pk"), nullable=False),
        sa.Column("agency", sa.String(100), nullable=False),
        sa.Column("shared_at", lt.UtcDateTime, nullable=False),
        sa.Column("shared_by", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.UniqueConstraint("report_pk", "agency", name="uq_report_shares_report_pk_agency"),
    )
    op.create_index("ix_report_shares_agency", "report_shares", ["agency"])
    op.create_table(
        "action_links",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("action_pk", sa.Integer, sa.ForeignKey("actions.pk"), nullable=False),
        sa.Column("target", sa.String(400), nullable=False),
        sa.UniqueConstraint("action_pk", "target", name="uq_action_links_action_pk_target"),
    )
    op.create_index("ix_action_links_target", "action_links", ["target"])
    op.create_table(
        "adviser_links",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("adviser", sa.String(100), nullable=False),
        sa.Column("victim", sa.String(400), nullable=False),
        sa.Column("linked_at", lt.UtcDateTime, nullable=False),
        sa.Column("linked_by", sa.String(100), nullable=False),
        sa.Column("ended_at", lt.UtcDateTime),
    )
    op.create_index("ix_adviser_links_victim", "adviser_links", ["victim"])
    op.create_table(
        "notifications",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("recipient", sa.String(100), nullable=False),
        sa.Column("at", lt.UtcDateTime, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(400), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("read_at", lt.UtcDateTime),
        sa.UniqueConstraint("recipient", "key", name="uq_notifications_recipient_key"),
    )
    op.create_table(
        "referral_feedback",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_pk", sa.Integer, sa.ForeignKey("reports.pk"), nullable=False),
        sa.Column("at", lt.UtcDateTime, nullable=False),
        sa.Column("by", sa.String(100), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
    )
    op.create_index("ix_referral_feedback_report", "referral_feedback", ["report_pk"])


def downgrade() -> None:
    raise NotImplementedError("facts are never dropped")
