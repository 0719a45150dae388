"""Server mode: the real ``lantern serve`` process (uvicorn) on a loopback
port, against the throwaway PostgreSQL the test run starts."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from lantern.auth.demo import create_demo_users
from lantern.auth.sessions import issue_token
from lantern.store.db import open_store
from lantern.store.schema import reports
from tests.security_support import report

LANTERN = str(Path(sys.executable).parent / "lantern")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_listening(proc: subprocess.Popen[bytes], port: int) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            output = proc.stdout.read().decode() if proc.stdout else ""
            pytest.fail(f"lantern serve exited with {proc.returncode}: {output}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("lantern serve did not start listening")


@pytest.mark.postgres
def test_lantern_serve_answers_over_http_against_postgresql(postgres_url: str) -> None:
    engine = open_store(postgres_url)
    create_demo_users(engine)
    with engine.begin() as conn:
        token = issue_token(conn, "rita.referrer", "server test", actor="tests")
    port = _free_port()
    proc = subprocess.Popen(
        [
            LANTERN,
            "serve",
            "--database",
            postgres_url,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_listening(proc, port)
        base = f"http://127.0.0.1:{port}"
        auth = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{base}/api/me").status_code == 401
        assert httpx.get(f"{base}/api/me", headers=auth).json()["role"] == "referrer"
        sent = httpx.post(f"{base}/api/reports", headers=auth, json=report(1, "rmbc-social-care"))
        assert sent.status_code == 201
        page = httpx.get(f"{base}/people")
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    with engine.connect() as conn:
        stored = conn.execute(select(reports.c.agency, reports.c.report_id)).all()
    engine.dispose()
    assert [tuple(r) for r in stored] == [("rmbc-social-care", "R0001")]


def test_the_server_refuses_to_start_before_any_user_exists(sqlite_url: str) -> None:
    open_store(sqlite_url).dispose()
    done = subprocess.run(
        [LANTERN, "serve", "--database", sqlite_url, "--port", str(_free_port())],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "no default password" in done.stderr
