"""The printable profile: a PDF a supervisor can take to a strategy meeting,
holding the subject's name and every reason their page shows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from lantern.cli import app
from lantern.export.cli import write_profile
from lantern.store.findings.network import network_groups, network_scores
from lantern.store.findings.resolution import entities
from lantern.store.schema import audit_log
from tests.export_support import Town, build_town

# one worker builds the town and runs every export test on it
pytestmark = pytest.mark.xdist_group("export-town")


@pytest.fixture(scope="session")
def town(tmp_path_factory: pytest.TempPathFactory) -> Town:
    return build_town(tmp_path_factory.getbasetemp() / "export-town")


@pytest.fixture(scope="session")
def town_engine(town: Town) -> Iterator[Engine]:
    engine = town.engine()
    yield engine
    engine.dispose()


def flat(text: str) -> str:
    """Text with every run of white space as one space (PDF lines wrap anywhere)."""
    return re.sub(r"\s+", " ", text).strip()


def highest(engine: Engine, kind: str) -> tuple[str, str, list[str]]:
    """(entity id, label, reasons) of the person with the highest score of ``kind``."""
    with engine.connect() as conn:
        row = conn.execute(
            select(network_scores.c.entity_id, entities.c.label, network_scores.c.reasons)
            .join(entities, entities.c.entity_id == network_scores.c.entity_id)
            .where(network_scores.c.kind == kind)
            .order_by(network_scores.c.score.desc())
            .limit(1)
        ).first()
    assert row is not None
    return row[0], row[1], list(row[2])


@pytest.mark.parametrize("kind", ["risk", "priority"])
def test_profile_pdf_holds_the_subjects_name_and_every_reason_shown(
    town_engine: Engine, tmp_path: Path, kind: str
) -> None:
    subject, name, reasons = highest(town_engine, kind)
    assert reasons
    out = tmp_path / "profile.pdf"
    write_profile(town_engine, subject, out, fmt="pdf", reason="strategy meeting")
    reader = PdfReader(out)
    assert len(reader.pages) >= 1
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert flat(name) in text
    for reason in reasons:
        assert flat(reason) in text, reason


def test_group_profile_names_its_members_and_draws_the_link_chart(
    town_engine: Engine, tmp_path: Path
) -> None:
    with town_engine.connect() as conn:
        group = conn.execute(select(network_groups).limit(1)).first()
        assert group is not None
        labels = dict(
            conn.execute(
                select(entities.c.entity_id, entities.c.label).where(
                    entities.c.entity_id.in_(group.members)
                )
            ).all()
        )
    out = tmp_path / "group.html"
    summary = write_profile(town_engine, group.group_id, out, fmt="html")
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "<circle" in html
    for label in labels.values():
        assert label.replace("'", "&#39;") in html
    assert summary["reports"] > 0


def test_profile_command_writes_the_file_and_the_audit_log(town: Town, tmp_path: Path) -> None:
    subject, name, _ = highest(town.engine(), "priority")
    out = tmp_path / "subject.html"
    result = CliRunner().invoke(
        app,
        [
            "profile",
            subject,
            "--format",
            "html",
            "--out",
            str(out),
            "--user",
            "an.analyst",
            "--reason",
            "case review",
            "--database",
            town.url,
        ],
    )
    assert result.exit_code == 0, result.output
    assert name.replace("'", "&#39;") in out.read_text(encoding="utf-8")
    with town.engine().connect() as conn:
        last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    assert (last.actor, last.action, last.reason) == ("an.analyst", "export.profile", "case review")
    assert last.target == f"export:{subject}"


def test_export_command_writes_i2_entities_and_links_beside_them(
    town: Town, tmp_path: Path
) -> None:
    out = tmp_path / "chart.csv"
    result = CliRunner().invoke(
        app,
        [
            "export",
            "--format",
            "i2",
            "--out",
            str(out),
            "--user",
            "an.analyst",
            "--database",
            town.url,
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.exists() and (tmp_path / "chart-links.csv").exists()
    refused = CliRunner().invoke(
        app, ["export", "--format", "i2", "--user", "an.analyst", "--database", town.url]
    )
    assert refused.exit_code == 2  # standard output cannot hold two files
    no_reason = tmp_path / "restricted.csv"
    refused = CliRunner().invoke(
        app,
        [
            *("export", "--format", "i2", "--out", str(no_reason)),
            *("--user", "dc.investigator", "--database", town.url),
        ],
    )
    assert refused.exit_code == 2 and "reason" in refused.output
    assert not no_reason.exists() and not (tmp_path / "restricted-links.csv").exists()
