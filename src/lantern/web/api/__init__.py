"""The JSON API under ``/api/``: for other systems (with an API token) and
for the workspace's own scripts (with a session and its CSRF token).

Unauthenticated requests answer 401. ``ACCESS`` maps every route to the
permission it needs (``docs/security.md`` has the route × role matrix)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from lantern.web.api import actions, me, people, reports
from lantern.web.security import csrf_protect

MODULES = (reports, people, actions, me)

router = APIRouter(prefix="/api", tags=["api"], dependencies=[Depends(csrf_protect)])
ACCESS: dict[tuple[str, str], str] = {}
for _module in MODULES:
    router.include_router(_module.router)
    ACCESS.update(_module.ACCESS)
