"""``make demo``: builds a small demonstration store and shows what Lantern found.

Each later piece of Lantern grows this: it generates the simulated town,
ingests and analyses it, prints a summary, and (with the web workspace) serves it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console

from lantern.intake.ingest import ingest_file
from lantern.pipeline import analyse
from lantern.store import audit
from lantern.store import reports as report_store
from lantern.store.db import open_store

DEMO_DIR = Path("demo-town")
console = Console()


def _sample_reports(path: Path) -> Path:
    """A handful of reports in the interchange format, written by code."""
    from lantern.sim.sample import sample_reports

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for body in sample_reports():
            handle.write(json.dumps(body) + "\n")
    return path


def main() -> int:
    DEMO_DIR.mkdir(exist_ok=True)
    db = DEMO_DIR / "lantern.db"
    reports_file = _sample_reports(DEMO_DIR / "reports.jsonl")
    engine = open_store(f"sqlite:///{db}")
    result = ingest_file(engine, reports_file)
    console.print(f"[bold]ingested[/bold] {reports_file}: {result.summary()}")
    for rejection in result.rejections:
        console.print(f"  rejected {rejection}")
    for stage in analyse(engine):
        console.print(f"[bold]{stage.name}[/bold]: {stage.summary}")
    with engine.connect() as conn:
        console.print(f"store {db}: {report_store.count(conn)} reports")
        check = audit.verify(conn)
    console.print(f"audit chain: {'intact' if check.ok else 'BROKEN'} ({check.rows} rows)")
    console.print(f"try: .venv/bin/lantern export --database sqlite:///{db} | less")
    return 0


if __name__ == "__main__":
    sys.exit(main())
