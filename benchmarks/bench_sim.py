"""How fast the simulated town is generated (``make bench ARGS=sim``).

Generates each size once (seed 7) into a temporary folder and records the
seconds taken (wall clock and CPU), the reports and truth mentions written, the file sizes and the
peak memory. ``--sizes small,medium`` limits the sizes measured.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from benchmarks import peak_rss_mib, write_result
from lantern.sim import SIZES, generate_town


def main(argv: list[str]) -> None:
    sizes = list(SIZES)
    for arg in argv:
        if arg.startswith("--sizes="):
            sizes = [s for s in arg.split("=", 1)[1].split(",") if s in SIZES]
    figures: dict[str, dict[str, float | int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            started, cpu_started = time.perf_counter(), time.process_time()
            reports, truth_path = generate_town(7, size, Path(tmp) / size)
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu_started
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            figures[size] = {
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu_seconds, 2),  # less sensitive to a shared machine's load
                "reports": len(truth["reports"]),
                "reports_per_second": round(len(truth["reports"]) / seconds),
                "person_mentions": len(truth["mentions"]),
                "must_record": sum(1 for r in truth["reports"] if r["must_record"]),
                "reports_mib": round(reports.stat().st_size / 2**20, 1),
                "truth_mib": round(truth_path.stat().st_size / 2**20, 1),
            }
            del truth
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else None
    write_result(
        "sim", {"seed": 7, "sizes": figures, "peak_rss_mib": peak_rss_mib(), "load_average": load}
    )
