"""Running the person model on a linkage engine: DuckDB in process (default)
or Apache Spark (``LANTERN_LINKAGE_ENGINE=spark``, a local session unless one
is already running). The same settings run on either: the engine is a setting,
not a fork.

``train`` estimates the model without labels (random sampling for u, EM for m)
and then from people's "same" judgements where there are enough; ``score_all``
scores every blocked pair; ``score_new`` scores only pairs that involve new
mentions (against the existing ones and among themselves), so a new report is
matched without re-scoring everything.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import math
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import Any, NamedTuple, TypeAlias

import numpy as np
import pyarrow as pa
from splink import DuckDBAPI, Linker, SettingsCreator
from splink.internals.database_api import DatabaseAPI

from lantern.resolve import bulk, model
from lantern.resolve.features import COLUMNS
from lantern.settings import Settings

logging.getLogger("splink").setLevel(logging.ERROR)
_log = logging.getLogger(__name__)

# "Same" judgements needed before they are used to estimate m probabilities.
MIN_LABELS = 20
U_SAMPLE_PAIRS = 2e6
SEED = 42

_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("report_pk", pa.int64()),
        ("given", pa.string()),
        ("given_key", pa.string()),
        ("given_variants", pa.list_(pa.string())),
        ("given_mp", pa.string()),
        ("given_initial", pa.string()),
        ("family", pa.string()),
        ("family_mp", pa.string()),
        ("family_initial", pa.string()),
        ("dob", pa.string()),
        ("born_lo", pa.int64()),
        ("born_hi", pa.int64()),
        ("sex", pa.string()),
        ("is_child", pa.int64()),
        ("address", pa.string()),
        ("postcode", pa.string()),
        ("phone1", pa.string()),
        ("phones", pa.list_(pa.string())),
        ("identifier", pa.string()),
        ("identifier_kind", pa.string()),
        ("company", pa.list_(pa.string())),
        ("named_with", pa.list_(pa.string())),
        ("occupation", pa.string()),
        ("missing_on", pa.int64()),
    ]
)
assert tuple(_SCHEMA.names) == COLUMNS


class ScoredPair(NamedTuple):
    """Two mentions, ordered, with their match weight and the comparison levels
    behind it: ``reasons`` is ``[{comparison, level, weight}]``. A named
    tuple: a store's scoring makes millions of them, and a tuple is made in
    half the time of a frozen dataclass."""

    mention_a: str
    mention_b: str
    match_weight: float
    match_probability: float
    reasons: list[dict[str, Any]]


def engine_name() -> str:
    return Settings.from_env().linkage_engine.lower()


def open_backend(name: str | None = None) -> DatabaseAPI:
    """A fresh Splink database API for the linkage engine named (or set)."""
    name = (name or engine_name()).lower()
    if name == "duckdb":
        return DuckDBAPI()
    if name == "spark":
        from splink import SparkAPI

        api = SparkAPI(spark_session=spark_session(), break_lineage_method="persist")
        _spark_aliases(api.spark)
        return api
    raise ValueError(f"unknown linkage engine {name!r}: use duckdb or spark")


@cache
def spark_session() -> Any:
    """The running Spark session, or a local one with Splink's similarity jar."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    cores = os.environ.get("LANTERN_SPARK_CORES", "2")
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("lantern-resolve")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.driver.memory", os.environ.get("LANTERN_SPARK_MEMORY", "2g"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def _spark_aliases(spark: Any) -> None:
    """The model's conditions are written in DuckDB's SQL and translated; the
    translation of ``jaro_winkler_similarity`` needs a Spark function of that
    name: Splink's own (from its similarity jar) under a second name."""
    from pyspark.sql.types import DoubleType

    spark.udf.registerJavaFunction(
        "jarowinkler_similarity", "uk.gov.moj.dash.linkage.JaroWinklerSimilarity", DoubleType()
    )


# Person rows as the model reads them: the rows (``features.person_row``), or
# the table ``table`` made of them, made once when several steps read them.
Rows: TypeAlias = Sequence[dict[str, Any]] | pa.Table


def table(rows: Rows) -> pa.Table:
    if isinstance(rows, pa.Table):
        return rows
    return pa.Table.from_pylist(list(rows), schema=_SCHEMA)


def _register(db_api: DatabaseAPI, rows: Rows, name: str) -> Any:
    """Registers rows as a table. Splink counts how common each name is from
    the rows themselves (or, for new mentions, from a registered lookup)."""
    data: Any = table(rows)
    if type(db_api).__name__.startswith("Spark"):
        spark = db_api.spark  # type: ignore[attr-defined]
        frame = spark.createDataFrame(data.to_pylist(), schema=_spark_schema())
        return db_api.register(frame, table_name=name)
    return db_api.register(data, table_name=name)


@cache
def _spark_schema() -> Any:
    from pyspark.sql import types as T

    kinds = {
        pa.string(): T.StringType(),
        pa.int64(): T.LongType(),
        pa.list_(pa.string()): T.ArrayType(T.StringType()),
    }
    return T.StructType([T.StructField(f.name, kinds[f.type], True) for f in _SCHEMA])


def train(
    rows: Rows,
    same_pairs: Iterable[tuple[str, str]] = (),
    db_api: DatabaseAPI | None = None,
) -> tuple[dict[str, Any], int]:
    """Estimates the model from the mentions themselves (EM), then from "same"
    judgements when there are at least ``MIN_LABELS``. Returns the model (a
    Splink settings dict with its m and u probabilities) and the number of
    labels used."""
    db_api = db_api or open_backend()
    people = table(rows)
    frame = _register(db_api, people, "lantern_people")
    dialect = db_api.sql_dialect.sql_dialect_str
    linker = Linker(frame, model.settings(dialect=dialect), log_level=None)
    with contextlib.suppress(Exception):  # too few pairs to estimate from: keep the prior
        linker.training.estimate_probability_two_random_records_match(
            list(model.DETERMINISTIC_RULES), recall=model.DETERMINISTIC_RECALL
        )
    # a store full of one repeated name (a test, a flood of one reporter) must
    # not make every pair look likely: keep the prior within sane bounds
    core = linker._settings_obj.core_model_settings
    core.probability_two_random_records_match = min(
        max(core.probability_two_random_records_match, model.MIN_PRIOR), model.MAX_PRIOR
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=SEED)
    for columns in model.TRAINING_BLOCKS:
        pairs = block_pairs(people, columns)
        rule = model.training_block(columns, math.ceil(pairs / model.EM_MAX_PAIRS), dialect)
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except Exception as error:
            # no pairs under this rule (a small store), or a level EM drove to
            # nothing: keep what was known before this session. A failed
            # session can leave the model half-updated (the chance that two
            # random mentions match taken from the session), so start again
            # from the copy.
            _log.info(
                "EM blocked on %s (%d pairs) kept the model as it was: %s", columns, pairs, error
            )
            linker = Linker(frame, before, log_level=None)
    labels = list(same_pairs)
    if labels:  # most runs have no judgements: no set of every mention id
        known = set(people.column("unique_id").to_pylist())
        labels = [(a, b) for a, b in labels if a in known and b in known]
    used = 0
    if len(labels) >= MIN_LABELS:
        label_table = pa.Table.from_pylist(
            [{"unique_id_l": a, "unique_id_r": b} for a, b in labels]
        )
        registered = db_api.register(label_table, table_name="lantern_labels")
        linker.training.estimate_m_from_pairwise_labels(registered)
        used = len(labels)
    return linker.misc.save_model_to_json(), used


def block_pairs(people: pa.Table, columns: Sequence[str]) -> int:
    """How many pairs of mentions are alike on every one of ``columns`` (none
    of them missing): the pairs an EM session blocked on them would read."""
    present = people.select(list(columns)).drop_null()
    if present.num_rows < 2:
        return 0
    counts = present.group_by(list(columns)).aggregate([([], "count_all")])
    sizes = counts.column("count_all").to_numpy().astype(np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def score_all(
    trained: dict[str, Any],
    rows: Rows,
    db_api: DatabaseAPI | None = None,
    floor: float = model.KEEP_FLOOR,
) -> list[ScoredPair]:
    """Every blocked pair among ``rows`` scoring at least ``floor``."""
    if len(rows) < 2:
        return []
    db_api = db_api or open_backend()
    frame = _register(db_api, rows, "lantern_people")
    # the stored model was checked when it was trained: not again on every run
    linker = Linker(frame, _for_engine(trained, db_api), log_level=None, validate_settings=False)
    predictions = linker.inference.predict(threshold_match_weight=floor, warning_mode="never")
    return _pairs(predictions, trained)


def score_new(
    trained: dict[str, Any],
    existing: Sequence[dict[str, Any]],
    new: Sequence[dict[str, Any]],
    db_api: DatabaseAPI | None = None,
    floor: float = model.KEEP_FLOOR,
) -> list[ScoredPair]:
    """Pairs that involve a new mention: new against existing, and new among
    themselves. Existing pairs are not scored again."""
    if not new:
        return []
    db_api = db_api or open_backend()
    new_frame = _register(db_api, new, "lantern_new_people")
    linker = Linker(
        new_frame, _for_engine(trained, db_api), log_level=None, validate_settings=False
    )
    for column in ("given", "family"):  # name frequencies over every mention
        counts = Counter(r[column] for r in (*existing, *new) if r[column])
        total = sum(counts.values()) or 1
        lookup = pa.Table.from_pylist(
            [{column: v, f"tf_{column}": n / total} for v, n in counts.items()]
        )
        registered = db_api.register(lookup, table_name=f"lantern_tf_{column}")
        linker.table_management.register_term_frequency_lookup(registered, column)
    found: list[ScoredPair] = []
    if len(new) > 1:
        within = linker.inference.predict_within(
            new_frame, threshold_match_weight=floor, warning_mode="never"
        )
        found += _pairs(within, trained)
    if existing:
        old_frame = _register(db_api, existing, "lantern_old_people")
        between = linker.inference.predict_between(
            old_frame, new_frame, threshold_match_weight=floor, warning_mode="never"
        )
        found += _pairs(between, trained)
    return found


def _for_engine(trained: dict[str, Any], db_api: DatabaseAPI) -> SettingsCreator:
    """The trained model written for ``db_api``'s SQL: the declared model
    rendered afresh for that engine, with the trained probabilities copied in
    level by level (a model trained on DuckDB scores on Spark, and back).
    Rendered once per model and engine in a process (each new report is
    scored with the same model): each call gets its own copy."""
    dialect = db_api.sql_dialect.sql_dialect_str
    rendered = _rendered(json.dumps(trained, sort_keys=True, default=str), dialect)
    return SettingsCreator.from_path_or_dict(copy.deepcopy(rendered))


@lru_cache(maxsize=8)  # a few models (retrained, or another engine's) in a process
def _rendered(trained_json: str, dialect: str) -> dict[str, Any]:
    trained = json.loads(trained_json)
    fresh = model.settings(trained["probability_two_random_records_match"], dialect)
    rendered: dict[str, Any] = fresh.get_settings(dialect).as_dict()
    trained_levels = {
        (c.get("output_column_name"), level.get("label_for_charts")): level
        for c in trained["comparisons"]
        for level in c["comparison_levels"]
    }
    for comparison in rendered["comparisons"]:
        for level in comparison["comparison_levels"]:
            key = (comparison.get("output_column_name"), level.get("label_for_charts"))
            for name in ("m_probability", "u_probability"):
                if name in trained_levels.get(key, {}):
                    level[name] = trained_levels[key][name]
    return rendered


def _settings(trained: dict[str, Any]) -> SettingsCreator:
    return SettingsCreator.from_path_or_dict(dict(trained))


@lru_cache(maxsize=8)
def _level_table_key(trained_json: str) -> dict[str, list[tuple[str, float, bool]]]:
    settings = _settings(json.loads(trained_json)).get_settings("duckdb")
    table_: dict[str, list[tuple[str, float, bool]]] = {}
    for comparison in settings.comparisons:
        levels: list[tuple[str, float, bool]] = []
        for level in comparison.comparison_levels:
            if level.is_null_level:
                continue
            weight = level._log2_bayes_factor
            if weight is None or not math.isfinite(weight):
                weight = 0.0
            levels.append((level.label_for_charts, weight, bool(level._has_tf_adjustments)))
        table_[comparison.output_column_name] = levels
    return table_


def level_table(trained: dict[str, Any]) -> dict[str, list[tuple[str, float, bool]]]:
    """For each comparison, each non-null level's label, match weight and
    whether the weight is adjusted for how common the value is."""
    return _level_table_key(json.dumps(trained, sort_keys=True, default=str))


def _level(levels: list[tuple[str, float, bool]], weight: float) -> tuple[str, float] | None:
    """The level a pair fell in, from the weight Splink gives the comparison
    (Splink 5 returns per-comparison weights, ``mw_<name>``, not levels): the
    level of exactly that weight, else the level whose weight is adjusted for
    the value's frequency. None when the comparison had nothing to compare."""
    for label, level_weight, _ in levels:
        if abs(level_weight - weight) < 1e-6:
            return label, round(weight, 2)
    if weight == 0.0:  # the null level: nothing to compare
        return None
    for label, _, adjusted in levels:
        if adjusted:
            return label, round(weight, 2)
    return None


def _pairs(predictions: Any, trained: dict[str, Any]) -> list[ScoredPair]:
    """The scored pairs, each with its reasons: the level of every comparison
    that had something to compare, and its weight (with Splink's adjustment
    for how common a name is). Pairs that fell in the same levels with the
    same weights share one list of reasons, built once (reasons are never
    changed once made): the pairs are grouped by their comparison weights in
    the engine or the frame, not one by one in Python."""
    levels = level_table(trained)
    frame, combos, combination = _read_scores(predictions)
    predictions.drop_table_from_database_and_remove_from_cache()
    if frame.empty:
        return []
    names = [c[3:] for c in combos.columns if c.startswith("mw_") and c[3:] in levels]
    adjusts = {n: f"mw_tf_adj_{n}" for n in names if f"mw_tf_adj_{n}" in combos.columns}
    # each comparison's reason in each combination, made once per weight and
    # adjustment it takes (a few hundred at most, against 130,000 combinations
    # at 250,000 mentions), and put in the combinations' order by numpy
    columns: list[Any] = []
    for n in names:
        keys = combos[[f"mw_{n}", *([adjusts[n]] if n in adjusts else [])]]
        code = keys.groupby(list(keys.columns), dropna=False, sort=False).ngroup().to_numpy()
        _, first = np.unique(code, return_index=True)
        made = np.empty(len(first), dtype=object)
        for i, key in enumerate(keys.iloc[first].itertuples(index=False, name=None)):
            weight, *adjust = _present(key)
            made[i] = _reason(n, levels[n], weight, adjust[0] if adjust else None)
        columns.append(made[code])
    shared = np.empty(len(combos), dtype=object)
    for c, parts in enumerate(zip(*columns, strict=True)):
        shared[c] = [r for r in parts if r is not None]
    with bulk.many_objects():
        left, right = _ids(frame["unique_id_l"]), _ids(frame["unique_id_r"])
        swap = left > right  # each pair's mentions in order
        return list(
            map(
                ScoredPair,
                np.where(swap, right, left).tolist(),
                np.where(swap, left, right).tolist(),
                frame["match_weight"].astype(float).tolist(),
                frame["match_probability"].astype(float).tolist(),
                shared[combination].tolist(),
            )
        )


def _ids(column: Any) -> Any:
    """A column of mention ids as an array of the strings read (not copies:
    a million mentions' pairs hold six million ids)."""
    ids = column.to_numpy(dtype=object)
    if len(ids) and not isinstance(ids[0], str):
        ids = column.astype(str).to_numpy(dtype=object)
    return ids


def _present(values: tuple[Any, ...]) -> list[Any]:
    """Values read from a frame, None for a missing one (None or NaN)."""
    return [None if v is None or v != v else v for v in values]


# The fewest scored pairs whose combinations of weights are found in DuckDB
# rather than in pandas (``_read_scores``).
GROUPED_IN_ENGINE_FROM = 100_000


def _read_scores(predictions: Any) -> tuple[Any, Any, Any]:
    """The scored pairs read from the engine: a frame of the two mentions and
    the match weight and probability of each; a frame of the distinct
    combinations of comparison weights (``mw_<name>``, and each name's
    frequency adjustment) the pairs fell in; and each pair's combination, by
    its row in that frame. Splink's other columns (the names' frequencies,
    which blocking rule found the pair) are left in the engine.

    On DuckDB, from ``GROUPED_IN_ENGINE_FROM`` pairs, the combinations are
    found in the engine and only their numbers are read for each pair: at
    1,000,000 mentions (3 million pairs, half a million combinations) 1.6 s,
    against 6.0 s to read every weight of every pair and group them in
    pandas, as is done for fewer pairs (the engine's extra statements cost
    more than they save on a new report's few pairs) and on Spark."""

    def wanted(column: str) -> bool:
        return column.startswith("mw_") or column in (
            "unique_id_l",
            "unique_id_r",
            "match_weight",
            "match_probability",
        )

    if hasattr(predictions, "as_duckdbpyrelation"):
        relation = predictions.as_duckdbpyrelation()
        weights = [c for c in relation.columns if c.startswith("mw_")]
        if weights and relation.aggregate("count(*)").fetchall()[0][0] >= GROUPED_IN_ENGINE_FROM:
            return _combined_in_duckdb(predictions, weights)
        frame = relation.select(", ".join(c for c in relation.columns if wanted(c))).df()
    elif hasattr(predictions, "as_spark_dataframe"):
        spark_frame = predictions.as_spark_dataframe()
        frame = spark_frame.select([c for c in spark_frame.columns if wanted(c)]).toPandas()
    else:
        frame = predictions.as_pandas_dataframe()
    keys = [c for c in frame.columns if c.startswith("mw_")]
    if frame.empty or not keys:
        return frame, frame.iloc[:1], np.zeros(len(frame), dtype=np.int64)
    combination = frame.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()
    _, first = np.unique(combination, return_index=True)
    return frame, frame.iloc[first], combination


def _combined_in_duckdb(predictions: Any, weights: list[str]) -> tuple[Any, Any, Any]:
    """``_read_scores`` on DuckDB: the distinct combinations of the
    ``weights`` columns made a table, numbered, and each pair joined to its
    number there (a weight that is NULL matches a NULL)."""
    table = predictions.physical_name
    combos = f"{table}_combinations"
    listed = ", ".join(weights)
    same = " AND ".join(f"p.{c} IS NOT DISTINCT FROM c.{c}" for c in weights)
    con = predictions.db_api.duckdb_con
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {combos} AS SELECT *, "
        f"(row_number() OVER ()) - 1 AS combination FROM (SELECT DISTINCT {listed} FROM {table})"
    )
    try:
        frame = con.execute(
            "SELECT p.unique_id_l, p.unique_id_r, p.match_weight, p.match_probability,"
            f" c.combination FROM {table} p JOIN {combos} c ON {same}"
        ).df()
        found = con.execute(f"SELECT * FROM {combos} ORDER BY combination").df()
    finally:
        con.execute(f"DROP TABLE IF EXISTS {combos}")
    return frame, found, frame["combination"].to_numpy()


def _reason(
    name: str, levels: list[tuple[str, float, bool]], weight: Any, adjust: Any
) -> dict[str, Any] | None:
    """One comparison's reason from its weight and frequency adjustment (None
    or NaN when there is none), or None when it had nothing to compare."""
    if weight is None or weight != weight:
        return None
    found = _level(levels, float(weight))
    if found is None:
        return None
    extra = float(adjust) if adjust is not None and adjust == adjust else 0.0
    return {"comparison": name, "level": found[0], "weight": round(found[1] + extra, 2)}
