"""Handling codes in exports: a restricted (handling code C) report, and what
is known only from it, stays out of an export unless the exporting user may
see it; every export is in the audit log with who, what and why."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from lantern.auth.access import report_visibility
from lantern.auth.accounts import get_user
from lantern.export.picture import ExportError
from lantern.store.findings.resolution import entity_mentions
from lantern.store.schema import audit_log, reports
from tests.export_support import (
    build_town,
    export_i2,
    export_text,
    restricted_report_keys,
)

REASON = "strategy meeting 12 March: Operation Lantern"

# one worker builds the town and runs every export test on it
pytestmark = pytest.mark.xdist_group("export-town")


@pytest.fixture(scope="session")
def town_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    town = build_town(tmp_path_factory.getbasetemp() / "export-town")
    engine = town.engine()
    yield engine
    engine.dispose()


def known_only_from(engine: Engine, keys: set[str]) -> set[str]:
    """Entities every mention of which is in one of the reports ``keys``."""
    sources: dict[str, set[str]] = {}
    with engine.connect() as conn:
        for entity_id, agency, report_id in conn.execute(
            select(
                entity_mentions.c.entity_id, entity_mentions.c.agency, entity_mentions.c.report_id
            )
        ):
            sources.setdefault(entity_id, set()).add(f"{agency}/{report_id}")
    return {e for e, seen in sources.items() if seen <= keys}


def every_format(engine: Engine, **options: object) -> str:
    """The text of an export in each format, one after another."""
    texts = [export_text(engine, fmt, **options) for fmt in ("json", "ftm", "graphml")]
    texts.extend(export_i2(engine, **options))
    return "\n".join(texts)


def test_a_partner_users_export_holds_no_restricted_report_nor_what_only_it_told(
    town_engine: Engine,
) -> None:
    restricted = restricted_report_keys(town_engine)
    hidden_entities = known_only_from(town_engine, restricted)
    assert restricted and hidden_entities  # the town has C reports with people only in them
    text = every_format(town_engine, user="sw.referrer")
    for key in restricted:
        assert key not in text
        assert key.split("/")[1] not in text
    for entity_id in hidden_entities:
        assert entity_id.split(":")[1] not in text
    assert "cbc-social-care/" in text  # the partner's own reports are there


def visible_to(engine: Engine, username: str) -> set[str]:
    """The reports the access rules let ``username`` see (read without the export)."""
    with engine.connect() as conn:
        user = get_user(conn, username)
        assert user is not None
        rows = conn.execute(
            select(reports.c.agency, reports.c.report_id).where(report_visibility(user))
        )
        return {f"{a}/{r}" for a, r in rows}


def test_restricted_reports_reach_only_the_roles_their_condition_grants(
    town_engine: Engine,
) -> None:
    restricted = restricted_report_keys(town_engine)
    granted = restricted & visible_to(town_engine, "dc.investigator")
    assert granted and restricted - granted  # some conditions grant investigators, some nobody
    analyst = export_text(town_engine, "graphml", user="an.analyst")
    investigator = export_text(town_engine, "graphml", user="dc.investigator", reason=REASON)
    assert all(k in investigator for k in granted)
    assert not any(k in investigator for k in restricted - granted)
    assert not any(k in analyst for k in restricted)
    only_ungranted = known_only_from(town_engine, restricted - granted)
    assert only_ungranted
    assert not any(e in analyst or e in investigator for e in only_ungranted)


def test_an_export_holding_restricted_reports_needs_a_reason(town_engine: Engine) -> None:
    with pytest.raises(ExportError, match="reason"):
        export_text(town_engine, "ftm", user="dc.investigator")


def test_a_json_export_by_a_user_leaves_out_the_reports_they_may_not_see(
    town_engine: Engine,
) -> None:
    doc = json.loads(export_text(town_engine, "json", user="an.analyst"))
    keys = {f"{r['agency']}/{r['id']}" for r in doc["reports"]}
    assert keys and not keys & restricted_report_keys(town_engine)
    for person in doc["people"]:
        assert person["mentions"]
        assert all(f"{m['agency']}/{m['report_id']}" in keys for m in person["mentions"])
    assert doc["exported_by"] == "an.analyst"


def test_every_export_is_in_the_audit_log_with_who_what_and_why(town_engine: Engine) -> None:
    with town_engine.connect() as conn:
        before = conn.execute(select(audit_log.c.seq).order_by(audit_log.c.seq.desc())).scalar()
    export_text(town_engine, "graphml", user="dc.investigator", reason=REASON)
    export_text(town_engine, "ftm", user="sw.referrer", group=None, reason="own reports")
    with town_engine.connect() as conn:
        rows = conn.execute(
            select(audit_log).where(audit_log.c.seq > before).order_by(audit_log.c.seq)
        ).all()
    assert [(r.actor, r.action, r.reason) for r in rows] == [
        ("dc.investigator", "export.graphml", REASON),
        ("sw.referrer", "export.ftm", "own reports"),
    ]
    assert rows[0].detail["person"] > 0 and rows[0].target == "export:all"
    assert rows[1].detail["withheld_reports"] > 0


def test_an_administrator_who_reads_no_case_records_cannot_export_them(
    town_engine: Engine,
) -> None:
    from lantern.auth.accounts import add_user

    with town_engine.begin() as conn:
        add_user(
            conn,
            username="it.admin",
            password="a long test password",
            agency="regional-cse-team",
            role="admin",
        )
    with pytest.raises(ExportError, match="admin"):
        export_text(town_engine, "graphml", user="it.admin")
