"""Facts of the security and tasking work: agencies, users, sessions, API
tokens, login attempts, handling conditions, what is shared back to partners,
links between actions and what they are about, advisers linked to victims,
notifications and feedback to referrers.

Declared on the facts ``metadata`` (``store/schema.py``) and created by the
migration ``0002_security``. Like every fact they are never deleted: a session
or token is revoked by stamping ``revoked_at``, a user is disabled, not removed.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)

from lantern.store.schema import metadata
from lantern.store.types import UtcDateTime

# An agency that sends reports or uses Lantern. ``host`` marks the force(s)
# operating Lantern, whose staff may see partners' reports (subject to handling).
agencies = Table(
    "agencies",
    metadata,
    Column("code", String(100), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("agency_type", String(40)),
    Column("host", Boolean, nullable=False, server_default=false()),
    Column("created_at", UtcDateTime, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("agency", String(100), ForeignKey("agencies.code"), nullable=False),
    Column("role", String(20), nullable=False),
    Column("supervisor", String(100)),  # username of the user's supervisor
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(100), nullable=False),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Column("remote", String(100)),
)
Index("ix_login_attempts_username", login_attempts.c.username, login_attempts.c.at)

# Only the SHA-256 of a session or API token is stored; the token itself is
# known only to the browser or the system holding it.
sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_pk", Integer, ForeignKey("users.pk"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_pk", Integer, ForeignKey("users.pk"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime),
    Column("revoked_at", UtcDateTime),
)

# A handling-code C report's condition as the sender wrote it (newest row
# wins), and the grants it was read as: which agencies' users in which roles may
# see the report besides its sender and auditors. "host" in ``agency`` means any
# host agency; "*" in ``role`` any role. A condition with no grants: sender only.
handling_conditions = Table(
    "handling_conditions",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("report_pk", Integer, ForeignKey("reports.pk"), nullable=False),
    Column("condition", Text, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(100), nullable=False),
)
Index("ix_handling_conditions_report", handling_conditions.c.report_pk)

condition_grants = Table(
    "condition_grants",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("condition_pk", Integer, ForeignKey("handling_conditions.pk"), nullable=False),
    Column("report_pk", Integer, ForeignKey("reports.pk"), nullable=False),
    Column("agency", String(100), nullable=False),
    Column("role", String(20), nullable=False),
)
Index("ix_condition_grants_report", condition_grants.c.report_pk)

# A report shared back to a partner agency (which then sees it).
report_shares = Table(
    "report_shares",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("report_pk", Integer, ForeignKey("reports.pk"), nullable=False),
    Column("agency", String(100), nullable=False),
    Column("shared_at", UtcDateTime, nullable=False),
    Column("shared_by", String(100), nullable=False),
    Column("reason", Text, nullable=False),
    UniqueConstraint("report_pk", "agency", name="uq_report_shares_report_pk_agency"),
)
Index("ix_report_shares_agency", report_shares.c.agency)

# What an action is about, beyond its source: reports, people, groups, alerts.
action_links = Table(
    "action_links",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("action_pk", Integer, ForeignKey("actions.pk"), nullable=False),
    Column("target", String(400), nullable=False),  # "report:syp/1", "person:…", "group:…"
    UniqueConstraint("action_pk", "target", name="uq_action_links_action_pk_target"),
)
Index("ix_action_links_target", action_links.c.target)

# An independent sexual violence adviser (ISVA) linked to a victim.
adviser_links = Table(
    "adviser_links",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("adviser", String(100), nullable=False),  # username
    Column("victim", String(400), nullable=False),  # "person:<entity id>"
    Column("linked_at", UtcDateTime, nullable=False),
    Column("linked_by", String(100), nullable=False),
    Column("ended_at", UtcDateTime),
)
Index("ix_adviser_links_victim", adviser_links.c.victim)

notifications = Table(
    "notifications",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("recipient", String(100), nullable=False),  # username
    Column("at", UtcDateTime, nullable=False),
    Column("kind", String(40), nullable=False),  # overdue | victim-changed | allocated
    Column("subject", String(400), nullable=False),  # "action:3", "person:…"
    Column("message", Text, nullable=False),
    Column("key", String(400), nullable=False),  # makes each notification once-only
    Column("read_at", UtcDateTime),
    UniqueConstraint("recipient", "key", name="uq_notifications_recipient_key"),
)

# What the sending agency is told about its report, in words it may see.
referral_feedback = Table(
    "referral_feedback",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("report_pk", Integer, ForeignKey("reports.pk"), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("by", String(100), nullable=False),
    Column("message", Text, nullable=False),
)
Index("ix_referral_feedback_report", referral_feedback.c.report_pk)
