"""Users, passwords, lockout, sessions and API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from lantern import clock
from lantern.auth import accounts
from lantern.auth.accounts import MAX_FAILURES, AccountError, add_agency, add_user, authenticate
from lantern.auth.demo import create_demo_users
from lantern.auth.passwords import WeakPassword
from lantern.auth.sessions import (
    SESSION_LIFETIME,
    close_session,
    issue_token,
    open_session,
    revoke_token,
    session_user,
    token_user,
)
from lantern.store.schema import audit_log
from lantern.store.security_schema import api_tokens, sessions, users
from tests import security_support  # noqa: F401  (cheap hashing for tests)

PASSWORD = "a long enough passphrase"


def _agency_and_user(conn, role: str = "analyst") -> None:  # type: ignore[no-untyped-def]
    add_agency(conn, "syp", "South Yorkshire Police", agency_type="police", host=True)
    add_user(conn, username="jo", password=PASSWORD, agency="syp", role=role)


def test_passwords_are_stored_only_as_argon2_hashes(engine: Engine) -> None:
    with engine.begin() as conn:
        _agency_and_user(conn)
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_right_password_signs_in_and_wrong_one_does_not(engine: Engine) -> None:
    with engine.begin() as conn:
        _agency_and_user(conn)
        assert authenticate(conn, "jo", "not the password at all") is None
        user = authenticate(conn, "jo", PASSWORD)
        assert authenticate(conn, "nobody", PASSWORD) is None
    assert user is not None and user.role == "analyst" and user.host


def test_repeated_failures_lock_the_account_even_against_the_right_password(engine: Engine) -> None:
    with engine.begin() as conn:
        _agency_and_user(conn)
        for _ in range(MAX_FAILURES):
            assert authenticate(conn, "jo", "wrong password guess") is None
        assert accounts.is_locked(conn, "jo")
        assert authenticate(conn, "jo", PASSWORD) is None
        actions = (
            conn.execute(select(audit_log.c.action).where(audit_log.c.target == "user:jo"))
            .scalars()
            .all()
        )
    assert "auth.locked" in actions


def test_lockout_ends_after_its_time(engine: Engine) -> None:
    with engine.begin() as conn:
        _agency_and_user(conn)
        for _ in range(MAX_FAILURES):
            authenticate(conn, "jo", "wrong password guess")
        with clock.frozen_at(clock.now() + accounts.LOCKOUT + timedelta(seconds=1)):
            assert authenticate(conn, "jo", PASSWORD) is not None


def test_a_short_or_repetitive_password_is_refused(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn:
        add_agency(conn, "syp", "SYP", host=True)
        with pytest.raises(WeakPassword):
            add_user(conn, username="a", password="short", agency="syp", role="analyst")
        with pytest.raises(WeakPassword):
            add_user(conn, username="a", password="aaaaaaaaaaaaaaaa", agency="syp", role="analyst")


def test_unknown_role_or_agency_is_refused(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn:
        add_agency(conn, "syp", "SYP", host=True)
        with pytest.raises(AccountError):
            add_user(conn, username="a", password=PASSWORD, agency="syp", role="superuser")
        with pytest.raises(AccountError):
            add_user(conn, username="a", password=PASSWORD, agency="nope", role="analyst")


def test_sessions_end_on_sign_out_and_expire(engine: Engine) -> None:
    with engine.begin() as conn:
        _agency_and_user(conn)
        user = authenticate(conn, "jo", PASSWORD)
        assert user is not None
        token, csrf = open_session(conn, user)
        signed_in = session_user(conn, token)
        assert signed_in is not None and signed_in.csrf_token == csrf
        with clock.frozen_at(clock.now() + SESSION_LIFETIME + timedelta(minutes=1)):
            assert session_user(conn, token) is None
        close_session(conn, token)
        assert session_user(conn, token) is None
        stored = conn.execute(select(sessions.c.token_hash)).scalar_one()
    assert token not in stored


def test_api_tokens_work_until_revoked_and_are_kept_only_as_hashes(engine: Engine) -> None:
    with engine.begin() as conn:
        _agency_and_user(conn, role="referrer")
        token = issue_token(conn, "jo", "case system", actor="admin")
        user = token_user(conn, token)
        assert user is not None and user.via == "token" and user.csrf_token is None
        assert token not in conn.execute(select(api_tokens.c.token_hash)).scalar_one()
        revoke_token(conn, token, actor="admin")
        assert token_user(conn, token) is None


def test_demo_users_get_distinct_generated_passwords_once(sqlite_engine: Engine) -> None:
    first = create_demo_users(sqlite_engine)
    passwords = [u.password for u in first]
    assert all(passwords) and len(set(passwords)) == len(passwords)
    assert {u.role for u in first} == {
        "referrer",
        "analyst",
        "investigator",
        "supervisor",
        "adviser",
        "auditor",
        "admin",
    }
    again = create_demo_users(sqlite_engine)
    assert all(u.password is None for u in again)
    with sqlite_engine.begin() as conn:
        for user in first:
            assert authenticate(conn, user.username, user.password or "") is not None
