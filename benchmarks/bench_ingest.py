"""Ingest throughput: 100,000 generated reports into SQLite and PostgreSQL.

Each engine is measured in a fresh subprocess (`lantern ingest`) so peak memory
is the ingest's own. Figures: reports/s and peak RSS. PostgreSQL runs against
the throwaway cluster `scripts/postgres.sh` starts (skipped if none).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from benchmarks import write_result

AGENCIES = [
    ("cbp", "police"),
    ("cbp-intel", "police"),
    ("cmbc-social-care", "social-care"),
    ("youth-project", "voluntary"),
]


def generated_reports(n: int, seed: int = 1) -> Any:
    """Routine reports shaped like the interchange format (with structured parts)."""
    rng = random.Random(seed)
    for i in range(n):
        agency, kind = AGENCIES[i % len(AGENCIES)]
        body: dict[str, Any] = {
            "id": f"B{i:07d}",
            "agency": agency,
            "agency_type": kind,
            "received_at": f"20{10 + i % 10:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00+00:00",
            "channel": rng.choice(["101", "999", "referral", "intelligence"]),
            "narrative": (
                f"Report {i}: caller describes a dispute outside a takeaway on Station Road involving "
                f"{rng.randint(2, 5)} adults; a silver car was seen leaving. No injuries reported."
            ),
        }
        if i % 3 == 0:
            body["subjects"] = [
                {
                    "ref": "p1",
                    "role": "witness",
                    "name": f"Person {rng.randint(1, 50000)}",
                    "age": rng.randint(18, 70),
                }
            ]
            body["vehicles"] = [
                {"ref": "v1", "vrm": f"YX{rng.randint(10, 69)} ABC", "colour": "silver"}
            ]
        yield body


def _measure(file: Path, url: str) -> dict[str, float]:
    env = {**os.environ, "LANTERN_DATABASE_URL": url}
    bin_dir = Path(sys.executable).parent
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", str(bin_dir / "lantern"), "ingest", "--quiet", str(file)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    peak_kib = int(proc.stderr.strip().splitlines()[-1])
    return {"seconds": round(elapsed, 2), "peak_rss_mib": round(peak_kib / 1024, 1)}


def main(argv: list[str]) -> None:
    n = 100_000
    for arg in argv:
        if arg.startswith("--reports="):
            n = int(arg.split("=", 1)[1])
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "reports.jsonl"
        with file.open("w") as handle:
            for body in generated_reports(n):
                handle.write(json.dumps(body) + "\n")
        results: dict[str, Any] = {"reports": n, "file_mib": round(file.stat().st_size / 2**20, 1)}
        sqlite = _measure(file, f"sqlite:///{tmp}/bench.db")
        sqlite["reports_per_s"] = round(n / sqlite["seconds"])
        results["sqlite"] = sqlite
        # the same file again: every report unchanged (the idempotent path)
        again = _measure(file, f"sqlite:///{tmp}/bench.db")
        again["reports_per_s"] = round(n / again["seconds"])
        results["sqlite_reingest_unchanged"] = again
        pg_admin = os.environ.get("LANTERN_TEST_POSTGRES_URL")
        if pg_admin:
            from sqlalchemy import create_engine, text

            name = f"bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                pg = _measure(file, pg_admin.rsplit("/", 1)[0] + f"/{name}")
                pg["reports_per_s"] = round(n / pg["seconds"])
                results["postgresql"] = pg
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            results["postgresql"] = (
                "not measured: no LANTERN_TEST_POSTGRES_URL (run via make bench)"
            )
        results["aim"] = ">= 5,000 reports/s into SQLite on 2 cores"
        results["note"] = (
            "whole `lantern ingest` process: start-up, migrations, parse, validate, store, audit"
        )
    write_result("ingest", results)


if __name__ == "__main__":
    main(sys.argv[1:])
