"""Spark and DuckDB give the same people: the same model scores the mentions of
a small town on each engine (a local Spark session), and clustering the two
sets of scores gives the same clusters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from lantern.resolve import features, linkage, model
from lantern.resolve.clustering import Clusters, Link
from lantern.store.db import open_store
from lantern.store.findings.resolution import resolution_features
from tests.resolve_helpers import analysed_town

pytestmark = [pytest.mark.spark, pytest.mark.slow]

MENTIONS = 150  # keep CI short: a local Spark session is slow to start and to run


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")
def test_spark_and_duckdb_give_the_same_clusters(tmp_path: Path) -> None:
    db, _ = analysed_town(tmp_path, seed=9, size="small")
    engine = open_store(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = [
            f["row"]
            for (f,) in conn.execute(
                select(resolution_features.c.features).order_by(resolution_features.c.mention_id)
            )
            if f["kind"] == "person" and features.has_identity(f["row"])
        ][:MENTIONS]
    engine.dispose()
    trained, _ = linkage.train(rows, db_api=linkage.open_backend("duckdb"))

    def clusters(engine_name: str) -> set[frozenset[str]]:
        pairs = linkage.score_all(trained, rows, db_api=linkage.open_backend(engine_name))
        found = Clusters({r["unique_id"]: r for r in rows})
        found.add_links(Link(p.mention_a, p.mention_b, p.match_weight, p.reasons) for p in pairs)
        return {frozenset(g) for g in found.groups()}

    on_duckdb = clusters("duckdb")
    on_spark = clusters("spark")
    assert any(len(c) > 1 for c in on_duckdb), "the sample holds people mentioned more than once"
    assert on_spark == on_duckdb


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")
def test_a_sampled_training_block_reads_on_spark() -> None:
    # an EM session over a block too big to read whole reads a sample of its
    # pairs (model.training_block): Spark's SQL for it keeps about one in five
    spark = linkage.spark_session()
    people = spark.createDataFrame(
        [(f"m{n}", "2001-02-03" if n % 3 else "1999-12-31") for n in range(300)],
        "unique_id string, dob string",
    )
    people.createOrReplaceTempView("lantern_block_sample")
    rule = model.training_block(("dob",), 5, "spark")
    query = (
        "SELECT count(*) FROM lantern_block_sample l JOIN lantern_block_sample r"
        f" ON l.unique_id < r.unique_id AND ({rule})"
    )
    whole = 200 * 199 // 2 + 100 * 99 // 2
    kept = spark.sql(query).collect()[0][0]
    assert 0.8 * whole / 5 < kept < 1.2 * whole / 5
