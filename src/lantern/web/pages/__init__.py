"""The workspace's HTML pages, one module per thing shown (Datasette-style:
views grouped by what they show, templates in ``web/templates`` beside them).

``router`` gathers every page module's routes and serves ``web/static``;
``ACCESS`` maps each route ``(method, path)`` to the permission it needs
("public" for the visitor's pages), as ``lantern.web.security`` asks.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.staticfiles import StaticFiles

from lantern.web.pages import (
    alerts,
    chart,
    compliance,
    entity,
    groups,
    home,
    language,
    linkage,
    public_report,
    recording,
    referrals,
    report,
    search,
    tasks,
)
from lantern.web.pages.rendering import STATIC

PAGE_MODULES = (
    home,
    search,
    entity,
    report,
    chart,
    groups,
    alerts,
    tasks,
    recording,
    compliance,
    linkage,
    referrals,
    public_report,
    language,
)

router = APIRouter(include_in_schema=False)
for _module in PAGE_MODULES:
    router.include_router(_module.router)
router.mount("/static", StaticFiles(directory=str(STATIC), check_dir=False), name="static")

ACCESS: dict[tuple[str, str], str] = {
    key: permission for _module in PAGE_MODULES for key, permission in _module.ACCESS.items()
}
ACCESS[("GET", "/static")] = "public"
