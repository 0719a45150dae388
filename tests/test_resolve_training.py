"""Training the person model: EM over a block too big to read whole reads a
sample of its pairs, fixed by the mention ids, and learns what the whole
block teaches."""

from __future__ import annotations

import itertools
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from benchmarks.bench_resolve import _pairwise, synthetic_population
from splink import Linker

from lantern.resolve import linkage, model
from lantern.resolve.clustering import Clusters


def _rows(dobs: list[str | None]) -> pa.Table:
    rows: list[dict[str, Any]] = [
        {name: None for name in linkage._SCHEMA.names} for _ in range(len(dobs))
    ]
    for n, (row, dob) in enumerate(zip(rows, dobs, strict=True)):
        row.update(unique_id=f"m{n}", report_pk=n, dob=dob)
    return linkage.table(rows)


def test_the_pairs_of_a_block_are_counted_without_the_missing() -> None:
    dobs = ["2001-02-03"] * 40 + ["1999-12-31"] * 7 + [None] * 30 + ["1980-01-01"]
    people = _rows(dobs)
    by_hand = sum(1 for a, b in itertools.combinations(dobs, 2) if a is not None and a == b)
    assert linkage.block_pairs(people, ("dob",)) == by_hand == 40 * 39 // 2 + 7 * 6 // 2
    assert linkage.block_pairs(_rows([None, None]), ("dob",)) == 0


def _kept(rule: Any, people: pa.Table) -> set[tuple[str, str]]:
    sql = rule if isinstance(rule, str) else rule.get_blocking_rule("duckdb").blocking_rule_sql
    con = duckdb.connect()
    con.register("people", people)
    query = f"SELECT l.unique_id, r.unique_id FROM people l, people r WHERE l.unique_id < r.unique_id AND ({sql})"
    return set(con.execute(query).fetchall())


def test_a_sampled_block_keeps_about_one_pair_in_n_and_the_same_ones_every_time() -> None:
    people = _rows(["2001-02-03"] * 200 + ["1999-12-31"] * 100)
    whole = _kept(model.training_block(("dob",)), people)
    assert len(whole) == 200 * 199 // 2 + 100 * 99 // 2
    sampled = _kept(model.training_block(("dob",), 5), people)
    assert sampled < whole
    assert 0.8 * len(whole) / 5 < len(sampled) < 1.2 * len(whole) / 5
    assert _kept(model.training_block(("dob",), 5), people) == sampled
    # the sample is of pairs, not of mentions: almost every mention is in some kept pair
    in_some = {m for pair in sampled for m in pair}
    assert len(in_some) > 0.95 * people.num_rows


def test_em_on_a_sample_of_each_big_block_finds_the_same_people(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows, who = synthetic_population(20_000)
    people = linkage.table(rows)
    truth = {r["unique_id"]: p for r, p in zip(rows, who, strict=True)}
    sizes = [linkage.block_pairs(people, columns) for columns in model.TRAINING_BLOCKS]

    def resolved(bound: int) -> tuple[dict[str, float], list[int]]:
        monkeypatch.setattr(model, "EM_MAX_PAIRS", bound)
        asked: list[int] = []
        block = model.training_block

        def spy(columns: tuple[str, ...], keep_one_in: int = 1, dialect: str = "duckdb") -> Any:
            asked.append(keep_one_in)
            return block(columns, keep_one_in, dialect)

        monkeypatch.setattr(model, "training_block", spy)
        trained, _ = linkage.train(people)
        clusters = Clusters({r["unique_id"]: r for r in rows})
        clusters.add_links(linkage.score_all(trained, people))
        return _pairwise(clusters.groups(), truth), asked

    whole, asked = resolved(max(sizes) + 1)
    assert max(asked) <= 1, "no block over the bound: every pair read"
    sampled, asked = resolved(max(sizes) // 4)
    assert max(asked) >= 4, "the biggest block read one pair in four or fewer"
    assert abs(sampled["precision"] - whole["precision"]) < 0.01
    assert abs(sampled["recall"] - whole["recall"]) < 0.01
    assert whole["precision"] > 0.7 and whole["recall"] > 0.7


def test_an_em_session_reads_a_sampled_block_and_learns() -> None:
    # training keeps the model as it was when a session fails: a sampled
    # rule the engine could not read would be skipped without a word
    rows, _ = synthetic_population(5_000)
    db_api = linkage.open_backend("duckdb")
    frame = db_api.register(linkage.table(rows), table_name="lantern_sample_people")
    linker = Linker(frame, model.settings(), log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e5, seed=1)

    def m_of(settings: dict[str, Any]) -> dict[tuple[str, str], float]:
        return {
            (c["output_column_name"], level["label_for_charts"]): level["m_probability"]
            for c in settings["comparisons"]
            for level in c["comparison_levels"]
            if "m_probability" in level
        }

    before = m_of(linker.misc.save_model_to_json())
    linker.training.estimate_parameters_using_expectation_maximisation(
        model.training_block(("given", "family"), 3)
    )
    after = m_of(linker.misc.save_model_to_json())
    moved = [key for key in before if abs(before[key] - after[key]) > 0.01]
    assert ("born", "same date of birth") in moved


def test_pairs_read_grouped_in_the_engine_or_in_pandas_are_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a store's whole scoring finds its combinations of weights in DuckDB; a
    # new report's few pairs are grouped in pandas: the same pairs, weights
    # and reasons either way
    rows, _ = synthetic_population(3_000)
    people = linkage.table(rows)
    trained, _ = linkage.train(people)

    def scored(grouped_from: int) -> list[tuple[Any, ...]]:
        monkeypatch.setattr(linkage, "GROUPED_IN_ENGINE_FROM", grouped_from)
        pairs = linkage.score_all(trained, people)
        return sorted((p.mention_a, p.mention_b, p.match_weight, repr(p.reasons)) for p in pairs)

    in_engine, in_pandas = scored(0), scored(10**9)
    assert len(in_engine) > 1_000
    assert any(len(reasons) > 20 for *_, reasons in in_engine)
    assert in_engine == in_pandas
