"""Agencies and users: adding them, and signing in with lockout after repeated
failures. Every change and every sign-in attempt is written to the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Select, select, update

from lantern import clock
from lantern.auth.passwords import hash_password, verify_password
from lantern.auth.roles import ROLES
from lantern.store import audit
from lantern.store.security_schema import agencies, login_attempts, users

MAX_FAILURES = 5  # consecutive failed sign-ins before the account is locked
LOCKOUT = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class User:
    """A signed-in user, as the web layer and the access rules see them."""

    pk: int
    username: str
    display_name: str
    agency: str
    role: str
    host: bool  # belongs to a host agency (the force operating Lantern)
    supervisor: str | None = None
    csrf_token: str | None = None  # set when signed in by a browser session
    via: str = "session"  # "session" or "token"

    @property
    def actor(self) -> str:
        """How the user is named in the audit log."""
        return self.username


class AccountError(ValueError):
    """An agency or user that cannot be added as asked."""


def add_agency(
    conn: Connection,
    code: str,
    name: str,
    *,
    agency_type: str | None = None,
    host: bool = False,
    actor: str = "system",
) -> None:
    """Adds an agency (nothing happens if it already exists)."""
    if conn.execute(select(agencies.c.code).where(agencies.c.code == code)).first():
        return
    now = clock.now()
    conn.execute(
        agencies.insert().values(
            code=code, name=name, agency_type=agency_type, host=host, created_at=now
        )
    )
    audit.append(
        conn,
        [audit.Entry(actor, "agency.added", f"agency:{code}", {"name": name, "host": host})],
        at=now,
    )


def add_user(
    conn: Connection,
    *,
    username: str,
    password: str,
    agency: str,
    role: str,
    display_name: str | None = None,
    supervisor: str | None = None,
    actor: str = "system",
) -> int:
    """Adds a user with an argon2 hash of ``password``; returns the user's pk."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)} (got {role!r})")
    if (
        not username
        or len(username) > 100
        or not username.replace(".", "").replace("-", "").replace("_", "").isalnum()
    ):
        raise AccountError("a username is letters, digits, '.', '-' or '_'")
    if conn.execute(select(agencies.c.code).where(agencies.c.code == agency)).first() is None:
        raise AccountError(f"no agency {agency!r}: add it first")
    if conn.execute(select(users.c.pk).where(users.c.username == username)).first():
        raise AccountError(f"user {username!r} already exists")
    if supervisor is not None and get_user(conn, supervisor) is None:
        raise AccountError(f"no user {supervisor!r} to be the supervisor")
    now = clock.now()
    pk = conn.execute(
        users.insert().values(
            username=username,
            display_name=display_name or username,
            agency=agency,
            role=role,
            supervisor=supervisor,
            password_hash=hash_password(password),
            created_at=now,
            created_by=actor,
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    audit.append(
        conn,
        [
            audit.Entry(
                actor,
                "user.added",
                f"user:{username}",
                {"agency": agency, "role": role, "supervisor": supervisor},
            )
        ],
        at=now,
    )
    return int(pk)


def get_user(conn: Connection, username: str) -> User | None:
    """The active user named ``username``."""
    row = conn.execute(_user_query().where(users.c.username == username)).first()
    return _user(row) if row is not None else None


def get_user_by_pk(conn: Connection, pk: int, **extra: Any) -> User | None:
    row = conn.execute(_user_query().where(users.c.pk == pk)).first()
    return _user(row, **extra) if row is not None else None


def list_users(conn: Connection) -> list[User]:
    return [_user(row) for row in conn.execute(_user_query().order_by(users.c.username))]


def supervisor_of(conn: Connection, username: str) -> str | None:
    return conn.execute(select(users.c.supervisor).where(users.c.username == username)).scalar()


def authenticate(
    conn: Connection, username: str, password: str, *, remote: str | None = None
) -> User | None:
    """The user if ``password`` is right and the account is not locked. Records
    the attempt; ``MAX_FAILURES`` consecutive failures lock the account for
    ``LOCKOUT`` (a right password during the lockout is refused too)."""
    now = clock.now()
    row = conn.execute(
        select(users).where(users.c.username == username, users.c.active.is_(True))
    ).first()
    locked = row is not None and row.locked_until is not None and row.locked_until > now
    ok = verify_password(row.password_hash if row is not None else None, password)
    succeeded = ok and not locked
    conn.execute(
        login_attempts.insert().values(
            username=username[:100], at=now, succeeded=succeeded, remote=remote
        )
    )
    entries = []
    if row is not None:
        if succeeded:
            conn.execute(
                update(users).where(users.c.pk == row.pk).values(failed_logins=0, locked_until=None)
            )
        elif not locked:
            failures = row.failed_logins + 1
            values: dict[str, Any] = {"failed_logins": failures}
            if failures >= MAX_FAILURES:
                values["locked_until"] = now + LOCKOUT
                entries.append(
                    audit.Entry("system", "auth.locked", f"user:{username}", {"failures": failures})
                )
            conn.execute(update(users).where(users.c.pk == row.pk).values(**values))
    action = "auth.signed-in" if succeeded else "auth.sign-in-refused"
    detail = {"remote": remote, "locked": bool(locked)}
    entries.insert(0, audit.Entry(username[:100], action, f"user:{username[:100]}", detail))
    audit.append(conn, entries, at=now)
    return get_user(conn, username) if succeeded else None


def is_locked(conn: Connection, username: str) -> bool:
    until = conn.execute(select(users.c.locked_until).where(users.c.username == username)).scalar()
    return until is not None and until > clock.now()


def set_password(conn: Connection, username: str, password: str, *, actor: str) -> None:
    conn.execute(
        update(users)
        .where(users.c.username == username)
        .values(password_hash=hash_password(password), failed_logins=0, locked_until=None)
    )
    audit.append(conn, [audit.Entry(actor, "user.password-set", f"user:{username}", {})])


def user_query() -> Select[Any]:
    """The columns a ``User`` is made of (active users only), for joining."""
    return _user_query()


def user_from_row(row: Any, **extra: Any) -> User:
    return _user(row, **extra)


def _user_query() -> Select[Any]:
    return (
        select(
            users.c.pk,
            users.c.username,
            users.c.display_name,
            users.c.agency,
            users.c.role,
            users.c.supervisor,
            agencies.c.host,
        )
        .join(agencies, agencies.c.code == users.c.agency)
        .where(users.c.active.is_(True))
    )


def _user(row: Any, **extra: Any) -> User:
    return User(
        pk=row.pk,
        username=row.username,
        display_name=row.display_name,
        agency=row.agency,
        role=row.role,
        host=bool(row.host),
        supervisor=row.supervisor,
        **extra,
    )
