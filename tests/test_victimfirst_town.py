"""The language check on a simulated medium town's narratives, scored against the
truth's blaming phrases (author's own voice) and quoted phrases (not to flag)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lantern.sim import generate_town
from lantern.victimfirst.language import check_text


@pytest.fixture(scope="module")
def town(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, Any], dict[tuple[str, str], str]]:
    reports, truth = generate_town(1, "medium", tmp_path_factory.mktemp("town"))
    narratives = {}
    for line in Path(reports).read_text("utf-8").splitlines():
        body = json.loads(line)
        narratives[(body["agency"], body["id"])] = body["narrative"]
    return json.loads(Path(truth).read_text("utf-8")), narratives


def _overlaps(a: tuple[int, int], b: dict[str, Any]) -> bool:
    return a[0] < b["end"] and b["start"] < a[1]


def test_language_flags_find_the_blaming_phrases_of_a_simulated_town(town) -> None:  # type: ignore[no-untyped-def]
    truth, narratives = town
    found = wrong = missed = 0
    for report in truth["reports"]:
        flags = [
            (f.start, f.end)
            for f in check_text(narratives[(report["agency"], report["report_id"])])
        ]
        for phrase in report["blaming_phrases"]:
            if any(_overlaps(f, phrase) for f in flags):
                found += 1
            else:
                missed += 1
        wrong += sum(
            1 for f in flags if not any(_overlaps(f, p) for p in report["blaming_phrases"])
        )
    assert found > 0
    assert found / (found + wrong) >= 0.9
    assert found / (found + missed) >= 0.95


def test_quoted_speech_in_a_simulated_town_is_never_flagged(town) -> None:  # type: ignore[no-untyped-def]
    truth, narratives = town
    quoted = [(r, p) for r in truth["reports"] for p in r["quoted_phrases"]]
    assert quoted, "the town should contain quoted speech"
    for report, phrase in quoted:
        flags = check_text(narratives[(report["agency"], report["report_id"])])
        assert not any(_overlaps((f.start, f.end), phrase) for f in flags), phrase
