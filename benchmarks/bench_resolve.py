"""Person resolution at scale: N synthetic person mentions resolved (train,
predict, cluster) by Lantern's person model, and by plain Splink (a textbook
model over the same rows) in the same run. Each side runs in a fresh process
(spawned, not forked) that loads the same rows from disk, so that its peak
memory is its own.

    python -m benchmarks resolve                          # 1,000,000 mentions
    python -m benchmarks resolve --size 100000 250000     # several sizes, one result
    python -m benchmarks.bench_resolve --size 500000 --append   # add a size to the last result

The population (``synthetic_rows``): about N/2.5 people in households, with
given and family names drawn from long-tailed (Zipf-Mandelbrot) distributions
over large pools, so that name blocks grow as they do in a real force's
records rather than quadratically in a few dozen names. See ``_given_pool``
and ``_family_pool`` for where the names come from.

What each side does (both on DuckDB, both with every core; the rows are the
same ``lantern.resolve.features.person_row`` rows):

- Lantern, as ``stage.run`` runs it (Python's cyclic garbage collector
  paused throughout): ``linkage.train`` (prior from deterministic rules, u
  from 2 million random pairs, EM on three blocks, a block of more than a
  million pairs sampled), ``linkage.score_all`` (Lantern's fourteen blocking rules, eleven
  comparisons, every pair kept at weight >= -2 turned into a ``ScoredPair``
  with its reasons) and ``Clusters.add_links`` (greedy
  single link with the safety rules for children).
- Plain Splink: the textbook model (names with term-frequency adjustment,
  date of birth, sex, address, postcode, phone), the same training steps
  (deterministic-rule prior at the same recall, u from 2 million random pairs
  with the same seed, EM on the same three blocks), blocking rules that mirror
  Lantern's in breadth with plain columns (the family name and the given
  name's initial where Lantern uses the family name's Metaphone code and the
  initial, and so on), ``predict`` at the same floor (-2) and Splink's
  connected components at Lantern's threshold (match weight 3).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import multiprocessing
import os
import pickle
import queue
import random
import re
import resource
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from benchmarks import RESULTS, write_result

# What the generator makes: bump when it changes, so that runs of another
# population are not mixed in one result.
POPULATION = "3"

# Zipf-Mandelbrot shape: the weight of the name of rank r (from 1) is
# 1 / (r + q) ** s. Family names are drawn as the simulator draws them
# (``lantern.sim.surnames``: about 1% of people have the commonest, as in
# England and Wales); with q = 5 the commonest given name of each sex is
# about 3%.
GIVEN_Q = 5.0

# How a mention is written (shares of mentions).
GIVEN_TYPO = 0.10
FAMILY_TYPO = 0.10
SPELLING_VARIANT = 0.05  # "Stephen" for "Steven", "Hussein" for "Hussain"
NICKNAME = 0.03  # "Mo" for "Mohammed"
FIRST_NAME_ONLY = 0.02  # "Stacey (13)"
SWAPPED = 0.005  # family name written first
SEX_GIVEN = 0.8
DOB_GIVEN = 0.5
DOB_TYPO = 0.05  # of dates of birth given
AGE_GIVEN = 0.4
ADDRESS_GIVEN = 0.5
POSTCODE_GIVEN = 0.6  # of addresses given
ADDRESS_TYPO = 0.05
OLD_ADDRESS = 0.2  # a mention giving a previous address
PHONE_GIVEN = 0.2
# Shares of people.
STAFF = 0.03  # professionals who write reports (youth workers, PCSOs...)
MOVED = 0.25  # with a previous address

ROLES = ("suspect", "victim", "witness", "associate", "other")
ROLE_WEIGHTS = (30, 20, 15, 10, 25)
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6)
HOUSEHOLD_WEIGHTS = (30, 30, 16, 14, 7, 3)
FIRST_DAY = date(2008, 1, 1)  # reports span ten years
DAYS = 3650

# Where the tails of the given-name pools come from: the columns of
# gender-guesser's name dictionary (Jörg Michael's nam_dict, which Lantern
# already uses for the sex of a given name) for each heritage of the
# simulator's names file.
_COUNTRIES = {
    "english": ("great_britain", "usa"),
    "pakistani": ("india", "arabia"),
    "polish": ("poland",),
    "irish": ("ireland", "great_britain"),
    "caribbean": ("great_britain", "usa"),
    "kurdish": ("arabia", "turkey"),
    "bangladeshi": ("india", "arabia"),
    "indian": ("india",),
    "slovak-roma": ("slovakia", "hungary", "czech_republic"),
}
_WORD = re.compile(r"^[a-z]{2,}$")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_STREET_ENDS = ("", "ley", "ton", "field", "side", "gate", "wood", "croft")
STREET_KINDS = _words(
    "road street lane avenue close crescent drive grove terrace way place gardens walk view rise"
)


def _draw(rng: random.Random, pool: tuple[tuple[str, ...], list[float]]) -> str:
    names, cum = pool
    return names[bisect.bisect(cum, rng.random() * cum[-1])]


@cache
def _origins() -> tuple[Any, ...]:
    from lantern.sim import vocab

    return vocab.origins()


@cache
def _nam_dict() -> dict[str, dict[str, str]]:
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=False).names  # type: ignore[no-any-return]


@cache
def _country_index(country: str) -> int:
    from gender_guesser.detector import Detector

    return list(Detector.COUNTRIES).index(country)


@cache
def _given_pool(origin: str, sex: str) -> tuple[tuple[str, ...], list[float]]:
    """Given names of a heritage and sex, commonest first: the simulator's list
    (the town's common names), then the names gender-guesser knows in that
    heritage's countries, by their frequency there (a hex digit, 1 rare to D
    very common), then alphabetically."""
    from lantern.sim import surnames
    from lantern.types import name as name_type

    o = next(o for o in _origins() if o.code == origin)
    head = [name_type.key(n.name) for n in (o.male if sex == "M" else o.female)]
    seen = set(head)
    tail: list[tuple[int, str]] = []
    sexes = ("male", "mostly_male") if sex == "M" else ("female", "mostly_female")
    for name, usage in _nam_dict().items():
        if name in seen or not _WORD.match(name):
            continue
        best = 0
        for s in sexes:
            freqs = usage.get(s, "")
            for country in _COUNTRIES[origin]:
                i = _country_index(country)
                if i < len(freqs) and freqs[i].strip():
                    best = max(best, int(freqs[i], 16))
        if best:
            tail.append((-best, name))
    names = tuple(head + [n for _, n in sorted(tail)])
    return names, surnames.zipf_cum(len(names), GIVEN_Q)


@cache
def _family_pool(origin: str) -> tuple[tuple[str, ...], list[float]]:
    """Family names of a heritage, commonest first: the simulator's list, then
    made-up names in a fixed shuffled order (English, Polish and Irish from
    stems and endings; South Asian and Kurdish family names are often given
    names, so those; Caribbean families share the English pool)."""
    from lantern.sim import surnames
    from lantern.types import name as name_type

    if origin == "caribbean":
        english = _family_pool("english")[0]
        o = next(o for o in _origins() if o.code == origin)
        head = [name_type.key(n.name) for n in o.surnames]
        names = tuple(dict.fromkeys([*head, *english]))
        return names, surnames.zipf_cum(len(names), surnames.FAMILY_Q)
    o = next(o for o in _origins() if o.code == origin)
    head = [name_type.key(n.name) for n in o.surnames]
    made = [name_type.key(n) for n in surnames.made_up(origin)]
    if not made:
        made = [name_type.key(n.name) for n in (*o.male, *o.female)]
        made += [n for n in _given_pool(origin, "M")[0][:300]]
    made = sorted(set(made) - set(head))
    random.Random(0).shuffle(made)
    names = tuple(dict.fromkeys(n for n in [*head, *made] if n))
    q = surnames.FAMILY_Q if len(names) > 5000 else surnames.SMALL_FAMILY_Q
    return names, surnames.zipf_cum(len(names), q)


@cache
def _written_as() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Spelling variants and nicknames of the simulator's names, by key."""
    from lantern.types import name as name_type

    out: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for o in _origins():
        for n in (*o.male, *o.female, *o.surnames):
            out[name_type.key(n.name)] = (
                tuple(name_type.key(v) for v in n.variants),
                tuple(name_type.key(v) for v in n.nicknames),
            )
    return out


@cache
def _street_names() -> tuple[str, ...]:
    """About 26,000 street names: a stem, an ending and a kind of street
    ("Holtley Road", "Holtley Close"), for about 3 million addresses."""
    from lantern.sim import surnames

    bases = sorted({a.capitalize() + c for a in surnames.STEMS for c in _STREET_ENDS})
    return tuple(f"{b} {k.capitalize()}" for b in bases for k in STREET_KINDS)


def _postcode(street: int, number: int) -> str:
    """A postcode of the fictional CB area for a stretch of 20 houses of a
    street: about 15 households a postcode, as in the UK."""
    i = street * 6 + number // 20
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"CB{1 + i % 60} {(i // 60) % 10}{letters[(i // 600) % 20]}{letters[(i // 12000) % 20]}"


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _dob_typo(born: date, rng: random.Random) -> date:
    """One digit of the day or month written wrong (or day and month swapped)."""
    for _ in range(5):
        day, month = born.day, born.month
        pick = rng.random()
        if pick < 0.3:
            day, month = month, day
        elif pick < 0.7:
            day = int(f"{day:02d}"[0] + str(rng.randrange(10)))
        else:
            day = int(str(rng.randrange(4)) + f"{day:02d}"[1])
        try:
            wrong = date(born.year, month, day)
        except ValueError:
            continue
        if wrong != born:
            return wrong
    return born


def _years(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _people(count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` people in households: a household shares a family name
    (mostly) and an address; a quarter of people have moved."""
    origins = _origins()
    codes = [o.code for o in origins]
    weights = [o.weight for o in origins]
    streets = _street_names()
    jobs = sorted(_jobs())
    people: list[dict[str, Any]] = []
    phone_ids = rng.sample(range(100_000_000, 1_000_000_000), count)

    def address() -> tuple[str, str]:
        s, number = rng.randrange(len(streets)), 1 + rng.randrange(120)
        return f"{number} {streets[s]}", _postcode(s, number)

    while len(people) < count:
        origin = rng.choices(codes, weights)[0]
        family = _draw(rng, _family_pool(origin))
        home = address()
        size = rng.choices(HOUSEHOLD_SIZES, HOUSEHOLD_WEIGHTS)[0]
        parent_born = date(1940, 1, 1) + timedelta(days=rng.randrange(56 * 365))
        for k in range(min(size, count - len(people))):
            sex = rng.choice("MF")
            if k < 2:  # the adults
                born = parent_born + timedelta(days=rng.randrange(-5 * 365, 5 * 365))
            else:  # their children, born by 2005
                born = parent_born + timedelta(days=rng.randrange(18 * 365, 40 * 365))
                born = min(born, date(2005, 12, 31) - timedelta(days=rng.randrange(3650)))
            i = len(people)
            people.append(
                {
                    "origin": origin,
                    "given": _draw(rng, _given_pool(origin, sex)),
                    # one adult in ten keeps another family name
                    "family": family
                    if k >= 2 or rng.random() > 0.1
                    else _draw(rng, _family_pool(origin)),
                    "sex": sex,
                    "born": born,
                    "addresses": [home, address()] if rng.random() < MOVED else [home],
                    "phone": f"+447{phone_ids[i]}",
                    "job": rng.choice(jobs) if k < 2 and rng.random() < STAFF else None,
                }
            )
    return people


@cache
def _jobs() -> frozenset[str]:
    from lantern.resolve import features

    return frozenset(j for j in features._jobs() if j not in ("professional", "staff", "officers"))


def synthetic_population(n: int, seed: int = 7) -> tuple[list[dict[str, Any]], list[int]]:
    """``n`` person-mention rows of about n/2.5 people, and the person each
    row is (for pairwise precision and recall)."""
    from lantern.domain import PersonMention, Span
    from lantern.resolve import features

    rng = random.Random(seed)
    people = _people(max(1, int(n / 2.5)), rng)
    # Everyone is mentioned once; the rest of the mentions go to people by how
    # active they are (log-normal: most people once or twice, a few dozens of
    # times; staff who write reports more).
    activity = [rng.lognormvariate(0.0, 1.0) * (5.0 if p["job"] else 1.0) for p in people]
    cum = list(itertools.accumulate(activity))
    who = list(range(min(n, len(people))))
    who += [
        min(bisect.bisect(cum, rng.random() * cum[-1]), len(people) - 1)
        for _ in range(n - len(who))
    ]
    rng.shuffle(who)
    written = _written_as()
    rows = []
    for i, p_i in enumerate(who):
        p = people[p_i]
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        given, family = p["given"], p["family"]
        variants, nicknames = written.get(given, ((), ()))
        roll = rng.random()
        if variants and roll < SPELLING_VARIANT:
            given = rng.choice(variants)
        elif nicknames and roll > 1 - NICKNAME:
            given = rng.choice(nicknames)
        fam_variants = written.get(family, ((), ()))[0]
        if fam_variants and rng.random() < SPELLING_VARIANT:
            family = rng.choice(fam_variants)
        if rng.random() < GIVEN_TYPO:
            given = _typo(given, rng)
        if rng.random() < FAMILY_TYPO:
            family = _typo(family, rng)
        if p["job"]:  # staff: the reporter of the report, with their job
            role, description = "reporter", p["job"]
            dob = age = address = postcode = None
        else:
            role, description = rng.choices(ROLES, ROLE_WEIGHTS)[0], None
            born = p["born"]
            dob = born if rng.random() < DOB_GIVEN else None
            if dob is not None and rng.random() < DOB_TYPO:
                dob = _dob_typo(dob, rng)
            age = _years(born, day) if rng.random() < AGE_GIVEN else None
            address = postcode = None
            if rng.random() < ADDRESS_GIVEN:
                homes = p["addresses"]
                address, code = homes[-1] if rng.random() < OLD_ADDRESS else homes[0]
                if rng.random() < ADDRESS_TYPO:
                    number, rest = address.split(" ", 1)
                    address = f"{number} {_typo(rest, rng)}"
                postcode = code if rng.random() < POSTCODE_GIVEN else None
        roll = rng.random()
        if roll < FIRST_NAME_ONLY:
            family = None
        elif roll > 1 - SWAPPED:
            given, family = family, given
        name = f"{given} {family}" if family else given
        mention = PersonMention(
            mention_id=f"m{i}",
            text=name.title(),
            span=Span(0, 0, "reporter" if role == "reporter" else "subjects[0]"),
            role=role,
            name=name.title(),
            given_name=given.title(),
            family_name=family.title() if family else None,
            description=description,
            sex=p["sex"] if rng.random() < SEX_GIVEN else None,
            dob=dob,
            age=age,
            address=address,
            postcode=postcode,
            phones=[p["phone"]] if rng.random() < PHONE_GIVEN else [],
        )
        rows.append(features.person_row(mention, i // 3, day, []))
    return rows, who


def synthetic_rows(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` person-mention rows (see ``synthetic_population``)."""
    return synthetic_population(n, seed)[0]


def population_stats(rows: list[dict[str, Any]], who: list[int]) -> dict[str, Any]:
    """How long-tailed the names are: distinct names, and the share of named
    mentions the commonest family names cover."""
    family = Counter(r["family"] for r in rows if r["family"])
    given = Counter(r["given"] for r in rows if r["given"])
    named = sum(family.values()) or 1
    top = [c for _, c in family.most_common(500)]
    return {
        "people": len(set(who)),
        "distinct_family_names": len(family),
        "distinct_given_names": len(given),
        "commonest_family_share": round(top[0] / named, 4) if top else 0,
        "top_100_family_share": round(sum(top[:100]) / named, 3),
        "top_500_family_share": round(sum(top) / named, 3),
        "largest_block_family_mp_given_initial": max(
            Counter((r["family_mp"], r["given_initial"]) for r in rows if r["family_mp"]).values(),
            default=0,
        ),
    }


# -- the two sides ---------------------------------------------------------


def _rss_mib(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _cpu_s() -> float:
    """CPU seconds of this process so far, every thread (user and system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _pairwise(groups: list[list[str]] | dict[str, Any], truth: dict[str, int]) -> dict[str, float]:
    """Pairwise precision and recall of clusters against the true people."""
    cluster_of: dict[str, Any]
    if isinstance(groups, dict):
        cluster_of = groups
    else:
        cluster_of = {m: g for g, members in enumerate(groups) for m in members}
    cells = Counter((cluster_of[m], p) for m, p in truth.items() if m in cluster_of)
    sizes = Counter(cluster_of[m] for m in truth if m in cluster_of)
    people = Counter(truth.values())

    def pairs(counts: Any) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    tp, found, real = pairs(cells.values()), pairs(sizes.values()), pairs(people.values())
    return {
        "precision": round(tp / found, 4) if found else 1.0,
        "recall": round(tp / real, 4) if real else 1.0,
    }


def _lantern(rows: list[dict[str, Any]], truth: dict[str, int]) -> dict[str, Any]:
    """Lantern's steps as its stage runs them (``stage.run``): with Python's
    cyclic garbage collector paused throughout."""
    from lantern.resolve import bulk, linkage
    from lantern.resolve.clustering import Clusters

    cpu = _cpu_s()
    with bulk.many_objects():
        started = time.perf_counter()
        people = linkage.table(rows)  # made once, read by training and scoring
        trained, _ = linkage.train(people)
        trained_at = time.perf_counter()
        pairs = linkage.score_all(trained, people)
        scored_at = time.perf_counter()
        clusters = Clusters({r["unique_id"]: r for r in rows})
        clusters.add_links(pairs)
        groups = clusters.groups()
        timings = _timings(cpu, started, trained_at, scored_at)
    return {
        **timings,
        "pairs_scored": len(pairs),
        "entities": len(groups),
        **_pairwise(groups, truth),
    }


def _timings(cpu: float, started: float, trained_at: float, scored_at: float) -> dict[str, Any]:
    """Wall-clock seconds in all and of each step (training, scoring,
    clustering: the last ends now), CPU seconds since ``cpu``, peak memory."""
    done = time.perf_counter()
    return {
        "seconds": round(done - started, 1),
        "cpu_s": round(_cpu_s() - cpu, 1),
        "train_s": round(trained_at - started, 1),
        "predict_s": round(scored_at - trained_at, 1),
        "cluster_s": round(done - scored_at, 1),
        "peak_rss_mib": _rss_mib("VmHWM"),
    }


# Plain Splink's blocking: Lantern's rules with plain columns in place of
# Lantern's derived keys (the family name for its Metaphone code, the given
# name for its nickname-group key, the first letter for the initial columns).
# Lantern's rules with no textbook counterpart are left out: names swapped,
# one report, an identifier (the rows have none) and first-name-only mentions
# against everyone of that given name.
PLAIN_BLOCKING = (
    ("family", "substr(given, 1, 1)"),
    ("given", "substr(family, 1, 1)"),
    ("given", "dob"),
    ("dob", "substr(family, 1, 1)"),
    ("phone1",),
    ("address",),
    ("postcode", "substr(given, 1, 1)"),
)
PLAIN_COLUMNS = ("unique_id", "given", "family", "dob", "sex", "address", "postcode", "phone1")


def _plain_settings() -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given").configure(term_frequency_adjustments=True),
            cl.NameComparison("family").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.JaroWinklerAtThresholds("address", [0.9, 0.75]),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("phone1"),
        ],
        blocking_rules_to_generate_predictions=[block_on(*cols) for cols in PLAIN_BLOCKING],
        retain_intermediate_calculation_columns=True,
    )


def _plain_splink(rows: list[dict[str, Any]], truth: dict[str, int]) -> dict[str, Any]:
    import pyarrow as pa
    from splink import DuckDBAPI, Linker, block_on

    from lantern.resolve import linkage, model

    cpu = _cpu_s()
    started = time.perf_counter()
    table = pa.Table.from_pylist([{k: r[k] for k in PLAIN_COLUMNS} for r in rows])
    db_api = DuckDBAPI()
    frame = db_api.register(table, table_name="people")
    linker = Linker(frame, _plain_settings(), log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        ["l.given = r.given AND l.family = r.family", "l.family = r.family AND l.dob = r.dob"],
        recall=model.DETERMINISTIC_RECALL,
    )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=linkage.U_SAMPLE_PAIRS, seed=linkage.SEED
    )
    for rule in (block_on("dob"), block_on("given", "family"), block_on("address")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    trained_at = time.perf_counter()
    predictions = linker.inference.predict(
        threshold_match_weight=model.KEEP_FLOOR, warning_mode="never"
    )
    pairs_scored = predictions.as_duckdbpyrelation().aggregate("count(*)").fetchall()[0][0]
    scored_at = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_weight=model.THRESHOLD
    )
    relation = clusters.as_duckdbpyrelation()
    entities = relation.aggregate("count(distinct cluster_id)").fetchall()[0][0]
    timings = _timings(cpu, started, trained_at, scored_at)
    cluster_of = dict(relation.select("unique_id, cluster_id").fetchall())
    return {
        **timings,
        "pairs_scored": int(pairs_scored),
        "entities": int(entities),
        **_pairwise(cluster_of, truth),
    }


def _comparisons(rows: list[dict[str, Any]], sample: float) -> dict[str, Any]:
    """How many pairs each side's blocking rules generate (Splink's count,
    from a sample of the rows on each side of the join where ``sample`` < 1)."""
    from splink import DuckDBAPI, block_on
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from lantern.resolve import linkage, model

    out: dict[str, Any] = {}
    for side, rules, table in (
        ("lantern", model.blocking_rules(), linkage.table(rows)),
        (
            "plain_splink",
            [block_on(*cols) for cols in PLAIN_BLOCKING],
            linkage.table(rows).select(list(PLAIN_COLUMNS)),
        ),
    ):
        db_api = DuckDBAPI()
        frame = db_api.register(table, table_name=f"{side}_people")
        records = count_comparisons_from_blocking_rules(
            frame, blocking_rules=rules, link_type="dedupe_only", record_sample_proportion=sample
        )
        out[side] = {
            "pairs_compared": int(records[-1]["cumulative_comparison_count"]),
            "by_rule": {r["blocking_rule"]: int(r["marginal_comparison_count"]) for r in records},
        }
    return out


def _side(name: str, rows_path: str, out: Any, size: int = 0, seed: int = 7) -> None:
    """A child process: makes the rows (``generate``), or loads them and runs
    one side or counts the blocked pairs, and reports its figures."""
    if name == "generate":
        started = time.perf_counter()
        rows, who = synthetic_population(size, seed)
        generated = round(time.perf_counter() - started, 1)
        with open(rows_path, "wb") as handle:
            pickle.dump((rows, who), handle, protocol=pickle.HIGHEST_PROTOCOL)
        out.put({"generate_s": generated, **population_stats(rows, who)})
        return
    with open(rows_path, "rb") as handle:
        rows, who = pickle.load(handle)
    if name == "comparisons":
        del who
        out.put(_comparisons(rows, 1.0 if len(rows) <= 100_000 else 0.2))
        return
    truth = {r["unique_id"]: p for r, p in zip(rows, who, strict=True)}
    del who
    loaded = _rss_mib("VmRSS")
    figures = (_lantern if name == "lantern" else _plain_splink)(rows, truth)
    figures["rows_loaded_rss_mib"] = loaded
    out.put(figures)


def _in_child(name: str, rows_path: str, *args: Any) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_side, args=(name, rows_path, out, *args))
    proc.start()
    while True:
        try:
            result = out.get(timeout=5)
            break
        except queue.Empty:
            if not proc.is_alive():
                raise RuntimeError(f"{name} failed (exit code {proc.exitcode})") from None
    proc.join()
    return dict(result)


def run_size(size: int, seed: int = 7, count_pairs: bool = True, repeat: int = 2) -> dict[str, Any]:
    """Both sides at one size, each run in a fresh process, ``repeat`` times
    in turn (plain Splink, Lantern, Lantern, plain Splink, ...: the machine's
    speed drifting during the runs favours neither side). Each side's
    figures are those of its fastest run, the run least slowed by other
    work on the machine; every run's seconds are kept (``runs_s``)."""
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as handle:
        rows_path = handle.name
    try:
        stats = _in_child("generate", rows_path, size, seed)
        load_before = round(os.getloadavg()[0], 2)
        runs: dict[str, list[dict[str, Any]]] = {"plain_splink": [], "lantern": []}
        for turn in range(max(repeat, 1)):
            order = ("plain_splink", "lantern") if turn % 2 == 0 else ("lantern", "plain_splink")
            for side in order:
                figures = _in_child(side, rows_path)
                runs[side].append(figures)
                label = "Lantern" if side == "lantern" else "plain Splink"
                print(f"  {label} at {size:,}: {json.dumps(figures)}", flush=True)
        plain, lantern = (
            {
                **min(runs[side], key=lambda f: f["seconds"]),
                "runs_s": [f["seconds"] for f in runs[side]],
            }
            for side in ("plain_splink", "lantern")
        )
        load_after = round(os.getloadavg()[0], 2)
        if count_pairs:
            compared = _in_child("comparisons", rows_path)
            for side, figures in (("lantern", lantern), ("plain_splink", plain)):
                figures["pairs_compared"] = compared[side]["pairs_compared"]
                figures["pairs_compared_by_rule"] = compared[side]["by_rule"]
    finally:
        os.unlink(rows_path)
    return {
        "person_mentions": size,
        "population": POPULATION,
        "seed": seed,
        **stats,
        "engine": "duckdb",
        "load_average_1m": [load_before, load_after],
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "lantern": lantern,
        "plain_splink": plain,
        "time_ratio": round(lantern["seconds"] / plain["seconds"], 2),
        "cpu_ratio": round(lantern["cpu_s"] / plain["cpu_s"], 2),
        "memory_ratio": round(lantern["peak_rss_mib"] / plain["peak_rss_mib"], 2),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_resolve")
    parser.add_argument(
        "--size", type=int, nargs="+", default=[1_000_000], help="person mentions (one or more)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--append",
        action="store_true",
        help="keep the other sizes of the last result (same population)",
    )
    parser.add_argument("--no-count", action="store_true", help="skip counting blocked pairs")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of each side, in turn; the fastest is kept"
    )
    args, _ = parser.parse_known_args(argv)
    runs: dict[int, dict[str, Any]] = {}
    path = RESULTS / "resolve.json"
    if args.append and path.exists():
        previous = json.loads(path.read_text())
        for run in previous.get("sizes", []):
            if run.get("population") == POPULATION:
                runs[run["person_mentions"]] = run
    for size in sorted(args.size):
        print(f"== resolve at {size:,} person mentions", flush=True)
        runs[size] = run_size(size, args.seed, count_pairs=not args.no_count, repeat=args.repeat)
        _write(runs)


def _write(runs: dict[int, dict[str, Any]]) -> None:
    """The largest size's figures at the top, every size under ``sizes``."""
    largest = runs[max(runs)]
    write_result(
        "resolve",
        {
            **largest,
            "sizes": [runs[s] for s in sorted(runs)],
            "scaling": [
                {
                    "person_mentions": s,
                    "lantern_s": runs[s]["lantern"]["seconds"],
                    "plain_splink_s": runs[s]["plain_splink"]["seconds"],
                    "time_ratio": runs[s]["time_ratio"],
                    "cpu_ratio": runs[s].get("cpu_ratio"),
                    "memory_ratio": runs[s]["memory_ratio"],
                }
                for s in sorted(runs)
            ],
        },
    )


if __name__ == "__main__":  # pragma: no cover
    main()
