"""The resolve stage's fast path for new reports: the new mentions are matched
without reading every stored link or rewriting every entity, and what it
leaves in the store is what clustering and rewriting everything leaves."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sqlalchemy import Engine, select

from lantern.extract import stage as extract_stage
from lantern.intake.ingest import ingest_file
from lantern.resolve import clustering, judgements, model, records
from lantern.resolve import stage as resolve_stage
from lantern.resolve.linkage import ScoredPair
from lantern.sim import generate_town
from lantern.store.db import open_store
from lantern.store.findings.resolution import (
    entities,
    entity_links,
    entity_mentions,
    review_queue,
    vehicle_candidates,
)

# Batches the last reports of the town come in, one report at first.
BATCHES = (1, 1, 2, 3, 5, 8, 13)


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A small town with all but its last reports ingested, extracted and
    resolved into a SQLite file; returns the file and the reports left."""
    folder = tmp_path_factory.mktemp("town")
    reports, _ = generate_town(11, "small", folder)
    lines = reports.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = len(lines) - sum(BATCHES)
    first = folder / "first.jsonl"
    first.write_text("".join(lines[:cut]), encoding="utf-8")
    db = folder / "lantern.db"
    engine = open_store(f"sqlite:///{db}")
    ingest_file(engine, first)
    extract_stage.run(engine)
    assert "model trained" in resolve_stage.run(engine)
    engine.dispose()
    return db, lines[cut:]


def _findings(engine: Engine) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    """Each resolution findings table, row by primary key (the time a link
    was computed left out)."""
    found = {}
    with engine.connect() as conn:
        for table in (entities, entity_mentions, vehicle_candidates, review_queue, entity_links):
            columns = [c for c in table.c if c.name != "computed_at"]
            keys = [c.name for c in table.primary_key.columns]
            rows = [dict(r._mapping) for r in conn.execute(select(*columns))]
            found[table.name] = {tuple(r[k] for k in keys): r for r in rows}
    return found


@pytest.mark.parametrize("eager", [False, True], ids=["model", "eager"])
def test_new_reports_resolve_on_the_fast_path_as_on_the_full_one(
    town: tuple[Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, eager: bool
) -> None:
    """``eager``: new links join from a weight 4 below the threshold, so that
    new mentions merge earlier people (rare with the model as trained) and the
    rule passes act afresh around them."""
    db, rest = town
    store = tmp_path / "fast.db"
    shutil.copyfile(db, store)
    # a short review queue, so that new pairs push earlier ones out of it
    monkeypatch.setattr(records, "REVIEW_LIMIT", 25)
    if eager:
        # clustering joins 4 below both thresholds: as if every link weighed
        # 4 more (the review queue is measured from the model's threshold)
        lower = (model.THRESHOLD - 4, model.CHILD_THRESHOLD - 4)
        monkeypatch.setattr(clustering, "thresholds", lambda: lower)
    merged = 0
    start = 0
    for n, size in enumerate(BATCHES):
        batch = tmp_path / f"batch{n}.jsonl"
        batch.write_text("".join(rest[start : start + size]), encoding="utf-8")
        start += size
        engine = open_store(f"sqlite:///{store}")
        ingest_file(engine, batch)
        extract_stage.run(engine)
        before = _findings(engine)["entity_mentions"]
        engine.dispose()

        reference = tmp_path / f"reference{n}.db"
        shutil.copyfile(store, reference)
        slow = open_store(f"sqlite:///{reference}")
        expected_summary = resolve_stage.run(slow, fast=False)
        expected = _findings(slow)
        slow.dispose()

        engine = open_store(f"sqlite:///{store}")
        with monkeypatch.context() as m:
            # the fast path reads neither every link nor every mention's features
            m.setattr(records, "load_links", _not_on_the_fast_path)
            m.setattr(records, "stored_features", _not_on_the_fast_path)
            summary = resolve_stage.run(engine)
        assert summary == expected_summary
        assert "new mentions matched" in summary
        found = _findings(engine)
        engine.dispose()
        for table, rows in expected.items():
            assert found[table] == rows, f"{table} after batch {n}"
        merged += _merged(before, found["entity_mentions"])
    assert start == len(rest)
    if eager:
        assert merged > 0, "new mentions merged earlier people"


def test_earlier_mentions_keep_the_reasons_they_were_joined_for(
    town: tuple[Path, list[str]], tmp_path: Path
) -> None:
    db, rest = town
    store = tmp_path / "store.db"
    shutil.copyfile(db, store)
    engine = open_store(f"sqlite:///{store}")
    before = _findings(engine)["entity_mentions"]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(rest[:5]), encoding="utf-8")
    ingest_file(engine, batch)
    extract_stage.run(engine)
    assert "new mentions matched" in resolve_stage.run(engine, fast=False)
    after = _findings(engine)["entity_mentions"]
    engine.dispose()
    joined = [k for k, r in before.items() if r["kind"] == "person" and r["reasons"]]
    assert joined
    assert all(after[k]["match_weight"] is not None and after[k]["reasons"] for k in joined)


def _person(
    uid: str, report: int, given: str | None, family: str | None = None, **fields: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "unique_id": uid,
        "report_pk": report,
        "given": given,
        "family": family,
        "dob": None,
        "born_lo": None,
        "born_hi": None,
        "sex": "F",
        "is_child": 0,
        "identifier": None,
        "phones": None,
        "occupation": None,
    }
    row.update(fields)
    return row


YW = {"occupation": "youth worker"}
OFFICER = {"identifier": "collar:1234"}
MISSING = {"missing_on": 16_257}  # days since 1970: 6 July 2014
GIRL = {"is_child": 1, "born_lo": 11_000, "born_hi": 11_365}  # aged 13 or so
# a thousand others in the store, so that a Holmes is rare
OTHERS = [(_person(f"o{i}", 100 + i, f"given{i}", f"family{i}"), f"O{i}") for i in range(1000)]


class Scenario(NamedTuple):
    mentions: list[tuple[dict[str, Any], str | None]]  # with the earlier entity, None if new
    links: list[tuple[str, str]]  # the new links
    pair: tuple[str, str]  # two mentions clustering everything ...
    together: bool  # ... puts together, or keeps apart


SCENARIOS: dict[str, Scenario] = {
    # a new link reaches the whole of an earlier entity
    "whole entity": Scenario(
        [
            (_person("a", 1, "sarah", "holmes"), "E1"),
            (_person("c", 2, "sarah", "holmes"), "E1"),
            (_person("n", 3, "sarah", "holmes"), None),
        ],
        [("a", "n")],
        ("c", "n"),
        True,
    ),
    # one officer: same collar number and family name, scored or not
    "officer": Scenario(
        [
            (_person("o1", 1, None, "holmes", **OFFICER), "E1"),
            (_person("n", 2, None, "holmes", **OFFICER), None),
        ],
        [],
        ("o1", "n"),
        True,
    ),
    # the first member of staff of that job named in full: the earlier one
    # known by first name now has the one colleague it can be
    "new colleague": Scenario(
        [
            (_person("x", 1, "sarah", **YW), "E1"),
            (_person("n", 2, "sarah", "holmes", **YW), None),
        ],
        [],
        ("x", "n"),
        True,
    ),
    # a first name reached through its entity: its report names two people
    # it can be, one of them reached through another new link
    "first name in its report": Scenario(
        [
            (_person("r1", 1, "sarah", "holmes"), "E1"),
            (_person("a1", 2, "sarah", "holmes"), "E1"),
            (_person("r2", 1, "sarah", "holmes"), "E2"),
            (_person("x", 1, "sarah"), "E3"),
            (_person("y", 4, "sarah"), "E3"),
            (_person("n", 5, "sarah"), None),
            (_person("n2", 6, "sarah", "holmes"), None),
        ],
        [("y", "n"), ("a1", "n2")],
        ("x", "r1"),
        False,
    ),
    # ... a member of staff by first name: two colleagues it can be
    "first name of a job": Scenario(
        [
            (_person("j1", 2, "sarah", "holmes", **YW), "E1"),
            (_person("j2", 3, "sarah", "holmes", **YW), "E2"),
            (_person("x", 1, "sarah", **YW), "E3"),
            (_person("y", 4, "sarah", **YW), "E3"),
            (_person("n", 5, "sarah"), None),
            (_person("n2", 6, "sarah", "holmes"), None),
        ],
        [("y", "n"), ("j1", "n2")],
        ("x", "j1"),
        False,
    ),
    # a first name missing on a day (a return interview's "Sarah (13)"), and
    # the first report of her going missing that day, naming her in full
    "missing that day": Scenario(
        [
            (_person("x", 1, "sarah", **MISSING), "E1"),
            (_person("n", 2, "sarah", "holmes", **MISSING), None),
        ],
        [],
        ("x", "n"),
        True,
    ),
    # ... a first name reached through its entity, with two girls it can be
    # missing that day, one of them reached through another new link
    "first name missing that day": Scenario(
        [
            (_person("j1", 2, "sarah", "holmes", **MISSING), "E1"),
            (_person("j2", 3, "sarah", "walker", **MISSING), "E2"),
            (_person("x", 1, "sarah", **MISSING), "E3"),
            (_person("y", 4, "sarah"), "E3"),
            (_person("n", 5, "sarah"), None),
            (_person("n2", 6, "sarah", "holmes"), None),
        ],
        [("y", "n"), ("j1", "n2")],
        ("x", "j1"),
        False,
    ),
    # a girl known by one rare full name and age: a new report of her, with
    # no link scored, reaches her earlier entity
    "child by a rare name": Scenario(
        [
            (_person("x", 1, "sarah", "holmes", **GIRL), "E1"),
            (_person("n", 3, "sarah", "holmes", **GIRL), None),
            *OTHERS,
        ],
        [],
        ("x", "n"),
        True,
    ),
    # two earlier people merged by a new mention: the "Sarah" of a report
    # naming both is placed now
    "merge, report": Scenario(
        [
            (_person("r1", 1, "sarah", "holmes"), "E1"),
            (_person("a", 2, "sarah", "holmes"), "E1"),
            (_person("r2", 1, "sarah", "holmes"), "E2"),
            (_person("b", 3, "sarah", "holmes"), "E2"),
            (_person("x", 1, "sarah"), "E3"),
            (_person("n", 4, "sarah", "holmes"), None),
        ],
        [("a", "n"), ("b", "n")],
        ("x", "n"),
        True,
    ),
    # ... the member of staff known by first name, of the job both had
    "merge, job": Scenario(
        [
            (_person("r1", 1, "sarah", "holmes", **YW), "E1"),
            (_person("a", 2, "sarah", "holmes", **YW), "E1"),
            (_person("r2", 1, "sarah", "holmes", **YW), "E2"),
            (_person("b", 3, "sarah", "holmes", **YW), "E2"),
            (_person("x", 5, "sarah", **YW), "E3"),
            (_person("n", 4, "sarah", "holmes"), None),
        ],
        [("a", "n"), ("b", "n")],
        ("x", "n"),
        True,
    ),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_new_mentions_are_clustered_with_all_they_can_change(scenario: str) -> None:
    """Clustering only what new mentions can change gives the clusters that
    clustering everything gives, for every mention clustered: earlier
    entities are whole, and the rule passes (one officer, a first name in its
    own report, staff by first name and job, a first name missing on a day)
    see everything they compare."""
    mentions, scored, (first, second), together = SCENARIOS[scenario]
    people = {row["unique_id"]: row for row, _ in mentions}
    people["z"] = _person("z", 9, "emma", "wilson")  # nobody the new mentions reach
    previous = {row["unique_id"]: e for row, e in mentions if e is not None} | {"z": "E9"}
    new = {row["unique_id"] for row, e in mentions if e is None}
    feats = {m: {"role": "victim", "listed_with": []} for m in people}
    links = [ScoredPair(a, b, 9.0, 1.0, []) for a, b in scored]
    judged = judgements.Judgements([], [], 0)

    everything = resolve_stage._cluster(people, feats, judged, links, previous, {})
    attached, _ = resolve_stage._attach(
        people, previous, new, links, judged, lambda ms: ({m: feats[m] for m in ms}, {})
    )
    assert (everything.find(first) == everything.find(second)) is together
    groups = {frozenset(g) for g in attached.groups()}
    assert groups <= {frozenset(g) for g in everything.groups()}
    assert new <= set().union(*groups)
    assert "z" not in set().union(*groups)


def _merged(
    before: dict[tuple[Any, ...], dict[str, Any]], after: dict[tuple[Any, ...], dict[str, Any]]
) -> int:
    """How many earlier people were merged into another."""
    people = {r["entity_id"] for r in before.values() if r["kind"] == "person"}
    now = {after[k]["entity_id"] for k, r in before.items() if r["kind"] == "person"}
    return len(people) - len(now)


def _not_on_the_fast_path(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("read on the fast path")
