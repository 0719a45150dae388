"""A real `lantern ingest` killed with SIGKILL part-way, then re-run, ends with
exactly the file's reports: none lost, none doubled."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lantern.store import audit
from lantern.store.db import open_store
from tests.factories import report

LINES = 100_000


def _count(db: Path, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@pytest.mark.slow
@pytest.mark.xdist_group("heavy")
def test_ingest_killed_midway_then_rerun_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for n in range(LINES):
            handle.write(json.dumps(report(n, agency=("cbp", "cmbc-social-care")[n % 2])) + "\n")
    db = tmp_path / "lantern.db"
    env = {**os.environ, "LANTERN_DATABASE_URL": f"sqlite:///{db}"}
    lantern = [sys.executable, "-m", "lantern.cli", "ingest", "--quiet", str(path)]

    proc = subprocess.Popen(lantern, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while _count(db, "reports") < LINES // 5:
        assert proc.poll() is None, "ingest finished before it could be killed"
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = _count(db, "reports")
    assert 0 < killed_at < LINES, "the kill must land part-way through the file"

    rerun = subprocess.run(lantern, env=env, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{LINES - killed_at} new, {killed_at} unchanged, 0 revised, 0 rejected" in rerun.stdout

    assert _count(db, "reports") == LINES
    assert _count(db, "report_revisions") == LINES
    assert _count(db, "audit_log") == LINES
    engine = open_store(f"sqlite:///{db}")
    with engine.connect() as conn:
        assert audit.verify(conn).ok
    engine.dispose()
