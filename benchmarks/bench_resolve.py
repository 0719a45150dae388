"""Person resolution at scale: N synthetic person mentions resolved (train,
predict, cluster) by Lantern's person model, and by plain Splink (a textbook
model: names, date of birth, address, the same blocking) on the same rows in
the same run. Each runs in its own process so that its peak memory is its own.

    python -m benchmarks resolve            # 1,000,000 mentions
    python -m benchmarks.bench_resolve --size 200000
"""

from __future__ import annotations

import argparse
import multiprocessing
import queue
import random
import resource
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks import write_result

GIVEN = [
    "mohammed",
    "ahmed",
    "imran",
    "zafar",
    "tariq",
    "adil",
    "wayne",
    "darren",
    "gary",
    "kevin",
    "lee",
    "steven",
    "paul",
    "mark",
    "james",
    "john",
    "thomas",
    "daniel",
    "liam",
    "jordan",
    "ryan",
    "connor",
    "jack",
    "callum",
    "sarah",
    "emma",
    "laura",
    "gemma",
    "kayleigh",
    "leanne",
    "chantelle",
    "jade",
    "chloe",
    "courtney",
    "stacey",
    "danielle",
    "nicole",
    "rebecca",
    "charlotte",
    "jessica",
    "samantha",
    "natasha",
    "amy",
    "kirsty",
    "hayley",
    "ayesha",
    "fatima",
    "zainab",
    "aisha",
]
FAMILY = [
    "khan",
    "hussain",
    "ahmed",
    "ali",
    "shah",
    "malik",
    "iqbal",
    "akhtar",
    "bibi",
    "begum",
    "smith",
    "jones",
    "brown",
    "taylor",
    "wilson",
    "walker",
    "wright",
    "robinson",
    "thompson",
    "white",
    "hughes",
    "hall",
    "green",
    "wood",
    "harris",
    "lewis",
    "clarke",
    "jackson",
    "turner",
    "hill",
    "moore",
    "shaw",
    "holmes",
    "barraclough",
    "greenwood",
    "sutcliffe",
    "crossley",
    "whiteley",
    "ackroyd",
    "marsden",
    "kaczmarek",
    "nowak",
    "kowalski",
    "wisniewski",
]
STREETS = [
    "eastwood",
    "moor",
    "ferry",
    "milton",
    "beech",
    "garden",
    "cross",
    "hope",
    "station",
    "church",
    "mill",
    "park",
]
KINDS = ["road", "street", "lane", "close", "crescent", "avenue"]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def synthetic_rows(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` person mentions of about n/2.5 people, with typos, nicknames-free
    variation, missing fields and ages instead of dates of birth."""
    from lantern.domain import PersonMention, Span
    from lantern.resolve import features

    rng = random.Random(seed)
    people = []
    for _ in range(int(n / 2.5)):
        born = date(1950 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28))
        people.append(
            (
                rng.choice(GIVEN) + ("" if rng.random() < 0.5 else rng.choice("aeiou")),
                rng.choice(FAMILY)
                + ("" if rng.random() < 0.3 else rng.choice(["son", "er", "ley", "s"])),
                born,
                rng.choice("MF"),
                f"{rng.randrange(1, 200)} {rng.choice(STREETS)} {rng.choice(KINDS)}",
                f"07700 9{rng.randrange(100000):05d}",
            )
        )
    rows = []
    day = date(2012, 6, 1)
    for i in range(n):
        given, family, born, sex, address, phone = (
            people[i % len(people)] if i < len(people) else rng.choice(people)
        )
        if rng.random() < 0.1:
            given = _typo(given, rng)
        if rng.random() < 0.1:
            family = _typo(family, rng)
        mention = PersonMention(
            mention_id=f"m{i}",
            text=f"{given} {family}",
            span=Span(0, 0, "subjects[0]"),
            name=f"{given} {family}",
            given_name=given,
            family_name=family,
            sex=sex if rng.random() < 0.8 else None,
            dob=born if rng.random() < 0.5 else None,
            age=(day.year - born.year) if rng.random() < 0.4 else None,
            address=address if rng.random() < 0.5 else None,
            phones=[phone.replace(" ", "").replace("07700", "+447700")]
            if rng.random() < 0.2
            else [],
        )
        rows.append(features.person_row(mention, i // 3, day, []))
    return rows


def _lantern(rows: list[dict[str, Any]], out: Any) -> None:
    from lantern.resolve import linkage
    from lantern.resolve.clustering import Clusters, Link

    started = time.perf_counter()
    trained, _ = linkage.train(rows)
    trained_at = time.perf_counter()
    pairs = linkage.score_all(trained, rows)
    scored_at = time.perf_counter()
    clusters = Clusters({r["unique_id"]: r for r in rows})
    clusters.add_links(Link(p.mention_a, p.mention_b, p.match_weight, p.reasons) for p in pairs)
    groups = clusters.groups()
    done = time.perf_counter()
    out.put(
        {
            "seconds": round(done - started, 1),
            "train_s": round(trained_at - started, 1),
            "predict_s": round(scored_at - trained_at, 1),
            "cluster_s": round(done - scored_at, 1),
            "pairs_scored": len(pairs),
            "entities": len(groups),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    )


def _plain_splink(rows: list[dict[str, Any]], out: Any) -> None:
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    table = pa.Table.from_pylist(
        [
            {
                k: r[k]
                for k in (
                    "unique_id",
                    "given",
                    "family",
                    "dob",
                    "address",
                    "postcode",
                    "sex",
                    "phone1",
                )
            }
            for r in rows
        ]
    )
    db_api = DuckDBAPI()
    frame = db_api.register(table, table_name="people")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given"),
            cl.NameComparison("family"),
            cl.LevenshteinAtThresholds("dob", [1, 2]),
            cl.ExactMatch("sex"),
            cl.JaroWinklerAtThresholds("address", [0.9, 0.75]),
            cl.ExactMatch("phone1"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("family", "given"),
            block_on("given", "dob"),
            block_on("family", "dob"),
            block_on("phone1"),
            block_on("address"),
        ],
    )
    linker = Linker(frame, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        ["l.given = r.given AND l.family = r.family"], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=42)
    for rule in (block_on("dob"), block_on("given", "family"), block_on("address")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    trained_at = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_weight=-2, warning_mode="never")
    scored_at = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.9
    )
    entities = (
        clusters.as_duckdbpyrelation().aggregate("count(distinct cluster_id)").fetchall()[0][0]
    )
    done = time.perf_counter()
    out.put(
        {
            "seconds": round(done - started, 1),
            "train_s": round(trained_at - started, 1),
            "predict_s": round(scored_at - trained_at, 1),
            "cluster_s": round(done - scored_at, 1),
            "entities": int(entities),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    )


def _in_child(target: Any, rows: list[dict[str, Any]]) -> dict[str, Any]:
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    proc = ctx.Process(target=target, args=(rows, out))
    proc.start()
    while True:
        try:
            result = out.get(timeout=5)
            break
        except queue.Empty:
            if not proc.is_alive():
                raise RuntimeError(
                    f"{target.__name__} failed (exit code {proc.exitcode})"
                ) from None
    proc.join()
    return dict(result)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_resolve")
    parser.add_argument("--size", type=int, default=1_000_000, help="person mentions")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = synthetic_rows(args.size)
    generated = round(time.perf_counter() - started, 1)
    plain = _in_child(_plain_splink, rows)
    lantern = _in_child(_lantern, rows)
    write_result(
        "resolve",
        {
            "person_mentions": args.size,
            "generate_s": generated,
            "engine": "duckdb",
            "lantern": lantern,
            "plain_splink": plain,
            "time_ratio": round(lantern["seconds"] / plain["seconds"], 2),
            "memory_ratio": round(lantern["peak_rss_mib"] / plain["peak_rss_mib"], 2),
        },
    )


if __name__ == "__main__":  # pragma: no cover
    main()
