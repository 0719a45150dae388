"""Rendering pages: the Jinja2 environment, the layout's context, pagination."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from lantern import clock
from lantern.auth.accounts import User
from lantern.resolve.labels import LABELS
from lantern.web.pages import access
from lantern.web.security import engine_of as engine_of

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = Path(__file__).resolve().parent.parent / "static"
templates = Jinja2Templates(directory=str(TEMPLATES))

# The navigation: (path, label, the permission that shows it).
NAV: tuple[tuple[str, str, str], ...] = (
    ("/", "Home", "signed-in"),
    ("/search", "Search", "search"),
    ("/alerts", "Alerts", "action.read"),
    ("/tasks", "Tasks", "action.read"),
    ("/recording", "Recording", "search"),
    ("/groups", "Groups", "group.read"),
    ("/linkage", "Linkage review", "person.read"),
    ("/compliance", "Compliance", "search"),
    ("/referrals", "Referrals", "feedback.read"),
)

T = TypeVar("T")

# The signed-in user (the route's own dependency has already checked the permission).
Viewer = Annotated[User, Depends(access.current_user)]
Visitor = Annotated[User | None, Depends(access.optional_user)]


class PageRoutes:
    """A page module's routes, each declared with the permission it needs; form
    posts are CSRF-checked. ``access`` is the module's ``ACCESS`` table."""

    def __init__(self) -> None:
        self.router = APIRouter()
        self.access: dict[tuple[str, str], str] = {}

    def get(self, path: str, permission: str, **kwargs: Any) -> Callable[[Any], Any]:
        return self._route("GET", path, permission, **kwargs)

    def post(self, path: str, permission: str, **kwargs: Any) -> Callable[[Any], Any]:
        return self._route("POST", path, permission, **kwargs)

    def _route(
        self, method: str, path: str, permission: str, **kwargs: Any
    ) -> Callable[[Any], Any]:
        dependencies = []
        if permission != "public":
            dependencies.append(Depends(access.require_permission(permission)))
        if method != "GET":
            dependencies.append(Depends(access.csrf_protect))
        self.access[(method, path)] = permission
        kwargs.setdefault("response_class", HTMLResponse)
        return self.router.api_route(path, methods=[method], dependencies=dependencies, **kwargs)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: its rows, where it starts, whether more follow."""

    items: list[T]
    offset: int
    limit: int
    has_next: bool

    @classmethod
    def of(cls, rows: list[T], offset: int, limit: int) -> Page[T]:
        """Rows fetched with LIMIT limit+1: the extra row only says there is more."""
        return cls(rows[:limit], offset, limit, len(rows) > limit)

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    def link(self, request: Request, offset: int) -> str:
        params = dict(request.query_params)
        params["offset"] = str(max(offset, 0))
        return f"{request.url.path}?{urlencode(params)}"


PAGE_SIZE = 25
MAX_OFFSET = 100_000


def page_bounds(offset: int, limit: int = PAGE_SIZE) -> tuple[int, int]:
    return max(0, min(offset, MAX_OFFSET)), max(1, min(limit, 100))


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    user: Any = None,
    status_code: int = 200,
) -> HTMLResponse:
    """A page in the workspace layout."""
    nav = [(path, label) for path, label, permission in NAV if access.allows(user, permission)]
    base = {
        "request": request,
        "user": user,
        "user_name": access.user_name(user) if user is not None else "",
        "user_role": access.user_role(user) if user is not None else "",
        "user_agency": access.user_agency(user) if user is not None else "",
        "nav": nav,
        "current_path": request.url.path,
        "csrf_token": access.csrf_token(request),
        "may": lambda permission: access.allows(user, permission),
        "now": clock.now(),
    }
    return templates.TemplateResponse(
        request, template, {**base, **context}, status_code=status_code
    )


def as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def when(value: datetime | None) -> str:
    """A time as the workspace shows it: ``12 Apr 2011 21:40``."""
    moment = as_utc(value)
    return moment.strftime("%d %b %Y %H:%M") if moment else ""


def day(value: datetime | None) -> str:
    moment = as_utc(value)
    return moment.strftime("%d %b %Y") if moment else ""


templates.env.filters["when"] = when
templates.env.filters["day"] = day
templates.env.globals["comparison_labels"] = LABELS
