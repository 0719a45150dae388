"""Who is asking, may they, and is the form theirs: the FastAPI dependencies
every route uses (``docs/security.md``).

For route modules (pages and API):

- ``current_user``: the signed-in user. Unauthenticated, a JSON API route
  (``/api/...``) answers 401 and a page redirects (303) to ``/login?next=…``.
- ``require_permission("person.read")`` / ``require_role("supervisor", …)``:
  the user, or 403. Permissions are in ``lantern.auth.roles``.
- ``csrf_protect``: put on every form post (``dependencies=[Depends(csrf_protect)]``).
  A browser session must send its CSRF token, as the form field ``csrf_token``
  or the header ``X-CSRF-Token``; an API token needs none. A form of a visitor
  who is not signed in (the public "report a concern" form) carries a signed,
  time-limited token instead.
- ``csrf_token(request)``: the token to put in a form (``{{ csrf_token(request) }}``).
- ``audit_read(conn, user, target, reason)``: writes a read of a person, report
  or group (``"person:…"``, ``"report:syp/1"``, ``"group:…"``) to the audit log.
- ``store(request)``: a transaction on the store (``with store(request) as conn``).
  On SQLite, transactions of this process queue on a lock instead of
  busy-waiting on the database file (SQLite has one writer at a time anyway).

Each module contributing routes exposes ``ACCESS``: ``{(method, path): permission}``
for every route it adds; the route × role test fails for a route not listed.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool

from lantern.auth.accounts import User
from lantern.auth.roles import allows
from lantern.auth.sessions import session_user, token_user
from lantern.store import audit

# Routes FastAPI itself adds, and the static files: in the design table too.
# The API's description holds no personal data, so it is public.
FRAMEWORK_ACCESS = {
    ("GET", "/api/openapi.json"): "public",
    ("GET", "/api/docs"): "public",
    ("GET", "/docs/oauth2-redirect"): "public",
    ("GET", "/redoc"): "public",
    ("GET", "/static"): "public",
}

SESSION_COOKIE = "lantern_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
ANONYMOUS_CSRF_MAX_AGE = 4 * 3600  # seconds a visitor's form stays valid
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The key that signs visitors' CSRF tokens: LANTERN_SECRET_KEY, or one made for
# this process (so a restart invalidates forms left open, nothing worse).
_SIGNER = URLSafeTimedSerializer(
    os.environ.get("LANTERN_SECRET_KEY") or secrets.token_urlsafe(32), salt="lantern-csrf"
)


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


_QUEUES: dict[int, threading.RLock] = {}
_QUEUES_LOCK = threading.Lock()


def queued(engine: Engine) -> AbstractContextManager[object]:
    """Held around a transaction: on SQLite, one at a time in this process."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    with _QUEUES_LOCK:
        return _QUEUES.setdefault(id(engine), threading.RLock())


@contextmanager
def store(request: Request) -> Iterator[Connection]:
    """A transaction on the store, committed when the block ends."""
    engine = engine_of(request)
    with queued(engine), engine.begin() as conn:
        yield conn


def optional_user(request: Request) -> User | None:
    """The user behind the request (API token, then session cookie), or None."""
    if hasattr(request.state, "user"):
        cached: User | None = request.state.user
        return cached
    user = None
    header = request.headers.get("authorization", "")
    token = request.cookies.get(SESSION_COOKIE)
    if header.lower().startswith("bearer ") or token:
        engine = engine_of(request)
        with queued(engine), engine.connect() as conn:
            if header.lower().startswith("bearer "):
                user = token_user(conn, header[7:].strip())
            elif token:
                user = session_user(conn, token)
    request.state.user = user
    return user


def is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def current_user(request: Request) -> User:
    """The signed-in user; 401 for /api, a redirect to /login for pages."""
    user = optional_user(request)
    if user is not None:
        return user
    if is_api(request):
        raise HTTPException(
            status_code=401,
            detail="sign in or send an API token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    raise HTTPException(
        status_code=303,
        detail="sign in first",
        headers={"Location": f"/login?next={quote(target, safe='')}"},
    )


def require_permission(permission: str) -> Callable[..., User]:
    """A dependency: the signed-in user if their role holds ``permission``, else 403."""
    allows("admin", permission)  # an unknown permission fails at import, not per request

    def dependency(user: User = Depends(current_user)) -> User:
        if not allows(user.role, permission):
            raise HTTPException(status_code=403, detail=f"your role may not: {permission}")
        return user

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


def require_role(*roles: str) -> Callable[..., User]:
    """A dependency: the signed-in user if their role is one of ``roles``, else 403."""

    def dependency(user: User = Depends(current_user)) -> User:
        if user.role not in roles:
            raise HTTPException(status_code=403, detail="not for your role")
        return user

    return dependency


def csrf_token(request: Request) -> str:
    """The CSRF token for a form on this page: the session's own, or a signed
    visitor token when nobody is signed in."""
    user = optional_user(request)
    if user is not None and user.csrf_token:
        return user.csrf_token
    return visitor_csrf_token()


def visitor_csrf_token() -> str:
    """A signed, time-limited CSRF token for the form of someone not signed in."""
    return str(_SIGNER.dumps(secrets.token_urlsafe(8)))


async def csrf_protect(request: Request) -> None:
    """Refuses (403) a state-changing request from a browser without the right
    CSRF token. API-token requests are exempt: browsers never add those."""
    if request.method not in UNSAFE_METHODS:
        return
    user = await run_in_threadpool(optional_user, request)  # never block the event loop
    if user is not None and user.via == "token":
        return
    if user is None and is_api(request):
        return  # nobody is signed in: the route's own dependency answers 401
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not csrf_valid(user, sent):
        raise HTTPException(status_code=403, detail="the form's CSRF token is missing or wrong")


def csrf_valid(user: User | None, sent: str) -> bool:
    if user is not None and user.csrf_token:
        return hmac.compare_digest(user.csrf_token, sent)
    if user is not None:
        return False
    try:
        _SIGNER.loads(sent, max_age=ANONYMOUS_CSRF_MAX_AGE)
    except BadSignature:
        return False
    return True


def audit_read(
    conn: Connection,
    user: User,
    target: str,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Writes "``user`` read ``target``" (with the reason, where one was given)
    to the audit log, in the caller's transaction. ``target`` is
    ``"report:<agency>/<id>"``, ``"person:<id>"``, ``"group:<id>"``…"""
    kind = target.split(":", 1)[0]
    info = {"role": user.role, "agency": user.agency, "via": user.via, **(detail or {})}
    audit.append(conn, [audit.Entry(user.actor, f"read.{kind}", target, info, reason or None)])


def cookies_secure() -> bool:
    """Session cookies are Secure (sent over HTTPS only; browsers count
    localhost as secure) unless LANTERN_COOKIE_SECURE=0, for plain-HTTP
    development on another host name only."""
    return os.environ.get("LANTERN_COOKIE_SECURE", "1") != "0"


def set_session_cookie(response: Response, token: str) -> None:
    """HTTP-only, same-site, Secure: scripts cannot read it, other sites cannot send it."""
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, secure=cookies_secure(), samesite="lax", path="/"
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", secure=cookies_secure(), httponly=True, samesite="lax"
    )
