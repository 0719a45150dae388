"""Which records a user may see (``docs/security.md``, "Who sees which report").

The rule is written once, as a SQL condition over ``reports``
(``report_visibility``); ``can_see_report`` and every list use it, so a page and
a list can never disagree.

- admin: no case records at all.
- auditor: every report.
- a user of a partner (non-host) agency, and any referrer: the reports their
  agency sent, and those shared back to it.
- an adviser (ISVA): also the reports that mention a victim linked to them.
- host-agency analysts, investigators and supervisors: every handling-code P
  report, and a handling-code C report only when its recorded condition grants
  their agency and role.

A handling-code C report is a restricted record: opening it needs a reason,
which is written to the audit log with the read.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    exists,
    false,
    func,
    or_,
    select,
    true,
)

from lantern import clock
from lantern.auth.accounts import User
from lantern.auth.roles import ROLES
from lantern.store import audit
from lantern.store.schema import reports
from lantern.store.security_schema import (
    adviser_links,
    condition_grants,
    handling_conditions,
    report_shares,
)

HOST_STAFF = frozenset({"analyst", "investigator", "supervisor"})
# Who a C report is shown to when its condition names no roles: those who act on it.
DEFAULT_C_ROLES = ("investigator", "supervisor")
_SENDER_ONLY = re.compile(
    r"originator only|sender only|no further dissemination|not (to be )?(shared|disseminated)",
    re.IGNORECASE,
)
_ROLES_LIST = re.compile(r"roles?\s*:\s*([a-z ,]+)", re.IGNORECASE)
_AGENCIES_LIST = re.compile(r"agenc(?:y|ies)\s*:\s*([a-z0-9._ ,-]+)", re.IGNORECASE)


def report_visibility(user: User) -> ColumnElement[bool]:
    """A condition over ``reports`` true for the reports ``user`` may see. Use it
    in every query that lists reports (or joins them)."""
    if user.role == "admin":
        return false()
    if user.role == "auditor":
        return true()
    own_or_shared = or_(
        reports.c.agency == user.agency,
        reports.c.pk.in_(
            select(report_shares.c.report_pk).where(report_shares.c.agency == user.agency)
        ),
    )
    if user.role == "adviser":
        return or_(own_or_shared, and_(_about_linked_victim(user), _handling_allows(user)))
    if user.role in HOST_STAFF and user.host:
        return or_(reports.c.agency == user.agency, _handling_allows(user))
    return own_or_shared


def can_see_report(conn: Connection, user: User, report_row: Any) -> bool:
    """Whether ``user`` may see the report (any row or object with ``pk`` or
    ``report_pk``)."""
    pk = getattr(report_row, "pk", None) or getattr(report_row, "report_pk", None)
    if pk is None and isinstance(report_row, dict):
        pk = report_row.get("pk") or report_row.get("report_pk")
    if pk is None:
        raise ValueError("can_see_report needs the report's pk")
    found = conn.execute(
        select(reports.c.pk).where(reports.c.pk == pk, report_visibility(user))
    ).first()
    return found is not None


def is_restricted(report_row: Any) -> bool:
    """A restricted record (handling code C): opening it needs a reason."""
    handling = getattr(report_row, "handling", None)
    if handling is None and isinstance(report_row, dict):
        handling = report_row.get("handling")
    return handling == "C"


def _handling_allows(user: User) -> ColumnElement[bool]:
    newest = (
        select(func.max(handling_conditions.c.pk))
        .where(handling_conditions.c.report_pk == reports.c.pk)
        .correlate(reports)  # the report being filtered, not every report
        .scalar_subquery()
    )
    agencies = [user.agency, "*"] + (["host"] if user.host else [])
    granted = exists().where(
        condition_grants.c.report_pk == reports.c.pk,
        condition_grants.c.condition_pk == newest,
        condition_grants.c.agency.in_(agencies),
        condition_grants.c.role.in_([user.role, "*"]),
    )
    return or_(reports.c.handling != "C", granted)


def _about_linked_victim(user: User) -> ColumnElement[bool]:
    from lantern.store.findings.resolution import entity_mentions

    victims = select(adviser_links.c.victim).where(
        adviser_links.c.adviser == user.username, adviser_links.c.ended_at.is_(None)
    )
    return reports.c.pk.in_(
        select(entity_mentions.c.report_pk).where(entity_mentions.c.entity_id.in_(victims))
    )


def read_condition(condition: Any) -> tuple[str, list[tuple[str, str]]]:
    """A sender's condition (text, or an object with ``text``, ``agencies``,
    ``roles``) as (text to keep, grants of (agency, role)).

    Text saying "originator only", "no further dissemination" or "not to be
    shared" grants nobody. "roles: a, b" and "agencies: x, y" name who may see
    it; otherwise the host agency's investigators and supervisors may."""
    if isinstance(condition, dict):
        text = str(condition.get("text") or json.dumps(condition, sort_keys=True))
        named_agencies = [str(a) for a in condition.get("agencies") or []]
        named_roles = [str(r) for r in condition.get("roles") or []]
    else:
        text = str(condition or "")
        named_agencies, named_roles = [], []
        if match := _AGENCIES_LIST.search(text):
            named_agencies = [a.strip().lower() for a in match.group(1).split(",") if a.strip()]
        if match := _ROLES_LIST.search(text):
            named_roles = [r.strip().lower() for r in match.group(1).split(",") if r.strip()]
    if _SENDER_ONLY.search(text) and not (named_agencies or named_roles):
        return text, []
    roles = [r for r in named_roles if r in ROLES] or list(DEFAULT_C_ROLES)
    grants = [(agency, role) for agency in (named_agencies or ["host"]) for role in roles]
    return text, grants


def record_condition(conn: Connection, report_pk: int, condition: Any, *, actor: str) -> int:
    """Records a handling-code C report's condition and the grants read from
    it (a later condition replaces an earlier one). Returns the condition's pk."""
    text, grants = read_condition(condition)
    now = clock.now()
    pk = conn.execute(
        handling_conditions.insert().values(
            report_pk=report_pk, condition=text, recorded_at=now, recorded_by=actor
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    if grants:
        conn.execute(
            condition_grants.insert(),
            [
                {"condition_pk": pk, "report_pk": report_pk, "agency": a, "role": r}
                for a, r in grants
            ],
        )
    audit.append(
        conn,
        [
            audit.Entry(
                actor,
                "report.condition",
                f"report-pk:{report_pk}",
                {"condition": text, "grants": [f"{a}:{r}" for a, r in grants]},
            )
        ],
        at=now,
    )
    return int(pk)


def share_report(conn: Connection, report_pk: int, agency: str, *, actor: str, reason: str) -> bool:
    """Shares a report back to a partner agency. False if it already was."""
    already = conn.execute(
        select(report_shares.c.pk).where(
            report_shares.c.report_pk == report_pk, report_shares.c.agency == agency
        )
    ).first()
    if already:
        return False
    now = clock.now()
    conn.execute(
        report_shares.insert().values(
            report_pk=report_pk, agency=agency, shared_at=now, shared_by=actor, reason=reason
        )
    )
    audit.append(
        conn,
        [audit.Entry(actor, "report.shared", f"report-pk:{report_pk}", {"agency": agency}, reason)],
        at=now,
    )
    return True
