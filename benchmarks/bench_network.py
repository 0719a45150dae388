"""The network stage at scale: a full recompute over N reports (default
100,000), then the incremental update after one new report, repeated, with
its p50/p95 (with 20 updates, p95 is the slowest). The stage keeps nothing in
the process between runs, so each update costs what ``lantern analyse`` in a
fresh process would (imports aside). Wall-clock times are the figures; each
update's CPU time is recorded too, as on a shared machine it says more about
the code than the wall clock does.

The store is filled directly with what the earlier stages would have left
(reports, their extractions, resolved mentions), shaped like a town: most
reports name one to three people at random, some come from groups of suspects
abusing the same children with indicators. Run: ``python -m benchmarks network
[--reports N] [--updates K]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from benchmarks import peak_rss_mib, write_result
from lantern import clock
from lantern.domain import Report
from lantern.network import stage
from lantern.store import reports as report_store
from lantern.store.db import open_store
from lantern.store.findings import ensure_findings_schema
from lantern.store.findings.extraction import extractions
from lantern.store.findings.resolution import entities, entity_mentions
from lantern.store.schema import reports

START = datetime(2004, 1, 1, tzinfo=UTC)
AGENCIES = ["cbp", "cbp-intel", "social-care", "youth-project", "health"]
CODES = [
    "missing",
    "older-associate",
    "cars-unknown-adults",
    "hotels-takeaways-flats",
    "school-absence",
]


class Town:
    def __init__(self, n_reports: int, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.adults = [f"person:a{i}" for i in range(n_reports // 3)]
        self.children = [f"person:c{i}" for i in range(n_reports // 10)]
        n_groups = max(1, n_reports // 1000)
        self.groups = [
            (
                self.rng.sample(self.adults, self.rng.randint(3, 6)),
                self.rng.sample(self.children, 4),
            )
            for _ in range(n_groups)
        ]
        self.n = 0

    def report(self, days: float) -> tuple[dict[str, Any], list[tuple[str, str, int]], list[str]]:
        rng = self.rng
        self.n += 1
        agency = rng.choice(AGENCIES)
        body = {
            "id": f"N{self.n:07d}",
            "agency": agency,
            "agency_type": "police" if agency.startswith("cbp") else "social-care",
            "received_at": (START + timedelta(days=days)).isoformat(),
            "narrative": "generated",
        }
        if rng.random() < 0.3:
            body["grading"] = {"source": rng.choice("123"), "intelligence": rng.choice("ABCDE")}
        if rng.random() < 0.2:
            members, victims = rng.choice(self.groups)
            people = [(s, "suspect", 35) for s in rng.sample(members, 2)] + [
                (rng.choice(victims), "victim", 14)
            ]
            codes = rng.sample(CODES, 2)
        else:
            people = [(rng.choice(self.adults), rng.choice(["suspect", "witness", "other"]), 40)]
            if rng.random() < 0.5:
                people.append((rng.choice(self.children), "person-at-risk", 15))
            codes = [rng.choice(CODES)] if rng.random() < 0.2 else []
        return body, people, codes


def store(
    engine: Engine, batch: list[tuple[dict[str, Any], list[tuple[str, str, int]], list[str]]]
) -> None:
    with engine.begin() as conn:
        report_store.put_many(conn, [Report.from_body(b) for b, _, _ in batch], actor="bench")
        ids = [b["id"] for b, _, _ in batch]
        pks = dict(
            conn.execute(
                select(reports.c.report_id, reports.c.pk).where(reports.c.report_id.in_(ids))
            ).all()
        )
        known = (
            set(conn.execute(select(entities.c.entity_id)).scalars()) if len(batch) < 10 else None
        )
        mentions, payloads, new_entities = [], [], {}
        for body, people, codes in batch:
            pk = pks[body["id"]]
            received = datetime.fromisoformat(body["received_at"])
            ppl, inds = [], []
            for i, (eid, role, age) in enumerate(people):
                mid = f"{body['agency']}/{body['id']}#p{i}"
                mentions.append(
                    {
                        "mention_id": mid,
                        "entity_id": eid,
                        "kind": "person",
                        "report_pk": pk,
                        "agency": body["agency"],
                        "report_id": body["id"],
                        "received_at": received,
                        "role": role,
                        "text": "x",
                        "match_weight": None,
                        "reasons": [],
                    }
                )
                ppl.append(
                    {
                        "mention_id": mid,
                        "text": "x",
                        "span": {"start": 0, "end": 1},
                        "role": role,
                        "age": age,
                    }
                )
                if age < 18:
                    inds += [
                        {"code": c, "text": c, "span": {"start": 0, "end": 1}, "child": mid}
                        for c in codes
                    ]
                new_entities[eid] = age
            payloads.append(
                {
                    "report_pk": pk,
                    "revision": 1,
                    "extractor": "bench",
                    "payload": {
                        "agency": body["agency"],
                        "report_id": body["id"],
                        "revision": 1,
                        "extractor": "bench",
                        "people": ppl,
                        "indicators": inds,
                    },
                }
            )
        conn.execute(entity_mentions.insert(), mentions)
        conn.execute(extractions.insert(), payloads)
        rows = [
            {"entity_id": e, "kind": "person", "label": e, "data": {"ages": [a]}}
            for e, a in new_entities.items()
            if known is None or e not in known
        ]
        if rows:
            conn.execute(entities.insert().prefix_with("OR IGNORE"), rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_network")
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=20)
    args, _ = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        ensure_findings_schema(engine)
        town = Town(args.reports)
        span_days = 3650
        t0 = time.perf_counter()
        batch = []
        for i in range(args.reports):
            batch.append(town.report(span_days * i / args.reports))
            if len(batch) == 5000:
                store(engine, batch)
                batch = []
        if batch:
            store(engine, batch)
        fill_s = time.perf_counter() - t0
        end = START + timedelta(days=span_days)
        t0 = time.perf_counter()
        with clock.frozen_at(end):
            full_summary = stage.run(engine, full=True)
        full_s = time.perf_counter() - t0
        times: list[float] = []
        cpu: list[float] = []
        summary = ""
        for k in range(args.updates):
            store(engine, [town.report(span_days + k)])
            t0, c0 = time.perf_counter(), time.process_time()
            with clock.frozen_at(end + timedelta(days=k + 1)):
                summary = stage.run(engine)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        ordered = sorted(times)
        write_result(
            "network",
            {
                "reports": args.reports,
                "store": "sqlite",
                "fill_s": round(fill_s, 1),
                "full_recompute_s": round(full_s, 2),
                "full_summary": full_summary,
                "incremental_updates": args.updates,
                "incremental_first_s": round(times[0], 3),
                "incremental_p50_s": round(statistics.median(ordered), 3),
                "incremental_p95_s": round(
                    ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3
                ),
                "incremental_s": [round(t, 3) for t in times],
                "incremental_cpu_p50_s": round(statistics.median(cpu), 3),
                "incremental_cpu_p95_s": round(
                    sorted(cpu)[min(len(cpu) - 1, int(0.95 * len(cpu)))], 3
                ),
                "incremental_summary": summary,
                "peak_rss_mib": peak_rss_mib(),
            },
        )
        engine.dispose()


if __name__ == "__main__":
    main()
