"""Helpers for the security, API and tasking tests: a store with the demo
agencies and one user per role, and clients signed in as any of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from lantern.auth import passwords
from lantern.auth.accounts import add_user, get_user
from lantern.auth.demo import DemoUser, create_demo_users
from lantern.auth.sessions import issue_token, open_session
from lantern.web.app import create_app
from lantern.web.security import CSRF_HEADER, SESSION_COOKIE, visitor_csrf_token

# Tests hash with the cheapest argon2id parameters: the machine running them is
# shared, and the strength of the hash is not what they test.
passwords.HASHER = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)

BASE = "https://testserver"  # session cookies are Secure: browsers send them over HTTPS only
# One demo user per role (lantern.auth.demo).
BY_ROLE = {
    "referrer": "rita.referrer",
    "analyst": "ana.analyst",
    "investigator": "ian.investigator",
    "supervisor": "sam.supervisor",
    "adviser": "ada.adviser",
    "auditor": "aud.auditor",
    "admin": "adm.admin",
}


@dataclass
class World:
    engine: Engine
    app: FastAPI
    users: dict[str, DemoUser]

    def session(self, username: str) -> TestClient:
        """A browser signed in as ``username``, sending its CSRF token on every request."""
        with self.engine.begin() as conn:
            user = get_user(conn, username)
            assert user is not None
            token, csrf = open_session(conn, user)
        client = TestClient(self.app, base_url=BASE, follow_redirects=False)
        client.cookies.set(SESSION_COOKIE, token)
        client.headers[CSRF_HEADER] = csrf
        return client

    def bare_session(self, username: str) -> TestClient:
        """A browser signed in as ``username`` that does not send its CSRF token."""
        client = self.session(username)
        del client.headers[CSRF_HEADER]
        return client

    def token_client(self, username: str) -> TestClient:
        """Another system using an API token of ``username``."""
        with self.engine.begin() as conn:
            token = issue_token(conn, username, "tests", actor="tests")
        client = TestClient(self.app, base_url=BASE, follow_redirects=False)
        client.headers["Authorization"] = f"Bearer {token}"
        return client

    def visitor(self) -> TestClient:
        """Someone not signed in, whose forms carry a visitor CSRF token."""
        client = TestClient(self.app, base_url=BASE, follow_redirects=False)
        client.headers[CSRF_HEADER] = visitor_csrf_token()
        return client

    def add_user(self, username: str, agency: str, role: str, **kw: Any) -> None:
        with self.engine.begin() as conn:
            add_user(
                conn,
                username=username,
                password="a long test password",
                agency=agency,
                role=role,
                **kw,
            )


def world(engine: Engine) -> World:
    users = {u.username: u for u in create_demo_users(engine)}
    return World(engine, create_app(engine), users)


def report(n: int, agency: str = "syp", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": f"R{n:04d}",
        "agency": agency,
        "agency_type": "police" if agency == "syp" else "social-care",
        "received_at": f"2024-03-{1 + n % 28:02d}T10:00:00+00:00",
        "narrative": f"Report {n}: a girl of 14 seen getting into a silver car outside the takeaway.",
    }
    body.update(fields)
    return body
