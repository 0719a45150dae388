"""The FastAPI application. Routers are contributed by modules listed in
``ROUTERS`` (each exposes ``router``); one that has not landed is skipped."""

from __future__ import annotations

import importlib

from fastapi import FastAPI
from sqlalchemy import Engine

from lantern import __version__
from lantern.store.db import open_store

ROUTERS = (
    "lantern.web.api",  # JSON API under /api/ (security work)
    "lantern.web.auth_routes",  # /login, /logout (security work)
    "lantern.web.pages",  # HTML pages (workspace work)
)


def create_app(engine: Engine | None = None, database_url: str | None = None) -> FastAPI:
    app = FastAPI(
        title="Lantern", version=__version__, docs_url="/api/docs", openapi_url="/api/openapi.json"
    )
    app.state.engine = engine or open_store(database_url)
    for module_path in ROUTERS:
        try:
            module = importlib.import_module(module_path)
        except ModuleNotFoundError as exc:
            if exc.name and module_path.startswith(exc.name):
                continue
            raise
        app.include_router(module.router)
    return app
