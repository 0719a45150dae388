"""Bad input gets a clear error and loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine

from lantern.intake.ingest import ingest_file
from lantern.store import reports as report_store
from tests.factories import report, write_jsonl


def _reasons(result) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return {r.line: r.reason for r in result.rejections}


def test_each_bad_line_gets_one_clear_error_and_the_good_lines_are_kept(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.jsonl"
    good = [report(n) for n in range(4)]
    lines: list[bytes] = [
        json.dumps(good[0]).encode(),
        b'{"id": "X1", "agency": "syp", "received_at": ',  # 2 malformed JSON
        json.dumps(
            {"id": "X2", "agency": "syp", "received_at": "2024-01-01T00:00:00+00:00"}
        ).encode(),  # 3 no narrative
        json.dumps(
            report(90, received_at="2023-02-30T10:00:00+00:00")
        ).encode(),  # 4 impossible date
        json.dumps(report(91, narrative=12345)).encode(),  # 5 wrong type
        json.dumps(good[1]).encode(),
        json.dumps(report(92, narrative="x" * (5 * 1024 * 1024))).encode(),  # 7 5 MB narrative
        json.dumps(report(93, narrative="before\u0000after")).encode(),  # 8 NUL byte
        json.dumps(report(94)).encode()[:-10]
        + b"\xff\xfe"
        + json.dumps(report(94)).encode()[-10:],  # 9 bad UTF-8
        json.dumps(good[2]).encode(),
        json.dumps(report(95, subjects="Tom")).encode(),  # 11 wrong type in a list field
        json.dumps(good[3]).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = ingest_file(sqlite_engine, path)
    reasons = _reasons(result)
    assert sorted(reasons) == [2, 3, 4, 5, 7, 8, 9, 11]
    assert "not valid JSON" in reasons[2]
    assert "narrative: required" in reasons[3]
    assert "2023-02-30" in reasons[4] and "no such date" in reasons[4]
    assert "narrative: must be a string" in reasons[5]
    assert "limit" in reasons[7]
    assert "NUL" in reasons[8]
    assert "UTF-8" in reasons[9]
    assert "subjects: must be a list" in reasons[11]
    assert all(r.source == str(path) for r in result.rejections)
    assert result.counts["new"] == 4 and result.counts["rejected"] == 8
    with sqlite_engine.connect() as conn:
        assert report_store.count(conn) == 4


def test_every_problem_in_one_line_is_named(sqlite_engine: Engine, tmp_path: Path) -> None:
    bad = {
        "agency": "SYP Police",
        "received_at": "yesterday",
        "narrative": "x",
        "grading": {"source": "4"},
    }
    result = ingest_file(sqlite_engine, write_jsonl(tmp_path / "a.jsonl", [bad]))
    reason = result.rejections[0].reason
    for expected in (
        "id: required",
        "agency: 'SYP Police' is not a short code",
        "received_at",
        "grading.source",
    ):
        assert expected in reason


def test_links_must_name_refs_in_the_report(sqlite_engine: Engine, tmp_path: Path) -> None:
    body = report(
        1,
        subjects=[{"ref": "p1", "name": "Amy"}],
        links=[{"from": "p1", "to": "v9", "kind": "drives"}],
    )
    result = ingest_file(sqlite_engine, write_jsonl(tmp_path / "a.jsonl", [body]))
    assert "links[0].to: 'v9' is not the ref" in result.rejections[0].reason


def test_handling_code_c_needs_its_conditions(sqlite_engine: Engine, tmp_path: Path) -> None:
    body = report(1, grading={"source": "2", "intelligence": "B", "handling": "C"})
    result = ingest_file(sqlite_engine, write_jsonl(tmp_path / "a.jsonl", [body]))
    assert "conditions" in result.rejections[0].reason


def test_csv_with_a_header_row_is_taken_like_json_lines(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "youth.csv"
    path.write_text(
        "id,agency,agency_type,received_at,narrative,reporter.role,subjects\n"
        'Y1,youth-project,voluntary,2024-03-01T18:00:00+00:00,"Worried about A, aged 14.",youth worker,"[{""ref"":""c1"",""name"":""A"",""age"":14}]"\n'
        "Y2,youth-project,voluntary,2024-03-02T18:00:00+00:00,,youth worker,\n",
        encoding="utf-8",
    )
    result = ingest_file(sqlite_engine, path)
    assert result.counts["new"] == 1
    assert result.rejections[0].line == 3 and "narrative: required" in result.rejections[0].reason
    with sqlite_engine.connect() as conn:
        stored = report_store.get(conn, "youth-project", "Y1")
    assert stored is not None
    assert stored.report.body["reporter"] == {"role": "youth worker"}
    assert stored.report.subjects[0]["age"] == 14
