"""Page render times of the workspace at 100,000 reports: the home page, search
(people by name, report text) and a person's page, p50/p95 over repeated
requests through the real app in process (FastAPI's TestClient, signed in as
a supervisor: routing, access rules, queries, templates; no network).

The store: the simulated small town (500 reports), ingested and analysed by
the real pipeline, then copied until it holds N reports (default 100,000):
each copy renames its reports, mentions and entities, except the town's most
mentioned people, who stay shared — so the busiest person's chronology runs
to thousands of reports, harder than a real town. The baseline is the same
pages on the 500-report town, measured in the same process.
Run: ``python -m benchmarks web [--reports N] [--repeat K]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from benchmarks import peak_rss_mib, write_result

SHARED = 20  # most mentioned people kept the same across copies
COPIED = (  # table, integer pk columns to shift
    ("reports", ("pk",)),
    ("report_revisions", ("pk", "report_pk")),
    ("extractions", ("report_pk",)),
    ("entities", ()),
    ("entity_mentions", ("report_pk",)),
    ("recording_proposals", ("report_pk",)),
    ("network_edges", ()),
    ("network_scores", ()),
    ("alerts", ()),
)
REPORT_ID = re.compile(r"\b([A-Z]{2,5}(?:-[A-Z]{2,5})?-\d{4}-\d{5})\b")
ENTITY_ID = re.compile(r"\b((?:person|vehicle|phone|location):[0-9a-f]{6,})\b")


def build_base(folder: Path) -> tuple[Path, dict[str, str]]:
    """The small town, ingested and analysed, with the demo users."""
    from lantern.auth.demo import create_demo_users
    from lantern.intake.ingest import ingest_file
    from lantern.pipeline import analyse
    from lantern.sim import generate_town
    from lantern.store.db import open_store

    reports, _truth = generate_town(7, "small", folder)
    db = folder / "lantern.db"
    engine = open_store(f"sqlite:///{db}")
    ingest_file(engine, reports)
    analyse(engine)
    users = {u.username: u.password or "" for u in create_demo_users(engine)}
    engine.dispose()
    return db, users


def scale(db: Path, target: int) -> dict[str, Any]:
    """Copies the town's reports and findings until the store holds ``target`` reports."""
    conn = sqlite3.connect(db)
    base = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    shared = {
        row[0]
        for row in conn.execute(
            "SELECT entity_id FROM entities WHERE kind = 'person' ORDER BY reports DESC LIMIT ?",
            (SHARED,),
        )
    }
    copies = max(0, (target - base) // base)  # whole copies of the town
    offsets = {
        table: conn.execute(f"SELECT coalesce(max({cols[0]}), 0) FROM {table}").fetchone()[0]
        for table, cols in COPIED
        if cols
    }
    sources = {
        table: (
            [d[1] for d in conn.execute(f"PRAGMA table_info({table})")],
            conn.execute(f"SELECT * FROM {table}").fetchall(),
        )
        for table, _ in COPIED
    }
    started = time.perf_counter()
    for k in range(1, copies + 1):

        def rename(value: Any, k: int = k) -> Any:
            if not isinstance(value, str):
                return value
            value = REPORT_ID.sub(lambda m: f"{m.group(1)}~{k}", value)
            return ENTITY_ID.sub(
                lambda m: m.group(1) if m.group(1) in shared else f"{m.group(1)}~{k}", value
            )

        for table, shift in COPIED:
            names, rows = sources[table]
            out = []
            for row in rows:
                values = [rename(v) for v in row]
                for col in shift:
                    i = names.index(col)
                    values[i] = row[i] + offsets[table if col == "pk" else "reports"] * k
                if table == "entities" and row[0] in shared:
                    continue
                if table == "network_scores" and row[0] in shared:
                    continue
                if table == "alerts":
                    values[0] = f"{row[0]}~{k}"
                out.append(values)
            marks = ",".join("?" * len(names))
            conn.executemany(
                f"INSERT OR IGNORE INTO {table} ({','.join(names)}) VALUES ({marks})", out
            )
        conn.commit()
    conn.execute(
        "UPDATE entities SET reports = (SELECT count(DISTINCT report_pk) FROM entity_mentions m"
        " WHERE m.entity_id = entities.entity_id) WHERE entity_id IN"
        f" ({','.join('?' * len(shared))})",
        list(shared),
    )
    conn.commit()
    total = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    conn.close()
    return {"copies": copies, "reports": total, "fill_s": round(time.perf_counter() - started, 1)}


def measure(db: Path, repeat: int) -> dict[str, Any]:
    """p50/p95 (ms) of each page, signed in as the demo supervisor."""
    from sqlalchemy import select

    from lantern.auth.accounts import get_user
    from lantern.auth.sessions import open_session
    from lantern.store.findings.resolution import entities
    from lantern.web.app import create_app
    from lantern.web.security import CSRF_HEADER, SESSION_COOKIE

    app = create_app(database_url=f"sqlite:///{db}")
    engine = app.state.engine
    with engine.begin() as conn:
        user = get_user(conn, "sam.supervisor")
        assert user is not None
        token, csrf = open_session(conn, user)
        busiest = conn.execute(
            select(entities.c.entity_id, entities.c.label, entities.c.reports)
            .where(entities.c.kind == "person")
            .order_by(entities.c.reports.desc())
        ).first()
        typical = conn.execute(
            select(entities.c.entity_id)
            .where(entities.c.kind == "person", entities.c.reports.between(3, 10))
            .order_by(entities.c.entity_id)
        ).scalar()
    client = TestClient(app, base_url="https://testserver")
    client.cookies.set(SESSION_COOKIE, token)
    client.headers[CSRF_HEADER] = csrf
    surname = busiest.label.split()[-1]  # a word that is in many reports
    pages = {
        "home": "/",
        "search_everything": f"/search?q={busiest.label}",
        "search_everything_report_text_part": f"/search/report-text?q={surname}",
        "people_by_name": f"/people?q={busiest.label}",
        "search_report_text": "/search?q=silver+car&kind=report",
        "person_busiest": f"/people/{busiest.entity_id}",
        "person_typical": f"/people/{typical}",
    }
    figures: dict[str, Any] = {"busiest_person_reports": busiest.reports}
    for name, path in pages.items():
        assert client.get(path).status_code == 200, path  # warm: templates compiled
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        times.sort()
        figures[name] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, round(0.95 * len(times)) - 1)], 1),
            "requests": repeat,
        }
    engine.dispose()
    return figures


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_web")
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="keep the filled store in this folder")
    args, _ = parser.parse_known_args(argv)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="lantern-bench-web-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db, base, ready = folder / "lantern.db", folder / "base.db", folder / "filled.json"
        if ready.exists() and json.loads(ready.read_text())["reports"] == args.reports:
            filled = json.loads(ready.read_text())  # a store kept by an earlier run
        else:
            build_base(folder)
            shutil.copyfile(db, base)
            filled = scale(db, args.reports)
            ready.write_text(json.dumps(filled))
        baseline = measure(base, args.repeat)
        scaled = measure(db, args.repeat)
    write_result(
        "web",
        {
            "store": "sqlite",
            "reports": filled["reports"],
            "fill": filled,
            "pages": scaled,
            "baseline_500_reports": baseline,
            "aim": "p95 <= 300 ms for the person page, search and the home page",
            "peak_rss_mib": peak_rss_mib(),
            "load_average_1m": {
                "before": round(load_before[0], 1),
                "after": round(os.getloadavg()[0], 1),
            },
            "note": "in-process requests (TestClient) as the demo supervisor; the busiest "
            "person is shared across copies of the town, so appears in far more reports "
            "than in a real town",
        },
    )
