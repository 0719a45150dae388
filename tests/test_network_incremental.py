"""The network stage's incremental runs end where a full recompute does.

A small town (seeded) grows step by step as the earlier stages would leave it:
new reports (some received ahead of the clock), revised reports, resolution
joining two people and learning ages (children becoming adults and back),
actions raised from reports, strategy discussions held, crimes recorded,
feedback shared with referrers, and the clock moving on. After every
incremental run the edges, groups and their members, scores with their levels
and reasons, alerts, and the stage's own record equal those of a full
recompute of the same store."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, select, update

from lantern import clock
from lantern.domain import Report
from lantern.intake.ingest import store_reports
from lantern.network import stage
from lantern.store.findings import ensure_findings_schema, findings_state
from lantern.store.findings.extraction import extractions
from lantern.store.findings.network import (
    alerts,
    network_edges,
    network_entities,
    network_flags,
    network_group_members,
    network_groups,
    network_mentions,
    network_reports,
    network_scores,
    network_suspect_links,
)
from lantern.store.findings.resolution import entities, entity_mentions
from lantern.store.schema import decisions, reports
from lantern.tasking import actions as tasking
from tests.factories import resolved_mention

START = datetime(2010, 1, 4, 9, 0, tzinfo=UTC)
AGENCIES = [("syp", "police"), ("rmbc", "social-care"), ("school", "education")]
ADULT_ROLES = ["suspect", "suspect", "associate", "witness", "reporter", "professional"]
CHILD_ROLES = ["victim", "victim", "person-at-risk", "missing-person"]
OBJECTS = ["vehicle:v0", "vehicle:v1", "phone:p0", "phone:p1", "location:l0", "location:l1"]
OBJECT_LINKS = {"vehicle": "drives", "phone": "uses-phone", "location": "lives-at"}
CODES = ["missing", "older-associate", "cars-unknown-adults", "gifts-money", "school-absence"]
ACTS = ["sexual-touching", "other-penetration", "indecent-images"]
TABLES = (
    network_edges,
    network_groups,
    network_group_members,
    network_scores,
    alerts,
    network_reports,
    network_mentions,
    network_entities,
    network_suspect_links,
    network_flags,
)


class Town:
    """Writes what the earlier stages would: reports (facts), their
    extractions and resolved mentions, and the resolved people's ages."""

    def __init__(self, engine: Engine, seed: int) -> None:
        self.engine = engine
        self.rng = random.Random(seed)
        self.adults = [f"person:a{i}" for i in range(9)]
        self.children = [f"person:c{i}" for i in range(6)]
        self.ages: dict[str, set[int]] = {}
        self.keys: list[str] = []
        self.n = 0
        self.judgements = 0
        self.merged = 0

    def report(self, received: datetime) -> str:
        rng = self.rng
        self.n += 1
        agency, agency_type = rng.choice(AGENCIES)
        body: dict[str, Any] = {
            "id": f"R{self.n:04d}",
            "agency": agency,
            "agency_type": agency_type,
            "received_at": received.isoformat(),
            "narrative": "A concern about a child.",
        }
        if rng.random() < 0.5:
            body["grading"] = {"source": rng.choice("123"), "intelligence": rng.choice("ABCDE")}
        store_reports(self.engine, [Report.from_body(body)], actor="test")
        key = f"{agency}/{body['id']}"
        people = [(a, rng.choice(ADULT_ROLES)) for a in rng.sample(self.adults, rng.randint(1, 3))]
        kids = [(c, rng.choice(CHILD_ROLES)) for c in rng.sample(self.children, rng.randint(0, 2))]
        objects = rng.sample(OBJECTS, rng.randint(0, 2))
        mentions, payload_people, indicators, disclosures, links = [], [], [], [], []
        mid_of: dict[str, str] = {}
        for i, (eid, role) in enumerate([*people, *kids]):
            mid = mid_of[eid] = f"{key}#p{i}"
            adult = eid in self.adults
            age = rng.choice([None, 30, 41]) if adult else rng.choice([None, 13, 15, 16])
            if age is not None:
                self.ages.setdefault(eid, set()).add(age)
            mentions.append((mid, eid, "person", role))
            payload_people.append({"mention_id": mid, "text": "someone", "role": role, "age": age})
            if not adult:
                indicators += [
                    {"code": code, "text": code, "child": mid}
                    for code in rng.sample(CODES, rng.randint(0, 2))
                ]
        for i, eid in enumerate(objects):
            mid = mid_of[eid] = f"{key}#o{i}"
            mentions.append((mid, eid, eid.split(":")[0], None))
            user = rng.choice(people)[0]
            links.append(
                {
                    "source": mid_of[user],
                    "target": mid,
                    "link_kind": OBJECT_LINKS[eid.split(":")[0]],
                }
            )
        suspects = [a for a, role in people if role in ("suspect", "associate")]
        if len(suspects) >= 2 and rng.random() < 0.3:
            links.append(
                {
                    "source": mid_of[suspects[0]],
                    "target": mid_of[suspects[1]],
                    "link_kind": "associate-of",
                }
            )
        if suspects and kids and rng.random() < 0.3:
            disclosures.append(
                {
                    "act": rng.choice(ACTS),
                    "victim": mid_of[kids[0][0]],
                    "offenders": [mid_of[s] for s in suspects],
                }
            )
        payload = {
            "people": payload_people,
            "indicators": indicators,
            "disclosures": disclosures,
            "links": links,
        }
        with self.engine.begin() as conn:
            pk = conn.execute(
                select(reports.c.pk).where(reports.c.report_id == body["id"])
            ).scalar_one()
            conn.execute(
                entity_mentions.insert(),
                [
                    resolved_mention(
                        mid, eid, pk, agency, body["id"], kind=kind, role=role, received_at=received
                    )
                    for mid, eid, kind, role in mentions
                ],
            )
            conn.execute(
                extractions.insert().values(
                    report_pk=pk, revision=1, extractor="test", payload=payload
                )
            )
            self._write_entities(conn)
        self.keys.append(key)
        return key

    def _write_entities(self, conn: Any) -> None:
        """Entity rows as resolution writes them (every run, all of them)."""
        known = set(conn.execute(select(entity_mentions.c.entity_id)).scalars())
        conn.execute(delete(entities))
        conn.execute(
            entities.insert(),
            [
                {
                    "entity_id": e,
                    "kind": e.split(":")[0],
                    "label": e,
                    "data": {"ages": sorted(self.ages.get(e, ()))}
                    if e.startswith("person")
                    else {},
                }
                for e in sorted(known)
            ],
        )

    def revise(self) -> str:
        """A report comes again with another grading; it is extracted again."""
        key = self.rng.choice(self.keys)
        agency, report_id = key.split("/")
        with self.engine.connect() as conn:
            at = conn.execute(
                select(reports.c.received_at).where(reports.c.report_id == report_id)
            ).scalar_one()
        grading = {"source": self.rng.choice("123"), "intelligence": self.rng.choice("ABC")}
        body = {
            "id": report_id,
            "agency": agency,
            "agency_type": dict(AGENCIES)[agency],
            "received_at": at.isoformat(),
            "narrative": f"A concern about a child, told again ({self.rng.random():.6f}).",
            "grading": grading,
        }
        store_reports(self.engine, [Report.from_body(body)], actor="test")
        with self.engine.begin() as conn:
            pk = conn.execute(
                select(reports.c.pk).where(reports.c.report_id == report_id)
            ).scalar_one()
            row = (
                conn.execute(select(extractions).where(extractions.c.report_pk == pk))
                .mappings()
                .one()
            )
            payload = dict(row["payload"])
            payload["indicators"] = [*payload["indicators"][1:]]
            conn.execute(
                update(extractions)
                .where(extractions.c.report_pk == pk)
                .values(revision=row["revision"] + 1, payload=payload)
            )
        return f"revised {key}"

    def _judged(self, conn: Any) -> None:
        """Resolution's watermark moves on, as after a judgement it clustered again."""
        self.judgements += 1
        conn.execute(delete(findings_state).where(findings_state.c.key == "resolve.judgements"))
        conn.execute(
            findings_state.insert().values(key="resolve.judgements", value=str(self.judgements))
        )

    def merge(self) -> str:
        """Resolution finds two adults are one: every mention of one gets the other's id."""
        a, b = sorted(self.rng.sample(self.adults, 2))
        self.adults.remove(b)
        self.adults.append(f"person:a{len(self.adults) + self.merged + 1}")  # someone new appears
        self.merged += 1
        self.ages.setdefault(a, set()).update(self.ages.pop(b, set()))
        with self.engine.begin() as conn:
            conn.execute(
                update(entity_mentions).where(entity_mentions.c.entity_id == b).values(entity_id=a)
            )
            self._write_entities(conn)
            self._judged(conn)
        return f"merged {b} into {a}"

    def learn_age(self) -> str:
        """Resolution gives someone another age: a child shown to be an adult, or the reverse."""
        person = self.rng.choice([*self.adults, *self.children])
        self.ages[person] = {self.rng.choice([15, 19, 25])}
        with self.engine.begin() as conn:
            self._write_entities(conn)
            self._judged(conn)
        return f"{person} is {self.ages[person]}"

    def act(self, now: datetime) -> str:
        """An action raised from a report, or a strategy discussion an alert asked for held."""
        with self.engine.begin() as conn:
            asked = (
                conn.execute(
                    select(alerts.c.action_id).where(
                        alerts.c.kind == "child-high-risk", alerts.c.status == "open"
                    )
                )
                .scalars()
                .all()
            )
            if asked and self.rng.random() < 0.5:
                action_id = self.rng.choice(asked)
                with clock.frozen_at(now):
                    tasking.allocate(conn, action_id, owner="dc.smith", actor="sgt.jones")
                    tasking.record_result(conn, action_id, result="held", actor="dc.smith")
                return f"action {action_id} resulted"
            key = self.rng.choice(self.keys)
            with clock.frozen_at(now):
                tasking.raise_action(
                    conn, title=f"Visit about {key}", source=f"report:{key}", actor="dc.smith"
                )
        return f"action on {key}"

    def decide(self, now: datetime, kind: str) -> str:
        """A crime recorded for a report, or its referrer told the outcome."""
        key = self.rng.choice(self.keys)
        with self.engine.begin() as conn:
            conn.execute(
                decisions.insert().values(
                    kind=kind, subject=f"report:{key}", actor="dc.smith", made_at=now, payload={}
                )
            )
        return f"{kind} {key}"


def snapshot(engine: Engine) -> dict[str, list[str]]:
    """Every row of the stage's tables (but when a score was computed)."""
    out = {}
    with engine.connect() as conn:
        for table in TABLES:
            rows = conn.execute(select(table)).mappings()
            out[table.name] = sorted(
                repr(sorted((k, v) for k, v in r.items() if k != "computed_at")) for r in rows
            )
    return out


def test_every_incremental_run_ends_where_a_full_recompute_does(engine: Engine) -> None:
    ensure_findings_schema(engine)
    town = Town(engine, seed=5)
    now = START
    for _ in range(10):
        now += timedelta(days=3)
        town.report(now)
    with clock.frozen_at(now):
        stage.run(engine, full=True)
    incremental = 0
    for step in range(60):
        now += timedelta(days=town.rng.choice([1, 2, 5, 30]))
        roll = town.rng.random()
        if step == 40:  # the feedback loop comes into use
            event = town.decide(now, "share-back")
        elif roll < 0.5:
            event = f"report {town.report(now - timedelta(days=town.rng.randint(0, 3)))}"
        elif roll < 0.55:
            event = f"report ahead of the clock {town.report(now + timedelta(days=1))}"
        elif roll < 0.62:
            event = town.revise()
        elif roll < 0.67:
            event = town.merge()
        elif roll < 0.75:
            event = town.learn_age()
        elif roll < 0.85:
            event = town.act(now)
        elif roll < 0.9:
            event = town.decide(now, "record-crime")
        elif roll < 0.95 or step < 40:
            event = "the clock moves on"
        else:
            event = town.decide(now, "share-back")
        with clock.frozen_at(now):
            summary = stage.run(engine)
        incremental += summary.endswith("reports changed)")
        after = snapshot(engine)
        with clock.frozen_at(now):
            stage.run(engine, full=True)
        full = snapshot(engine)
        for table, rows in full.items():
            assert after[table] == rows, f"step {step} ({event}): {table} differs"
    assert incremental >= 40
    with engine.connect() as conn:
        kinds = set(conn.execute(select(alerts.c.kind)).scalars())
        assert conn.execute(select(network_groups.c.group_id)).first() is not None
    assert {"subject-no-action", "child-high-risk", "group-emerging", "referrer-not-told"} <= kinds
