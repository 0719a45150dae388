"""Signing in and out: ``/login`` (GET the form, POST it) and ``/logout``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from lantern.auth.accounts import authenticate
from lantern.auth.sessions import close_session, open_session
from lantern.web.security import (
    SESSION_COOKIE,
    clear_session_cookie,
    csrf_protect,
    csrf_token,
    optional_user,
    set_session_cookie,
    store,
)

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

ACCESS = {
    ("GET", "/login"): "public",
    ("POST", "/login"): "public",
    ("POST", "/logout"): "public",
}


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another site (``//evil``, ``https://…``)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _form(
    request: Request, *, next_: str, error: str | None = None, username: str = "", status: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "auth/login.html",
        {
            "csrf": csrf_token(request),
            "next": safe_next(next_),
            "error": error,
            "username": username,
        },
        status_code=status,
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    if optional_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _form(request, next_=next)


@router.post("/login", dependencies=[Depends(csrf_protect)])
def login(
    request: Request,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    remote = request.client.host if request.client else None
    with store(request) as conn:
        user = authenticate(conn, username, password, remote=remote)
        token = open_session(conn, user)[0] if user is not None else None
    if token is None:
        return _form(
            request,
            next_=next,
            username=username,
            error="Not signed in: the username or password is wrong, or the account is "
            "locked after repeated failures (try again in 15 minutes).",
            status=401,
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, token)
    return response


@router.post("/logout", dependencies=[Depends(csrf_protect)])
def logout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with store(request) as conn:
            close_session(conn, token)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response)
    return response
