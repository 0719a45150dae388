"""The evaluator and replay on a simulated small town (about 500 reports)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from lantern import pipeline
from lantern.evaluate import evaluate, export_from_truth
from lantern.replay import replay
from lantern.sim import generate_town
from lantern.store import reports as report_store


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    reports, truth = generate_town(7, "small", tmp_path_factory.mktemp("town"))
    return reports, json.loads(truth.read_text(encoding="utf-8"))


def test_the_towns_own_truth_scores_perfectly(town: tuple[Path, dict[str, Any]]) -> None:
    _, truth = town

    summary = evaluate(truth, export_from_truth(truth))["summary"]

    assert summary.pop("child_risk_false_positive_rate") == 0.0
    assert summary.pop("median_days_to_detection") == 0.0
    if not truth["survival_crimes"]:  # nothing to review, nothing raised: not scored
        assert summary.pop("survival_review_recall") is None
    assert summary == dict.fromkeys(summary, 1.0)


def test_resolving_no_one_across_reports_loses_recall_not_precision(
    town: tuple[Path, dict[str, Any]],
) -> None:
    _, truth = town
    export = export_from_truth(truth)
    # a system that never joins mentions from different reports
    split: list[dict[str, Any]] = []
    for person in export["people"]:
        by_report: dict[str, list[dict[str, Any]]] = {}
        for mention in person["mentions"]:
            by_report.setdefault(f"{mention['agency']}/{mention['report_id']}", []).append(mention)
        for key, mentions in by_report.items():
            split.append({**copy.deepcopy(person), "person_id": f"{person['person_id']}@{key}",
                          "mentions": mentions})  # fmt: skip
    export["people"] = split

    people = evaluate(truth, export)["person_resolution"]

    assert people["pairwise"]["precision"] == 1.0
    assert people["bcubed"]["precision"] == 1.0
    assert people["pairwise"]["recall"] < 0.5
    assert people["bcubed"]["recall"] < 0.9


def test_replaying_the_town_stores_every_report_in_simulated_time(
    town: tuple[Path, dict[str, Any]], sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports_path, truth = town
    monkeypatch.setattr(pipeline, "available_stages", lambda: [])  # ingest and clock only

    result = replay(sqlite_engine, reports_path, step=timedelta(days=28))

    lines = sum(1 for line in reports_path.read_text(encoding="utf-8").splitlines() if line)
    assert result.counts["rejected"] == 0
    assert result.counts["new"] + result.counts["unchanged"] + result.counts["revised"] == lines
    with sqlite_engine.connect() as conn:
        stored = list(report_store.iter_current(conn))
    assert {(s.report.agency, s.report.id) for s in stored} == {
        (r["agency"], r["report_id"]) for r in truth["reports"]
    }
    end = datetime.fromisoformat(truth["period"]["end"]).replace(tzinfo=UTC) + timedelta(days=28)
    assert all(s.report.received_at <= s.first_stored_at <= end for s in stored)
