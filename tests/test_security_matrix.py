"""Every route × every role, allowed or denied as designed.

The design is the ``ACCESS`` table of each module listed in
``lantern.web.app.ROUTERS`` (plus ``FRAMEWORK_ACCESS``), read against the
permissions of ``lantern.auth.roles``. The routes are the app's own, so a new
route is covered as soon as it exists, and one missing from the design fails."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy import Engine

from lantern.auth.matrix import design
from lantern.auth.roles import ROLES, allows
from lantern.store.db import open_store
from tests.security_support import BY_ROLE, World, world


def app_routes() -> list[tuple[str, str]]:
    """(method, path) of every route the app serves."""
    from lantern.web.app import create_app

    engine = open_store("sqlite://")
    app = create_app(engine)
    found = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        methods = getattr(route, "methods", None) or {"GET"}
        path = getattr(context, "path", None) or route.path
        for method in methods - {"HEAD"}:
            found.add((method, path))
    engine.dispose()
    return sorted(found, key=lambda r: (r[1], r[0]))


ROUTES = app_routes()


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    engine: Engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'l.db'}")
    yield world(engine)
    engine.dispose()


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _call(client, method: str, path: str):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(_url(path))
    return client.request(method, _url(path), json={})


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_every_route_is_in_the_design_table(method: str, path: str) -> None:
    assert (method, path) in design(), (
        f"{method} {path} is not in any ACCESS table: say which permission it needs"
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_role_is_allowed_or_denied_as_designed(
    town: World, method: str, path: str, role: str
) -> None:
    permission = design().get((method, path))
    if permission is None:
        pytest.fail(f"{method} {path} is not in the design table")
    if path.startswith("/static"):
        return
    response = _call(town.session(BY_ROLE[role]), method, path)
    assert response.status_code < 500, response.text
    if allows(role, permission):
        assert response.status_code not in (401, 403), (
            f"{role} should be allowed {method} {path} ({permission}): {response.text[:200]}"
        )
    else:
        assert response.status_code == 403, (
            f"{role} should be refused {method} {path} ({permission}): {response.status_code}"
        )


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_signed_out_api_answers_401_and_pages_send_to_login(
    town: World, method: str, path: str
) -> None:
    permission = design().get((method, path))
    if path.startswith("/static"):
        return
    response = _call(town.visitor(), method, path)
    assert response.status_code < 500, response.text
    if permission == "public":
        assert response.status_code not in (401, 403)
    elif path.startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
