"""The export tests' town: the simulated small town, ingested and analysed
once per test session (per worker), with users of a host police force and of
a partner agency."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Engine, select

from lantern.auth import passwords
from lantern.auth.accounts import add_agency, add_user
from lantern.export import export
from lantern.intake.ingest import ingest_file
from lantern.pipeline import analyse
from lantern.sim import generate_town
from lantern.store.db import open_store
from lantern.store.schema import reports

# the cheapest argon2id parameters: the hash's strength is not what is tested
passwords.HASHER = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)

SEED = 7
# The town's police force (``cbp``) sends the handling-code C reports; the
# host agency running Lantern is a regional team, whose staff see a C report
# only where its condition grants their role (the town's grant investigators
# and supervisors).
HOST = "regional-cse-team"
PARTNER = "cbc-social-care"
# username -> (agency, role)
USERS = {
    "dc.investigator": (HOST, "investigator"),  # granted by the town's C conditions
    "an.analyst": (HOST, "analyst"),  # not granted
    "sw.referrer": (PARTNER, "referrer"),  # a partner agency's user
}


@dataclass(frozen=True)
class Town:
    db: Path

    @property
    def url(self) -> str:
        return f"sqlite:///{self.db}"

    def engine(self) -> Engine:
        return open_store(self.url)


def build_town(folder: Path) -> Town:
    """Simulates, ingests and analyses the small town (once per folder)."""
    db = folder / "lantern.db"
    if (folder / "ready").exists():
        return Town(db)
    folder.mkdir(parents=True, exist_ok=True)
    report_file, _truth = generate_town(SEED, "small", folder)
    engine = open_store(f"sqlite:///{db}")
    ingest_file(engine, report_file)
    ingest_file(engine, _originator_only_report(folder))
    analyse(engine)
    with engine.begin() as conn:
        add_agency(conn, HOST, "Regional CSE team", agency_type="police", host=True)
        add_agency(conn, PARTNER, "Calderbridge Children's Social Care", agency_type="social-care")
        for username, (agency, role) in USERS.items():
            add_user(
                conn, username=username, password="a long test password", agency=agency, role=role
            )
    engine.dispose()
    (folder / "ready").write_text("ready")
    return Town(db)


def _originator_only_report(folder: Path) -> Path:
    """One handling-code C intelligence log whose condition grants nobody
    beyond its sender, naming a man and a car found in no other report."""
    body = {
        "id": "CBP-INT-2016-09001",
        "agency": "cbp",
        "agency_type": "police",
        "channel": "intelligence",
        "received_at": "2016-03-02T10:00:00+00:00",
        "grading": {
            "source": "2",
            "intelligence": "B",
            "handling": "C",
            "conditions": "originator only: no further dissemination",
        },
        "narrative": (
            "Intelligence: Zoltan QUILLER (34) drives a black Audi A3 YR18 ZQX and has been "
            "seen collecting a girl aged 15 from Calderbridge Academy."
        ),
    }
    path = folder / "originator-only.jsonl"
    path.write_text(json.dumps(body) + "\n", encoding="utf-8")
    return path


def export_text(engine: Engine, fmt: str, **options: Any) -> str:
    out = io.StringIO()
    export(engine, fmt, out, **options)
    return out.getvalue()


def export_i2(engine: Engine, **options: Any) -> tuple[str, str]:
    entities, links = io.StringIO(), io.StringIO()
    export(engine, "i2", entities, links_out=links, **options)
    return entities.getvalue(), links.getvalue()


def ftm_entities(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def restricted_report_keys(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(reports.c.agency, reports.c.report_id).where(reports.c.handling == "C")
        )
        return {f"{a}/{r}" for a, r in rows}
