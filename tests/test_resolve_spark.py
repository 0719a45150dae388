"""Spark and DuckDB give the same people: the same model scores the mentions of
a small town on each engine (a local Spark session), and clustering the two
sets of scores gives the same clusters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from lantern.resolve import features, linkage
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
