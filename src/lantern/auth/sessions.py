"""Browser sessions and API tokens. Only the SHA-256 of a token is stored, so a
copy of the database does not let anyone sign in. A session carries its own
CSRF token; API tokens (for other systems) need none, as browsers never send
them by themselves."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import Connection, update

from lantern import clock
from lantern.auth.accounts import User, get_user, user_from_row, user_query
from lantern.auth.passwords import new_token
from lantern.store import audit
from lantern.store.security_schema import api_tokens, sessions, users

SESSION_LIFETIME = timedelta(hours=10)  # a working shift


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(conn: Connection, user: User) -> tuple[str, str]:
    """Starts a session for ``user``; returns (session token, CSRF token)."""
    token, csrf = new_token(), new_token()
    now = clock.now()
    conn.execute(
        sessions.insert().values(
            token_hash=token_hash(token),
            user_pk=user.pk,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return token, csrf


def session_user(conn: Connection, token: str) -> User | None:
    """The user of a live session, with its CSRF token (one query)."""
    row = conn.execute(
        user_query()
        .add_columns(sessions.c.csrf_token, sessions.c.expires_at)
        .join(sessions, sessions.c.user_pk == users.c.pk)
        .where(sessions.c.token_hash == token_hash(token), sessions.c.revoked_at.is_(None))
    ).first()
    if row is None or row.expires_at <= clock.now():
        return None
    return user_from_row(row, csrf_token=row.csrf_token, via="session")


def close_session(conn: Connection, token: str) -> None:
    conn.execute(
        update(sessions)
        .where(sessions.c.token_hash == token_hash(token), sessions.c.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )


def issue_token(
    conn: Connection,
    username: str,
    name: str,
    *,
    actor: str,
    expires_at: datetime | None = None,
) -> str:
    """Issues an API token for ``username`` (shown once; only its hash is kept)."""
    user = get_user(conn, username)
    if user is None:
        raise ValueError(f"no user {username!r}")
    token = new_token()
    now = clock.now()
    conn.execute(
        api_tokens.insert().values(
            token_hash=token_hash(token),
            user_pk=user.pk,
            name=name,
            created_at=now,
            expires_at=expires_at,
        )
    )
    audit.append(
        conn, [audit.Entry(actor, "token.issued", f"user:{username}", {"name": name})], at=now
    )
    return token


def token_user(conn: Connection, token: str) -> User | None:
    """The user an API token acts for, if it is live (one query)."""
    row = conn.execute(
        user_query()
        .add_columns(api_tokens.c.expires_at)
        .join(api_tokens, api_tokens.c.user_pk == users.c.pk)
        .where(api_tokens.c.token_hash == token_hash(token), api_tokens.c.revoked_at.is_(None))
    ).first()
    if row is None or (row.expires_at is not None and row.expires_at <= clock.now()):
        return None
    return user_from_row(row, via="token")


def revoke_token(conn: Connection, token: str, *, actor: str) -> None:
    conn.execute(
        update(api_tokens)
        .where(api_tokens.c.token_hash == token_hash(token))
        .values(revoked_at=clock.now())
    )
    audit.append(conn, [audit.Entry(actor, "token.revoked", "token", {})])
