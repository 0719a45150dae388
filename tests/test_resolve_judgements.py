"""People's judgements always win: "same" joins two mentions the model kept
apart, "not the same" splits two it joined; both are decisions with audit
rows; the review queue offers the pairs nearest the threshold first, and
a child's records the rules held apart, strongest first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from lantern.resolve import clustering, judgements
from lantern.resolve import stage as resolve_stage
from lantern.resolve.model import THRESHOLD
from lantern.store.findings.resolution import entity_links, entity_mentions, review_queue
from lantern.store.schema import audit_log, decisions
from tests.resolve_helpers import analysed_town, copy_store


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return analysed_town(tmp_path_factory.mktemp("town"), seed=3, size="small")


@pytest.fixture
def store(prepared: tuple[Path, dict[str, Any]], tmp_path: Path) -> Iterator[Engine]:
    engine = copy_store(prepared[0], tmp_path)
    yield engine
    engine.dispose()


def _entity(engine: Engine, mention: str) -> str:
    with engine.connect() as conn:
        return str(
            conn.execute(
                select(entity_mentions.c.entity_id).where(entity_mentions.c.mention_id == mention)
            ).scalar_one()
        )


def _people(engine: Engine) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for mid, eid in conn.execute(
            select(entity_mentions.c.mention_id, entity_mentions.c.entity_id)
            .where(entity_mentions.c.kind == "person")
            .order_by(entity_mentions.c.mention_id)
        ):
            found.setdefault(eid, []).append(mid)
    return found


def test_same_judgement_joins_two_people_the_model_kept_apart(store: Engine) -> None:
    singles = [ms[0] for ms in _people(store).values() if len(ms) == 1]
    a, b = singles[0], singles[-1]
    assert _entity(store, a) != _entity(store, b)
    judgements.record(store, a, b, same=True, actor="analyst1", reason="same PNC record")
    resolve_stage.run(store)
    assert _entity(store, a) == _entity(store, b)


def test_not_same_judgement_splits_two_mentions_the_model_joined(store: Engine) -> None:
    with store.connect() as conn:
        link = conn.execute(
            select(entity_links.c.mention_a, entity_links.c.mention_b)
            .where(entity_links.c.match_weight >= THRESHOLD + 5)
            .order_by(entity_links.c.match_weight.desc())
            .limit(1)
        ).one()
    a, b = link
    assert _entity(store, a) == _entity(store, b)
    judgements.record(store, a, b, same=False, actor="analyst1")
    resolve_stage.run(store)
    assert _entity(store, a) != _entity(store, b)


def test_a_later_judgement_on_the_same_pair_supersedes_the_earlier(store: Engine) -> None:
    singles = [ms[0] for ms in _people(store).values() if len(ms) == 1]
    a, b = singles[1], singles[2]
    judgements.record(store, a, b, same=True, actor="analyst1")
    judgements.record(store, a, b, same=False, actor="supervisor1", reason="different DOBs")
    resolve_stage.run(store)
    assert _entity(store, a) != _entity(store, b)
    with store.connect() as conn:
        kinds = [
            k
            for (k,) in conn.execute(
                select(decisions.c.kind).where(decisions.c.subject == judgements.subject(a, b))
            )
        ]
    assert kinds == ["same-entity", "not-same-entity"]  # both kept: decisions are facts


def test_judgements_are_decisions_with_audit_rows(store: Engine) -> None:
    singles = [ms[0] for ms in _people(store).values() if len(ms) == 1]
    a, b = singles[3], singles[4]
    pk = judgements.record(store, b, a, same=True, actor="analyst1", reason="seen together")
    subject = judgements.subject(a, b)
    assert subject == f"pair:{min(a, b)}|{max(a, b)}"
    with store.connect() as conn:
        decision = conn.execute(select(decisions).where(decisions.c.pk == pk)).one()
        audit_rows = conn.execute(select(audit_log).where(audit_log.c.target == subject)).all()
    assert (decision.kind, decision.subject, decision.actor) == ("same-entity", subject, "analyst1")
    assert [(r.action, r.actor, r.reason) for r in audit_rows] == [
        ("decision.same-entity", "analyst1", "seen together")
    ]


def test_review_queue_offers_pairs_nearest_the_threshold_first(store: Engine) -> None:
    with store.connect() as conn:
        queue = judgements.review(conn, limit=50)
        every = conn.execute(select(review_queue.c.distance)).scalars().all()
    assert queue, "a town has pairs near the threshold"
    distances = [r["distance"] for r in queue]
    assert distances == sorted(distances)
    assert distances[0] == min(every)
    assert all(abs(r["match_weight"] - THRESHOLD) == pytest.approx(r["distance"]) for r in queue)


def test_a_judged_pair_leaves_the_review_queue(store: Engine) -> None:
    with store.connect() as conn:
        first = judgements.review(conn, limit=1)[0]
    judgements.record(
        store, first["mention_a"], first["mention_b"], same=not first["joined"], actor="analyst1"
    )
    resolve_stage.run(store)
    with store.connect() as conn:
        pairs = {(r["mention_a"], r["mention_b"]) for r in judgements.review(conn, limit=10_000)}
    assert (first["mention_a"], first["mention_b"]) not in pairs


def test_a_child_s_records_held_apart_go_to_a_person_who_can_join_them(store: Engine) -> None:
    with store.connect() as conn:
        held = judgements.review(conn, limit=10_000, held=True)
        near = judgements.review(conn, limit=10_000)
        people = {
            r.mention_id: r.entity_id
            for r in conn.execute(select(entity_mentions).where(entity_mentions.c.kind == "person"))
        }
    assert held, "the small town has children named alike and kept apart"
    assert all(r["held"] is None for r in near)
    assert {r["held"] for r in held} <= {clustering.HELD_AGED, clustering.HELD_UNDATED}
    weights = [r["match_weight"] for r in held]
    assert weights == sorted(weights, reverse=True) and min(weights) >= THRESHOLD
    entity_pairs = [frozenset((r["entity_a"], r["entity_b"])) for r in held]
    assert len(set(entity_pairs)) == len(entity_pairs), "one pair for each two entities"
    assert all(people[r["mention_a"]] != people[r["mention_b"]] for r in held)

    first = held[0]
    judgements.record(store, first["mention_a"], first["mention_b"], same=True, actor="analyst1")
    resolve_stage.run(store)
    assert _entity(store, first["mention_a"]) == _entity(store, first["mention_b"])
    with store.connect() as conn:
        after = judgements.review(conn, limit=10_000, held=True)
    assert frozenset((first["entity_a"], first["entity_b"])) not in {
        frozenset((r["entity_a"], r["entity_b"])) for r in after
    }
    assert (first["mention_a"], first["mention_b"]) not in {
        (r["mention_a"], r["mention_b"]) for r in after
    }


def test_cli_records_judgements_and_lists_the_review_queue(
    store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lantern.cli import app

    monkeypatch.setenv("LANTERN_DATABASE_URL", str(store.url))
    singles = [ms[0] for ms in _people(store).values() if len(ms) == 1]
    a, b = singles[5], singles[6]
    runner = CliRunner()
    result = runner.invoke(app, ["resolve", "same", a, b, "--actor", "analyst1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["resolve", "not-same", a, b, "--actor", "analyst2"])
    assert result.exit_code == 0, result.output
    with store.connect() as conn:
        standing = judgements.load(conn)
    assert (min(a, b), max(a, b)) in standing.not_same
    result = runner.invoke(app, ["resolve", "review", "--limit", "3"])
    assert result.exit_code == 0 and "weight" in result.output
    assert "joined now" in result.output and "held apart" not in result.output
    from lantern.resolve import cli as resolve_cli

    monkeypatch.setattr(resolve_cli.out, "width", 400)  # a row to a line
    result = runner.invoke(app, ["resolve", "review", "--held", "--limit", "1"])
    with store.connect() as conn:
        first = judgements.review(conn, limit=1, held=True)[0]
    assert result.exit_code == 0 and "held apart" in result.output
    assert first["mention_a"] in result.output and first["held"] in result.output
    result = runner.invoke(app, ["resolve", "same", a, "no-such-mention", "--actor", "x"])
    assert result.exit_code == 1
