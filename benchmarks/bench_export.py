"""Export time and file size for the medium simulated town (about 5,000
reports) in each format, and a printed profile (PDF) of the suspect with the
highest priority. JSON, the interchange format, is the baseline the others
are measured beside in the same process.

    python -m benchmarks export                      # simulate, ingest, analyse, export
    python -m benchmarks.bench_export --size small   # quicker
    python -m benchmarks.bench_export --database sqlite:///town.db   # an analysed store
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from benchmarks import peak_rss_mib, write_result
from lantern.export import FORMATS, export
from lantern.export.cli import write_profile
from lantern.store.db import open_store
from lantern.store.findings.network import network_scores


def analysed_town(size: str, folder: Path, seed: int) -> tuple[Engine, dict[str, float]]:
    from lantern.intake.ingest import ingest_file
    from lantern.pipeline import analyse
    from lantern.sim import generate_town

    start = time.perf_counter()
    reports, _truth = generate_town(seed, size, folder)
    engine = open_store(f"sqlite:///{folder / 'lantern.db'}")
    ingest_file(engine, reports)
    analyse(engine)
    return engine, {"prepare_s": round(time.perf_counter() - start, 1)}


def measure(engine: Engine, folder: Path) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for fmt in FORMATS:
        out = folder / f"lantern.{fmt}"
        start = time.perf_counter()
        with out.open("w", encoding="utf-8", newline="") as handle:
            written = export(engine, fmt, handle, reason="benchmark")
        seconds = time.perf_counter() - start
        files = [out, *([Path(written["links_file"])] if "links_file" in written else [])]
        figures[fmt] = {
            "seconds": round(seconds, 2),
            "bytes": sum(f.stat().st_size for f in files),
            "files": len(files),
        }
        if written:  # the formats drawn from the picture report what they wrote
            figures[fmt]["nodes"] = sum(
                written[k] for k in ("person", "vehicle", "phone", "location")
            )
            figures[fmt]["links"] = written["links"] + written["group_links"]
    with engine.connect() as conn:
        subject = conn.execute(
            select(network_scores.c.entity_id)
            .where(network_scores.c.kind == "priority")
            .order_by(network_scores.c.score.desc())
            .limit(1)
        ).scalar()
    if subject:
        pdf = folder / "profile.pdf"
        start = time.perf_counter()
        summary = write_profile(engine, subject, pdf, fmt="pdf", reason="benchmark")
        figures["profile_pdf"] = {
            "seconds": round(time.perf_counter() - start, 2),
            "bytes": pdf.stat().st_size,
            "chronology_reports": summary["reports"],
        }
    return figures


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_export")
    parser.add_argument("--size", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", help="an analysed store to export from (skips the town)")
    args, _ = parser.parse_known_args([a for a in argv if a not in ("export", "bench_export")])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        prepared: dict[str, float] = {}
        if args.database:
            engine = open_store(args.database)
        else:
            engine, prepared = analysed_town(args.size, folder, args.seed)
        figures = measure(engine, folder)
        with engine.connect() as conn:
            from lantern.store.schema import reports

            n_reports = len(conn.execute(select(reports.c.pk)).all())
        engine.dispose()
    write_result(
        "export",
        {
            "town": "from --database" if args.database else f"{args.size} (seed {args.seed})",
            "reports": n_reports,
            **prepared,
            "baseline": "json (the interchange export), same process",
            "formats": figures,
            "peak_rss_mib": peak_rss_mib(),
        },
    )


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
