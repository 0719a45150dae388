"""Extraction speed: reports per second and peak memory reading the
simulator's large town (``python -m benchmarks extract``), and, as a
baseline measured in the same process, spaCy's blank tokenizer alone over
the same narratives."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from benchmarks import peak_rss_mib, write_result
from lantern.extract.accuracy import read_town
from lantern.extract.narrative import pipeline
from lantern.extract.report import extract_reports
from lantern.sim import generate_town


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_extract")
    parser.add_argument("--size", default="large", choices=["small", "medium", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0, help="read only the first N reports")
    args, _ = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        generate_town(args.seed, args.size, Path(folder))
        reports, _ = read_town(Path(folder))
    if args.limit:
        reports = reports[: args.limit]
    list(extract_reports((r, 1) for r in reports[:200]))  # warm caches and data files

    started, cpu = time.perf_counter(), time.process_time()
    for _ in pipeline().pipe((r.narrative for r in reports), batch_size=256):
        pass
    tokenise_s = time.perf_counter() - started
    tokenise_cpu = time.process_time() - cpu

    rss_before = peak_rss_mib()
    started, cpu = time.perf_counter(), time.process_time()
    counts = {"people": 0, "vehicles": 0, "indicators": 0, "disclosures": 0}
    for extraction in extract_reports((r, 1) for r in reports):
        for name in counts:
            counts[name] += len(getattr(extraction, name))
    elapsed = time.perf_counter() - started
    cpu_s = time.process_time() - cpu
    write_result(
        "extract",
        {
            "town": {"seed": args.seed, "size": args.size, "reports": len(reports)},
            "reports_per_second": round(len(reports) / elapsed, 1),
            "reports_per_cpu_second": round(len(reports) / cpu_s, 1),
            "seconds": round(elapsed, 2),
            "cpu_seconds": round(cpu_s, 2),
            "load_average_at_end": os.getloadavg()[0],
            "baseline_tokenizer_only_reports_per_second": round(len(reports) / tokenise_s, 1),
            "baseline_tokenizer_only_reports_per_cpu_second": round(len(reports) / tokenise_cpu, 1),
            "peak_rss_mib": peak_rss_mib(),
            "peak_rss_mib_before_extraction": rss_before,
            "found": counts,
            "note": (
                "one process on one core; reports per CPU-second is the figure to compare "
                "on a shared machine (wall-clock depends on the load); peak RSS includes "
                "the town's reports held in memory"
            ),
        },
    )


if __name__ == "__main__":
    main()
