"""The network stage against a store: it reads resolved mentions, extractions,
gradings and actions, writes groups, scores and alerts, opens an action per
alert at the (replay) clock's time, and does nothing when nothing changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from lantern import clock
from lantern.domain import Report
from lantern.export import json_export
from lantern.intake.ingest import store_reports
from lantern.network import export as network_export
from lantern.network import stage
from lantern.store.findings import ensure_findings_schema
from lantern.store.findings.extraction import extractions
from lantern.store.findings.network import alerts, network_groups, network_scores
from lantern.store.findings.resolution import entities, entity_mentions
from lantern.store.schema import actions, reports
from tests.factories import resolved_mention

START = datetime(2006, 3, 1, 20, 0, tzinfo=UTC)


def add_report(
    engine: Engine,
    n: int,
    agency: str,
    people: list[tuple[str, str, int | None]],  # (entity id, role, age)
    days: int = 0,
    indicators: tuple[str, ...] = (),
    grading: dict[str, str] | None = None,
    description: str | None = None,
) -> str:
    """Stores a report, and its extraction and resolved mentions as the
    earlier stages would."""
    received = START + timedelta(days=days)
    body: dict[str, Any] = {
        "id": f"R{n:04d}",
        "agency": agency,
        "agency_type": "police" if agency == "syp" else "social-care",
        "received_at": received.isoformat(),
        "narrative": "A concern about a child.",
    }
    if grading:
        body["grading"] = grading
    store_reports(engine, [Report.from_body(body)], actor="test")
    with engine.begin() as conn:
        pk = conn.execute(
            select(reports.c.pk).where(reports.c.report_id == body["id"])
        ).scalar_one()
        mentions, payload_people, payload_indicators = [], [], []
        for i, (eid, role, age) in enumerate(people):
            mid = f"{agency}/{body['id']}#p{i}"
            mentions.append(
                resolved_mention(mid, eid, pk, agency, body["id"], role=role, received_at=received)
            )
            payload_people.append(
                {
                    "mention_id": mid,
                    "text": "someone",
                    "span": {"start": 0, "end": 1, "source": "narrative"},
                    "role": role,
                    "age": age,
                    "description": description,
                }
            )
            if role == "victim":
                payload_indicators += [
                    {
                        "code": code,
                        "text": code,
                        "span": {"start": 0, "end": 1, "source": "narrative"},
                        "child": mid,
                    }
                    for code in indicators
                ]
            if (
                conn.execute(
                    select(entities.c.entity_id).where(entities.c.entity_id == eid)
                ).first()
                is None
            ):
                conn.execute(
                    entities.insert().values(entity_id=eid, kind="person", label=eid, data={})
                )
        conn.execute(entity_mentions.insert(), mentions)
        conn.execute(
            extractions.insert().values(
                report_pk=pk,
                revision=1,
                extractor="test",
                payload={
                    "agency": agency,
                    "report_id": body["id"],
                    "revision": 1,
                    "extractor": "test",
                    "people": payload_people,
                    "indicators": payload_indicators,
                },
            )
        )
    return f"{agency}/{body['id']}"


def small_town(engine: Engine, description: str | None = None) -> None:
    ensure_findings_schema(engine)
    gang = [("person:m1", "suspect", 34), ("person:m2", "suspect", 29)]
    add_report(
        engine,
        1,
        "syp",
        [*gang, ("person:c1", "victim", 14)],
        0,
        ("missing", "cars-unknown-adults"),
        {"source": "1", "intelligence": "A"},
        description,
    )
    add_report(
        engine,
        2,
        "rmbc",
        [gang[0], ("person:c1", "victim", 14)],
        20,
        ("hotels-takeaways-flats",),
        description=description,
    )
    add_report(
        engine,
        3,
        "rmbc",
        [gang[1], ("person:c2", "victim", 15)],
        40,
        ("older-associate",),
        description=description,
    )


def run_at(engine: Engine, moment: datetime, full: bool = False) -> str:
    with clock.frozen_at(moment):
        return stage.run(engine, full=full)


def test_stage_writes_groups_scores_and_alerts_with_actions(engine: Engine) -> None:
    sqlite_engine = engine  # on SQLite and on PostgreSQL
    small_town(sqlite_engine)
    at = START + timedelta(days=41)
    summary = run_at(sqlite_engine, at)
    assert "1 groups" in summary
    with sqlite_engine.connect() as conn:
        group = conn.execute(select(network_groups)).mappings().one()
        assert sorted(group["members"]) == ["person:m1", "person:m2"]
        assert sorted(group["victims"]) == ["person:c1", "person:c2"]
        assert group["n_agencies"] == 2 and group["detected_at"] == at
        rows = conn.execute(select(alerts)).mappings().all()
        assert rows and all(r["raised_at"] == at for r in rows)
        sources = set(conn.execute(select(actions.c.source)).scalars())
        assert {f"alert:{r['alert_id']}" for r in rows} == sources
        risk = (
            conn.execute(
                select(network_scores).where(
                    network_scores.c.entity_id == "person:c1", network_scores.c.kind == "risk"
                )
            )
            .mappings()
            .one()
        )
        assert risk["level"] in ("medium", "high") and risk["reports"] == [
            "rmbc/R0002",
            "syp/R0001",
        ]


def test_a_rerun_with_nothing_new_changes_nothing(sqlite_engine: Engine) -> None:
    small_town(sqlite_engine)
    run_at(sqlite_engine, START + timedelta(days=41))
    assert run_at(sqlite_engine, START + timedelta(days=48)) == "nothing changed"


def test_a_new_report_keeps_alert_ids_and_first_raised_times(sqlite_engine: Engine) -> None:
    small_town(sqlite_engine)
    first = START + timedelta(days=41)
    run_at(sqlite_engine, first)
    with sqlite_engine.connect() as conn:
        before = dict(conn.execute(select(alerts.c.alert_id, alerts.c.raised_at)).all())
        n_actions = conn.execute(select(func.count()).select_from(actions)).scalar_one()
    add_report(
        sqlite_engine, 4, "syp", [("person:m1", "suspect", 34), ("person:c2", "victim", 15)], 50
    )
    run_at(sqlite_engine, START + timedelta(days=55))
    with sqlite_engine.connect() as conn:
        after = dict(conn.execute(select(alerts.c.alert_id, alerts.c.raised_at)).all())
        group_reports = conn.execute(select(network_groups.c.n_reports)).scalar_one()
        n_after = conn.execute(select(func.count()).select_from(actions)).scalar_one()
    assert group_reports == 4
    assert all(after[a] == t for a, t in before.items())
    assert n_after == n_actions + len(set(after) - set(before))


def test_a_group_alert_notes_when_it_first_named_each_member(sqlite_engine: Engine) -> None:
    small_town(sqlite_engine)
    first = START + timedelta(days=41)
    run_at(sqlite_engine, first)
    add_report(
        sqlite_engine,
        4,
        "syp",
        [("person:m1", "suspect", 34), ("person:m3", "suspect", 40), ("person:c2", "victim", 15)],
        50,
    )
    add_report(
        sqlite_engine,
        5,
        "rmbc",
        [("person:m2", "suspect", 29), ("person:m3", "suspect", 40), ("person:c1", "victim", 14)],
        52,
        ("hotels-takeaways-flats",),
    )
    later = START + timedelta(days=55)
    run_at(sqlite_engine, later)
    (alert,) = [
        a for a in network_export.section(sqlite_engine, "alerts") if a["kind"] == "group-emerging"
    ]
    assert "person:m3" in alert["subjects"]
    assert alert["named_at"]["person:m1"] == first.isoformat()
    assert alert["named_at"]["person:m3"] == later.isoformat()
    assert alert["raised_at"] == first.isoformat()


def test_descriptions_with_protected_characteristics_change_no_score(
    sqlite_url: str, tmp_path: Any
) -> None:
    from lantern.store.db import open_store

    plain = open_store(sqlite_url)
    marked = open_store(f"sqlite:///{tmp_path / 'marked.db'}")
    small_town(plain)
    small_town(marked, description="Asian, Muslim, Pakistani national, dark hair")
    at = START + timedelta(days=41)
    run_at(plain, at)
    run_at(marked, at)
    assert network_export.person_scores(plain, at) == network_export.person_scores(marked, at)
    assert network_export.groups(plain) == network_export.groups(marked)


def test_export_gives_groups_alerts_and_scores_in_the_interchange_shape(
    sqlite_engine: Engine,
) -> None:
    small_town(sqlite_engine)
    at = START + timedelta(days=41)
    run_at(sqlite_engine, at)
    (group,) = network_export.section(sqlite_engine, "groups", at)
    assert {
        "group_id",
        "members",
        "victims",
        "places",
        "vehicles",
        "first_seen",
        "reports",
        "agencies",
    } <= set(group)
    assert group["reports"] == 3
    listed = network_export.section(sqlite_engine, "alerts", at)
    assert listed and all(
        {"alert_id", "kind", "raised_at", "subjects", "reasons", "status"} <= set(a) for a in listed
    )
    assert network_export.section(sqlite_engine, "alerts", at - timedelta(days=1)) == []
    scores = network_export.person_scores(sqlite_engine, at)
    assert scores["person:c1"]["risk"]["level"] in ("medium", "high")
    assert scores["person:m1"]["priority"]["reasons"]
    people = [{"person_id": "person:c1"}, {"person_id": "person:nobody"}]
    json_export._merge_person_scores(sqlite_engine, people, at)
    assert "risk" in people[0] and "risk" not in people[1]


def _snapshot(engine: Engine) -> dict[str, list[Any]]:
    from lantern.store.findings.network import network_edges, network_group_members

    out = {}
    with engine.connect() as conn:
        for table in (network_edges, network_groups, network_group_members, network_scores):
            rows = [
                {k: v for k, v in r.items() if k not in ("computed_at", "detected_at")}
                for r in conn.execute(select(table)).mappings()
            ]
            out[table.name] = sorted(rows, key=repr)
    return out


def test_incremental_runs_end_where_a_full_recompute_does(sqlite_engine: Engine) -> None:
    small_town(sqlite_engine)
    run_at(sqlite_engine, START + timedelta(days=41))
    add_report(
        sqlite_engine, 4, "syp", [("person:m3", "suspect", 30), ("person:m2", "suspect", 29)], 50
    )
    add_report(
        sqlite_engine, 5, "rmbc", [("person:m3", "suspect", 30), ("person:c3", "victim", 13)], 52
    )
    run_at(sqlite_engine, START + timedelta(days=55))
    incremental = _snapshot(sqlite_engine)
    run_at(sqlite_engine, START + timedelta(days=55), full=True)
    assert _snapshot(sqlite_engine) == incremental
    assert "person:m3" in incremental["network_groups"][0]["members"]


def test_a_store_with_nothing_resolved_gives_an_empty_picture(sqlite_engine: Engine) -> None:
    ensure_findings_schema(sqlite_engine)
    summary = run_at(sqlite_engine, START)
    assert summary.startswith("0 edges, 0 groups, 0 subjects")
    assert network_export.section(sqlite_engine, "groups", START) == []
