"""Roles and what each may do: the one table of the access design
(``docs/security.md`` explains it). Routes name a permission; a role holds a
set of permissions. Which *records* a permitted user may see is decided
separately, by ``lantern.auth.access`` (agency, sharing, handling code).
"""

from __future__ import annotations

from typing import Final

ROLES: Final = (
    "referrer",  # a partner's (or the force's) referring officer: sends reports, sees their outcome
    "analyst",  # reads everything the handling allows, searches, raises actions
    "investigator",  # acts: owns and results actions
    "supervisor",  # allocates and reviews actions, sees everything overdue, shares back
    "adviser",  # an ISVA: sees the victims linked to them, is notified of changes
    "auditor",  # reads everything (including the audit log), changes nothing
    "admin",  # manages users and agencies; reads no case records
)

# Every permission a route may name. "public" and "signed-in" are not held by
# roles: "public" needs nobody, "signed-in" needs any active user.
PERMISSIONS: Final = {
    "public": "anyone, signed in or not",
    "signed-in": "any signed-in user (their own notifications, the home page)",
    "report.submit": "send reports (API intake, referral form)",
    "report.read": "open reports the access rules let them see",
    "report.share": "share a report back to a partner agency; record a handling condition",
    "person.read": "open people and search for them",
    "group.read": "open groups and the link chart",
    "search": "search report text, people, vehicles, phones, places",
    "action.read": "see actions and the task lists",
    "action.raise": "raise an action by hand or from an alert or report",
    "action.allocate": "allocate or re-allocate an action to an owner",
    "action.result": "record the result of an action they own",
    "action.review": "review a resulted action; see everything overdue or unowned",
    "feedback.read": "see the status and outcome of reports their agency sent",
    "feedback.write": "write feedback to the agency that sent a report",
    "adviser.link": "link an adviser (ISVA) to a victim",
    "recording.decide": "record a crime or no-crime decision",
    "audit.read": "read the audit log",
    "users.manage": "add users and agencies, issue API tokens",
}

_READ_CASES = {"report.read", "person.read", "group.read", "search", "action.read"}

ROLE_PERMISSIONS: Final[dict[str, frozenset[str]]] = {
    "referrer": frozenset({"report.submit", "report.read", "feedback.read"}),
    "analyst": frozenset(_READ_CASES | {"report.submit", "action.raise", "feedback.read"}),
    "investigator": frozenset(
        _READ_CASES
        | {
            "report.submit",
            "action.raise",
            "action.result",
            "feedback.read",
            "feedback.write",
            "recording.decide",
        }
    ),
    "supervisor": frozenset(
        _READ_CASES
        | {
            "report.submit",
            "report.share",
            "action.raise",
            "action.allocate",
            "action.result",
            "action.review",
            "feedback.read",
            "feedback.write",
            "adviser.link",
            "recording.decide",
        }
    ),
    "adviser": frozenset({"report.read", "person.read", "feedback.read"}),
    "auditor": frozenset(_READ_CASES | {"feedback.read", "audit.read"}),
    "admin": frozenset({"users.manage", "audit.read"}),
}

# Roles whose members may be sent an action to own.
OWNER_ROLES: Final = frozenset({"analyst", "investigator", "supervisor"})


def allows(role: str, permission: str) -> bool:
    """Whether ``role`` holds ``permission`` ("public" and "signed-in" are held
    by every role)."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    if permission in ("public", "signed-in"):
        return role in ROLE_PERMISSIONS
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def roles_with(permission: str) -> list[str]:
    """The roles that hold ``permission``, in the order of ``ROLES``."""
    return [role for role in ROLES if allows(role, permission)]
