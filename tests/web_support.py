"""Helpers for the workspace tests: the demo town (simulated, ingested and
analysed once per test session, then copied for each test module that changes
it), its demo users, signed-in test clients, and the real app served by
uvicorn on a free loopback port for the browser journeys."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from lantern.auth.accounts import get_user
from lantern.auth.demo import create_demo_users
from lantern.auth.sessions import open_session
from lantern.intake.ingest import ingest_file
from lantern.pipeline import analyse
from lantern.sim import generate_town
from lantern.store.db import open_store
from lantern.web.app import create_app
from lantern.web.security import CSRF_HEADER, SESSION_COOKIE

SEED = 7
BASE = "https://testserver"  # session cookies are Secure


@dataclass(frozen=True)
class Town:
    """A demo town in a store of its own, with the demo users' passwords."""

    db: Path
    truth: dict[str, Any]
    passwords: dict[str, str]

    @property
    def url(self) -> str:
        return f"sqlite:///{self.db}"

    def copy_to(self, folder: Path) -> Town:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "lantern.db"
        shutil.copyfile(self.db, target)
        return Town(target, self.truth, self.passwords)

    def child_at_risk(self) -> str:
        """The name of the exploited child the reports mention most often."""
        counts: dict[str, int] = {}
        for mention in self.truth["mentions"]:
            counts[mention["person_id"]] = counts.get(mention["person_id"], 0) + 1
        children = [p for p in self.truth["people"] if p.get("exploited")]
        best = max(children, key=lambda p: counts.get(p["person_id"], 0))
        return str(best["names"][0])


def build_town(folder: Path) -> Town:
    """Simulates, ingests and analyses the small town (once per folder)."""
    db = folder / "lantern.db"
    ready = folder / "ready.json"
    if ready.exists():
        saved = json.loads(ready.read_text())
        return Town(db, json.loads((folder / "truth.json").read_text()), saved["passwords"])
    folder.mkdir(parents=True, exist_ok=True)
    reports, truth = generate_town(SEED, "small", folder)
    engine = open_store(f"sqlite:///{db}")
    ingest_file(engine, reports)
    analyse(engine)
    passwords = {u.username: u.password for u in create_demo_users(engine) if u.password}
    engine.dispose()
    ready.write_text(json.dumps({"passwords": passwords}))
    return Town(db, json.loads(truth.read_text()), passwords)


def signed_in(app: Any, engine: Engine, username: str) -> TestClient:
    """A browser signed in as ``username``, sending its CSRF token with each request."""
    with engine.begin() as conn:
        user = get_user(conn, username)
        assert user is not None, username
        token, csrf = open_session(conn, user)
    client = TestClient(app, base_url=BASE, follow_redirects=False)
    client.cookies.set(SESSION_COOKIE, token)
    client.headers[CSRF_HEADER] = csrf
    return client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(database_url: str, *, analyse_after_intake: bool = False) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port; yields its base URL.
    Reports sent through the forms are analysed only if asked (a run of the
    pipeline takes seconds, and no journey waits for it)."""
    port = free_port()
    app = create_app(database_url=database_url)
    app.state.analyse_after_intake = analyse_after_intake
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://localhost:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()
