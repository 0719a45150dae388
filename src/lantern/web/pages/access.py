"""Who is looking and what they may see: the pages' side of the security work.

The dependencies live in ``lantern.web.security`` (sessions, permissions, CSRF,
audit of reads); which reports a user may see is ``lantern.auth.access``. This
module names them once for every page.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

from lantern.auth.access import is_restricted as is_restricted
from lantern.auth.access import report_visibility
from lantern.web.security import (
    audit_read as audit_read,
)
from lantern.web.security import (
    csrf_protect as csrf_protect,
)
from lantern.web.security import (
    csrf_token as csrf_token,
)
from lantern.web.security import (
    current_user as current_user,
)
from lantern.web.security import (
    optional_user as optional_user,
)
from lantern.web.security import (
    require_permission as require_permission,
)

PARTNER_ROLES = frozenset({"referrer"})


def user_name(user: Any) -> str:
    return str(getattr(user, "display_name", None) or getattr(user, "username", user))


def user_role(user: Any) -> str:
    return str(getattr(user, "role", "") or "")


def user_agency(user: Any) -> str:
    return str(getattr(user, "agency", "") or "")


def actor(user: Any) -> str:
    return str(getattr(user, "actor", None) or getattr(user, "username", "unknown"))


def allows(user: Any, permission: str) -> bool:
    from lantern.auth.roles import allows as role_allows

    return user is not None and role_allows(user_role(user), permission)


def is_partner(user: Any) -> bool:
    return user_role(user) in PARTNER_ROLES


def visible_reports(user: Any) -> ColumnElement[bool]:
    """A condition on ``reports`` selecting the reports this user may see."""
    return report_visibility(user)
