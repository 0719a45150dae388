"""Property-based run of the API against its own OpenAPI description
(/api/openapi.json): generated requests, as a supervisor and as an auditor,
must never produce a server error. Bounded: a few examples per operation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import Engine

from lantern.store.db import open_store
from tests.security_support import World, report, world

EXAMPLES = 12


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    engine: Engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('st') / 'l.db'}")
    town = world(engine)
    town.token_client("sam.supervisor").post(
        "/api/reports",
        json=[report(1), report(2, grading={"handling": "C", "conditions": "roles: supervisor"})],
    )
    yield town
    engine.dispose()


def _operations() -> list[tuple[str, str]]:
    from fastapi.testclient import TestClient

    from lantern.web.app import create_app

    engine = open_store("sqlite://")
    paths = TestClient(create_app(engine)).get("/api/openapi.json").json()["paths"]
    engine.dispose()
    return [
        (method.upper(), path)
        for path, item in sorted(paths.items())
        if path.startswith("/api/")
        for method in item
    ]


OPERATIONS = _operations()


@pytest.fixture(scope="module")
def tokens(town: World) -> dict[str, str]:
    return {
        role: town.token_client(user).headers["Authorization"]
        for role, user in (("supervisor", "sam.supervisor"), ("auditor", "aud.auditor"))
    }


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_generated_request_causes_a_server_error(
    town: World, tokens: dict[str, str], method: str, path: str
) -> None:
    operation = schemathesis.openapi.from_asgi("/api/openapi.json", town.app)[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case) -> None:  # type: ignore[no-untyped-def]
        for token in tokens.values():
            case.call_and_validate(headers={"Authorization": token}, checks=[not_a_server_error])

    run()
