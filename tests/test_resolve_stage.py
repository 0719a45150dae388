"""The resolve stage on a simulated town: incremental matching keeps entity
ids, children stay apart, every join keeps its reasons, the export sections
follow the interchange spec."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from lantern.extract import stage as extract_stage
from lantern.intake.ingest import ingest_file
from lantern.resolve import export
from lantern.resolve import records as resolve_records
from lantern.resolve import stage as resolve_stage
from lantern.resolve.explain import explain
from lantern.sim import generate_town
from lantern.store.db import open_store
from lantern.store.findings.resolution import (
    entities,
    entity_links,
    entity_mentions,
    resolution_models,
    vehicle_candidates,
)
from tests.resolve_helpers import analysed_town, copy_store, town_person_scores


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return analysed_town(tmp_path_factory.mktemp("town"), seed=5, size="small")


@pytest.fixture
def store(prepared: tuple[Path, dict[str, Any]], tmp_path: Path) -> Iterator[Engine]:
    engine = copy_store(prepared[0], tmp_path)
    yield engine
    engine.dispose()


def test_new_reports_are_matched_to_existing_people_without_retraining(tmp_path: Path) -> None:
    reports, _ = generate_town(5, "small", tmp_path / "town")
    lines = reports.read_text(encoding="utf-8").splitlines(keepends=True)
    first, rest = tmp_path / "first.jsonl", tmp_path / "rest.jsonl"
    first.write_text("".join(lines[: len(lines) * 4 // 5]), encoding="utf-8")
    rest.write_text("".join(lines[len(lines) * 4 // 5 :]), encoding="utf-8")
    engine = open_store(f"sqlite:///{tmp_path / 'inc.db'}")
    ingest_file(engine, first)
    extract_stage.run(engine)
    assert "model trained" in resolve_stage.run(engine)
    with engine.connect() as conn:
        before = dict(
            conn.execute(select(entity_mentions.c.mention_id, entity_mentions.c.entity_id)).all()
        )
        trained_at = conn.execute(select(resolution_models.c.trained_at)).scalar_one()
    ingest_file(engine, rest)
    extract_stage.run(engine)
    summary = resolve_stage.run(engine)
    assert "new mentions matched" in summary
    with engine.connect() as conn:
        after = dict(
            conn.execute(select(entity_mentions.c.mention_id, entity_mentions.c.entity_id)).all()
        )
        assert conn.execute(select(resolution_models.c.trained_at)).scalar_one() == trained_at
    assert set(before) < set(after)
    # an earlier person keeps its id (ids change only where two people merged)
    kept = sum(1 for m, e in before.items() if after[m] == e)
    assert kept / len(before) > 0.95
    new_people = {after[m] for m in set(after) - set(before)}
    assert new_people & set(before.values()), "some new mentions joined existing people"
    assert resolve_stage.run(engine).startswith("up to date")
    engine.dispose()


def test_the_model_is_trained_again_once_the_store_has_doubled(tmp_path: Path) -> None:
    # a force's first weeks teach the model too little for the years after
    reports, _ = generate_town(5, "small", tmp_path / "town")
    lines = reports.read_text(encoding="utf-8").splitlines(keepends=True)
    engine = open_store(f"sqlite:///{tmp_path / 'grow.db'}")
    summaries = []
    for share in (30, 50, 70):  # each step's new mentions: less than half the store
        part = tmp_path / f"upto{share}.jsonl"
        part.write_text("".join(lines[: len(lines) * share // 100]), encoding="utf-8")
        ingest_file(engine, part)
        extract_stage.run(engine)
        summaries.append(resolve_stage.run(engine))
        with engine.connect() as conn:
            trained_on = int(resolve_records.get_state(conn, "trained_on") or 0)
            linkable = conn.execute(
                select(func.count())
                .select_from(entity_mentions)
                .where(entity_mentions.c.kind == "person")
            ).scalar_one()
        assert 0 < trained_on <= linkable
    assert "model trained" in summaries[0]
    assert "new mentions matched" in summaries[1]  # grown by two thirds
    assert "model trained" in summaries[2]  # grown past twice the first
    engine.dispose()


def test_full_run_gives_the_same_people_as_before(store: Engine) -> None:
    with store.connect() as conn:
        before = dict(
            conn.execute(select(entity_mentions.c.mention_id, entity_mentions.c.entity_id)).all()
        )
    resolve_stage.run(store, full=True)
    with store.connect() as conn:
        after = dict(
            conn.execute(select(entity_mentions.c.mention_id, entity_mentions.c.entity_id)).all()
        )
    assert after == before


def test_no_two_different_children_are_merged(
    prepared: tuple[Path, dict[str, Any]], store: Engine
) -> None:
    scores = town_person_scores(store, prepared[1])
    assert scores["children_merged"] == []


def test_every_join_keeps_its_weight_and_the_comparisons_behind_it(store: Engine) -> None:
    with store.connect() as conn:
        joined = conn.execute(
            select(entity_mentions).where(
                entity_mentions.c.kind == "person", entity_mentions.c.match_weight.is_not(None)
            )
        ).all()
        assert joined
        for row in joined[:50]:
            reasons = row.reasons
            other = reasons["joined_to"]
            assert reasons["comparisons"], row.mention_id
            why = explain(conn, row.mention_id, other)
            assert why is not None and why["joined"]
            assert why["match_weight"] == pytest.approx(row.match_weight)
            assert {r["comparison"] for r in why["reasons"]} <= {
                "given_name", "family_name", "born", "sex", "address", "phone",
                "identifier", "company", "named_with", "occupation", "report",
            }  # fmt: skip


def test_the_trained_model_weighs_jobs_and_keeps_a_sane_prior(store: Engine) -> None:
    from lantern.resolve import linkage, model

    with store.connect() as conn:
        trained = resolve_records.load_model(conn)
    assert trained is not None
    assert model.MIN_PRIOR <= trained["probability_two_random_records_match"] <= model.MAX_PRIOR
    levels = dict(
        (label, weight) for label, weight, _ in linkage.level_table(trained)["occupation"]
    )
    assert levels["same job"] > 2
    assert levels["one staff, the other the public"] < -2


def test_export_sections_follow_the_interchange_spec(store: Engine) -> None:
    people = export.section(store, "people")
    assert people
    for entry in people:
        assert set(entry) >= {"person_id", "names", "mentions"}
        assert "risk" not in entry and "priority" not in entry
        assert entry["names"] and all(isinstance(n, str) for n in entry["names"])
        for m in entry["mentions"]:
            assert set(m) >= {"agency", "report_id", "text", "role"}
    with store.connect() as conn:
        n_people = conn.execute(
            select(func.count()).select_from(entities).where(entities.c.kind == "person")
        ).scalar_one()
        partial = conn.execute(select(vehicle_candidates)).all()
    assert len(people) == n_people
    vehicles = export.section(store, "vehicles")
    assert all(set(v) >= {"vehicle_id", "vrm", "mentions"} for v in vehicles)
    if partial:
        fitted = next(v for v in vehicles if v.get("candidates"))
        assert fitted["partial"] is True
    phones = export.section(store, "phones")
    assert all(set(p) >= {"phone_id", "number", "mentions"} for p in phones)
    places = export.section(store, "locations")
    assert all(set(p) >= {"location_id", "mentions"} for p in places)
    json.dumps([people, vehicles, phones, places])


def test_export_as_of_a_past_date_leaves_out_later_reports(store: Engine) -> None:
    from datetime import UTC, datetime

    now = export.section(store, "people")
    early = export.section(store, "people", datetime(2010, 1, 1, tzinfo=UTC))
    assert 0 < sum(len(p["mentions"]) for p in early) < sum(len(p["mentions"]) for p in now)


def test_why_two_were_joined_shows_what_they_have_in_common(store: Engine) -> None:
    # a link that weighed a shared phone, vehicle or place names the thing
    # itself, so a reviewer can check it ("phone +447700900511"), and it is
    # one that both mentions' stored features hold
    with store.connect() as conn:
        links = conn.execute(select(entity_links)).all()
        shown = 0
        for link in links:
            levels = {r["comparison"]: r["level"] for r in link.reasons}
            if levels.get("phone") != "a phone in common" and levels.get("company") != (
                "keeps the same company"
            ):
                continue
            why = explain(conn, link.mention_a, link.mention_b)
            assert why is not None and why["in_common"], levels
            rows = resolve_records.features_of(conn, [link.mention_a, link.mention_b])
            for thing in why["in_common"]:
                kind, value = thing.split(" ", 1)
                for mention in (link.mention_a, link.mention_b):
                    row = rows[mention]["row"]
                    held = {*(row["phones"] or ()), *(row["company"] or ())}
                    if kind == "named":  # "named beside sarah holmes"
                        assert value.removeprefix("beside ") in row["named_with"], thing
                    else:
                        assert value in held or f"{kind}:{value}" in held, (thing, mention)
            shown += 1
        assert shown >= 5
        # nothing shared, nothing shown
        apart = next(
            link
            for link in links
            if not any(
                r["comparison"] in ("phone", "company", "named_with")
                and r["level"]
                in ("a phone in common", "keeps the same company", "named beside the same person")
                for r in link.reasons
            )
        )
        assert explain(conn, apart.mention_a, apart.mention_b)["in_common"] == []
