"""Matching a new report's people to the existing entities (issue #6).

The simulated medium town (seed 1, about 5,000 reports, 15,000 person
mentions) is ingested, extracted and resolved but for its last N reports
(default 50), which then come in one at a time: each is ingested and
extracted, and only the resolve stage is timed, with the matching step inside
it (``linkage.score_new``: the new mentions scored against the existing ones)
timed on its own. Baseline, measured in the same process: the path that
clusters and rewrites everything (``stage.run(engine, fast=False)``), run on a
copy of the store for each of the first K new reports (default 5).

Run: ``python -m benchmarks resolve_incremental [--reports N] [--baseline K]
[--size medium]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks import peak_rss_mib, write_result
from lantern.extract import stage as extract_stage
from lantern.intake.ingest import ingest_file
from lantern.resolve import linkage
from lantern.resolve import stage as resolve_stage
from lantern.sim import generate_town
from lantern.store.db import open_store


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_resolve_incremental")
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--baseline", type=int, default=5)
    parser.add_argument("--size", default="medium")
    args, _ = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        reports, _ = generate_town(1, args.size, folder / "town")
        lines = reports.read_text(encoding="utf-8").splitlines(keepends=True)
        first = folder / "first.jsonl"
        first.write_text("".join(lines[: -args.reports]), encoding="utf-8")
        db = folder / "bench.db"
        engine = open_store(f"sqlite:///{db}")
        ingest_file(engine, first)
        extract_stage.run(engine)
        setup_summary = resolve_stage.run(engine)
        setup_s = time.perf_counter() - t0

        stage_s: list[float] = []
        stage_cpu_s: list[float] = []
        matching_s: list[float] = []
        baseline_s: list[float] = []
        summary = ""
        resent = 0  # a report sent again as it was: nothing to resolve
        for n, line in enumerate(lines[-args.reports :]):
            one = folder / f"new{n}.jsonl"
            one.write_text(line, encoding="utf-8")
            counts = ingest_file(engine, one).counts
            if not counts["new"] and not counts["revised"]:
                resent += 1
                continue
            extract_stage.run(engine)
            if len(baseline_s) < args.baseline:
                baseline_s.append(_baseline(engine, db, folder / "baseline.db"))
            with _timed(linkage, "score_new") as matching:
                t0, c0 = time.perf_counter(), time.process_time()
                summary = resolve_stage.run(engine)
                stage_s.append(time.perf_counter() - t0)
                stage_cpu_s.append(time.process_time() - c0)
            assert "new mentions matched" in summary, summary
            matching_s.append(sum(matching))
        engine.dispose()
    write_result(
        "resolve_incremental",
        {
            "town": f"{args.size}, seed 1",
            "store": "sqlite",
            "new_reports": args.reports,
            "sent_again_unchanged": resent,
            "setup_s": round(setup_s, 1),
            "setup_summary": setup_summary,
            "stage": _spread(stage_s),
            "stage_cpu": _spread(stage_cpu_s),
            "matching": _spread(matching_s),
            "baseline_rewrite_everything": _spread(baseline_s),
            "stage_s": [round(t, 3) for t in stage_s],
            "last_summary": summary,
            "peak_rss_mib": peak_rss_mib(),
            "notes": (
                "stage, matching: wall-clock seconds of resolve_stage.run and of "
                "linkage.score_new within it, one new report at a time; stage_cpu: "
                "process CPU seconds (DuckDB's threads included); the first run of "
                "the process is included; a report sent again unchanged (one of the "
                "town's duplicates) stores nothing and is not timed. baseline: stage.run(fast=False) on a copy "
                "of the store, for the first new reports."
            ),
        },
    )


def _baseline(engine: Any, db: Path, copy: Path) -> float:
    """Seconds the path that clusters and rewrites everything takes on a copy
    of the store as it is now."""
    engine.dispose()
    shutil.copyfile(db, copy)
    reference = open_store(f"sqlite:///{copy}")
    t0 = time.perf_counter()
    resolve_stage.run(reference, fast=False)
    elapsed = time.perf_counter() - t0
    reference.dispose()
    return elapsed


@contextmanager
def _timed(module: Any, name: str) -> Iterator[list[float]]:
    """Times each call of ``module.name`` while in the block."""
    spent: list[float] = []
    original = getattr(module, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - t0)

    setattr(module, name, timed)
    try:
        yield spent
    finally:
        setattr(module, name, original)


def _spread(values: list[float]) -> dict[str, float | int]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3),
        "max_s": round(ordered[-1], 3),
    }


if __name__ == "__main__":
    main()
