"""The `lantern` command: ingest exit codes, export shape, audit verify."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from lantern.cli import app
from lantern.store.db import open_store
from tests.factories import report, write_jsonl

runner = CliRunner()


def test_ingest_exits_non_zero_when_a_line_is_rejected_and_counts_each_outcome(
    sqlite_url: str, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [report(1), "{oops", report(2)])
    result = runner.invoke(app, ["ingest", "--quiet", "--database", sqlite_url, str(path)])
    assert result.exit_code == 1
    assert "2 new, 0 unchanged, 0 revised, 1 rejected" in result.stdout
    assert f"{path}:2: not valid JSON" in result.stderr
    again = runner.invoke(
        app,
        [
            "ingest",
            "--quiet",
            "--database",
            sqlite_url,
            str(write_jsonl(tmp_path / "b.jsonl", [report(1)])),
        ],
    )
    assert again.exit_code == 0
    assert "0 new, 1 unchanged" in again.stdout


def test_export_writes_the_interchange_sections(sqlite_url: str, tmp_path: Path) -> None:
    runner.invoke(
        app,
        [
            "ingest",
            "--quiet",
            "--database",
            sqlite_url,
            str(write_jsonl(tmp_path / "a.jsonl", [report(1), report(2)])),
        ],
    )
    out = tmp_path / "export.json"
    result = runner.invoke(
        app, ["export", "--format", "json", "--database", sqlite_url, "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(out.read_text())
    for key in (
        "generated_at",
        "as_of",
        "version",
        "reports",
        "people",
        "vehicles",
        "phones",
        "locations",
        "groups",
        "alerts",
        "actions",
    ):
        assert key in doc
    assert sorted(r["id"] for r in doc["reports"]) == ["R000001", "R000002"]
    assert {r["recording"]["decision"] for r in doc["reports"]} <= {"crime", "no-crime", "pending"}


def test_export_as_of_leaves_out_reports_received_later(sqlite_url: str, tmp_path: Path) -> None:
    rows = [
        report(1, received_at="2010-01-01T10:00:00+00:00"),
        report(2, received_at="2012-01-01T10:00:00+00:00"),
    ]
    runner.invoke(
        app,
        [
            "ingest",
            "--quiet",
            "--database",
            sqlite_url,
            str(write_jsonl(tmp_path / "a.jsonl", rows)),
        ],
    )
    result = runner.invoke(
        app, ["export", "--database", sqlite_url, "--as-of", "2011-01-01T00:00:00"]
    )
    doc = json.loads(result.stdout)
    assert [r["id"] for r in doc["reports"]] == ["R000001"]
    assert doc["as_of"].startswith("2011-01-01")


def test_audit_verify_names_the_first_broken_row(sqlite_url: str, tmp_path: Path) -> None:
    runner.invoke(
        app,
        [
            "ingest",
            "--quiet",
            "--database",
            sqlite_url,
            str(write_jsonl(tmp_path / "a.jsonl", [report(n) for n in range(4)])),
        ],
    )
    ok = runner.invoke(app, ["audit", "verify", "--database", sqlite_url])
    assert ok.exit_code == 0 and "intact" in ok.stdout
    engine = open_store(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"))
    engine.dispose()
    broken = runner.invoke(app, ["audit", "verify", "--database", sqlite_url])
    assert broken.exit_code == 1
    assert "broken at row 2" in broken.stderr
