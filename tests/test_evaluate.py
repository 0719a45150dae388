"""The evaluator against itself: the truth's own export scores perfectly, a
trivial export scores low, and nothing an export leaves out makes it crash."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from lantern.evaluate import evaluate, export_from_truth
from lantern.evaluate.cli import register

S9 = "Sexual Offences Act 2003 s9"
CAA = "Child Abduction Act 1984 s2"


def _app() -> typer.Typer:
    """The commands of this package on their own ``lantern`` app."""
    app = typer.Typer()
    register(app, typer.Typer())
    return app


def _mention(report: str, text: str, person: str, role: str) -> dict[str, Any]:
    return {
        "agency": "syp",
        "report_id": report,
        "text": text,
        "field": "narrative",
        "start": 0,
        "end": len(text),
        "person_id": person,
        "role": role,
    }


def _report(report: str, when: str, must: bool, *sections: str, **extra: Any) -> dict[str, Any]:
    return {
        "agency": "syp",
        "report_id": report,
        "received_at": when,
        "kind": "police-incident",
        "must_record": must,
        "offences": [{"act_section": s, "victim": "P4", "incident": 0} for s in sections],
        "disclosures": [],
        "indicators": [],
        "blaming_phrases": extra.get("blaming", []),
        "quoted_phrases": extra.get("quoted", []),
        "safeguarding_only": False,
        "duplicate_of": None,
    }


def tiny_truth() -> dict[str, Any]:
    """Two groups of two offenders, an exploited child and one who is not, an
    adult; five reports over three months."""

    def person(pid: str, kind: str, **fields: Any) -> dict[str, Any]:
        return {"person_id": pid, "names": [pid], "sex": "M", "dob": None, "kind": kind,
                "exploited": False, "group": None, "central": False, **fields}  # fmt: skip

    return {
        "format": "lantern-truth/1",
        "seed": 1,
        "size": "tiny",
        "town": "Testbridge",
        "period": {"start": "2005-01-01", "end": "2005-03-31"},
        "people": [
            person("P1", "offender", group="G1", central=True),
            person("P2", "offender", group="G1"),
            person("P3", "offender", group="G2", central=True),
            person("P7", "offender", group="G2"),
            person("P4", "child", exploited=True),
            person("P5", "child"),
            person("P6", "adult"),
        ],
        "mentions": [
            _mention("R1", "Mo", "P1", "suspect"),
            _mention("R1", "Amy", "P4", "victim"),
            _mention("R1", "Mo", "P1", "suspect"),
            _mention("R2", "Ali", "P2", "suspect"),
            _mention("R2", "Mohammed Khan", "P1", "suspect"),
            _mention("R2", "Amy", "P4", "victim"),
            _mention("R3", "Beth", "P5", "missing-person"),
            _mention("R3", "Dave", "P6", "witness"),
            _mention("R4", "Zed", "P3", "suspect"),
            _mention("R4", "Kev", "P7", "associate"),
            _mention("R5", "Amy Smith", "P4", "suspect"),
        ],
        "vehicles": [],
        "phones": [],
        "locations": [],
        "groups": [
            {
                "group_id": "G1",
                "members": ["P1", "P2"],
                "central": ["P1"],
                "victims": ["P4"],
                "places": [],
                "vehicles": [],
                "phones": [],
                "first_report": {
                    "agency": "syp",
                    "report_id": "R1",
                    "received_at": "2005-01-01T10:00:00+00:00",
                },
            },
            {
                "group_id": "G2",
                "members": ["P3", "P7"],
                "central": ["P3"],
                "victims": [],
                "places": [],
                "vehicles": [],
                "phones": [],
                "first_report": {
                    "agency": "syp",
                    "report_id": "R4",
                    "received_at": "2005-03-01T09:00:00+00:00",
                },
            },
        ],
        "reports": [
            _report(
                "R1",
                "2005-01-01T10:00:00+00:00",
                True,
                S9,
                blaming=[{"phrase": "putting herself at risk", "start": 0, "end": 23}],
                quoted=[{"phrase": "boyfriend", "start": 30, "end": 39}],
            ),
            _report("R2", "2005-01-11T10:00:00+00:00", True, S9, CAA),
            _report("R3", "2005-02-01T10:00:00+00:00", False),
            _report("R4", "2005-03-01T09:00:00+00:00", False),
            _report("R5", "2005-03-10T09:00:00+00:00", True, "Criminal Damage Act 1971 s1"),
        ],
        "survival_crimes": [{"agency": "syp", "report_id": "R5", "person_id": "P4"}],
    }


def trivial_export(truth: dict[str, Any]) -> dict[str, Any]:
    """Everyone one person at no risk, nothing recorded, no groups, no alerts."""
    return {
        "as_of": "2005-03-31T23:59:59+00:00",
        "reports": [
            {
                "agency": r["agency"],
                "id": r["report_id"],
                "received_at": r["received_at"],
                "recording": {"decision": "no-crime", "offences": []},
                "language_flags": [],
            }
            for r in truth["reports"]
        ],
        "people": [
            {
                "person_id": "X",
                "mentions": [
                    {"agency": m["agency"], "report_id": m["report_id"], "text": m["text"]}
                    for m in truth["mentions"]
                ],
                "risk": {"level": "none", "score": 0, "reasons": []},
            }
        ],
        "groups": [],
        "alerts": [],
    }


def test_export_built_from_the_truth_scores_perfectly_everywhere() -> None:
    truth = tiny_truth()
    result = evaluate(truth, export_from_truth(truth))

    assert result["reports_in_scope"] == 5
    recording = result["recording"]
    assert (recording["precision"], recording["recall"], recording["f1"]) == (1.0, 1.0, 1.0)
    assert recording["offence_accuracy"] == 1.0
    people = result["person_resolution"]
    assert people["pairwise"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert people["bcubed"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert people["mention_recall"] == 1.0
    groups = result["groups"]
    assert [g["f1"] for g in groups["groups"]] == [1.0, 1.0]
    assert groups["share_f1_at_least_0_8"] == 1.0
    assert groups["adjusted_rand_index"] == 1.0
    assert groups["alerted"] == 2
    risk = result["child_risk"]
    assert (risk["recall"], risk["false_positive_rate"]) == (1.0, 0.0)
    language = result["language_flags"]
    assert (language["precision"], language["recall"]) == (1.0, 1.0)
    assert language["quoted_speech_flagged"] == 0
    detection = result["time_to_detection"]
    assert (detection["median_days"], detection["max_days"]) == (0.0, 0.0)
    assert detection["never_detected"] == []
    assert result["survival_crime_review"]["recall"] == 1.0


def test_trivial_export_scores_low() -> None:
    truth = tiny_truth()
    result = evaluate(truth, trivial_export(truth))

    assert result["recording"]["recall"] == 0.0
    assert result["recording"]["f1"] == 0.0
    assert result["recording"]["offence_accuracy"] == 0.0
    people = result["person_resolution"]
    # 11 mentions in one person: 55 pairs claimed, 6 true (3 of P1's, 3 of P4's)
    assert people["pairwise"]["recall"] == 1.0
    assert people["pairwise"]["precision"] == round(6 / 55, 4)
    assert people["bcubed"]["precision"] == round(23 / 121, 4)
    assert result["child_risk"]["recall"] == 0.0
    assert result["groups"]["score"] is None
    assert result["time_to_detection"]["score"] is None


@pytest.mark.parametrize(
    "export",
    [
        {},
        {"as_of": "not a time", "reports": "nonsense", "people": [1, None, {"mentions": 3}]},
        {"reports": [{"id": "R1"}], "people": [{"person_id": "A", "risk": "high"}]},
        {"groups": [{"group_id": "S1"}], "alerts": [{"raised_at": 5, "subjects": None}]},
    ],
)
def test_empty_or_partial_export_scores_null_with_notes_without_crashing(
    export: dict[str, Any],
) -> None:
    result = evaluate(tiny_truth(), export)

    assert result["recording"]["score"] is None
    assert result["recording"]["note"]
    assert result["time_to_detection"]["score"] is None
    assert result["survival_crime_review"]["score"] is None
    json.dumps(result)  # every value is JSON


def test_a_file_that_is_not_a_truth_is_refused() -> None:
    with pytest.raises(ValueError, match="not a truth file"):
        evaluate({"reports": []}, {})


def test_evaluate_command_prints_the_metrics_as_json(tmp_path: Path) -> None:
    truth = tiny_truth()
    truth_path = tmp_path / "truth.json"
    truth_path.write_text(json.dumps(truth))
    export_path = tmp_path / "export.json"
    broken = copy.deepcopy(export_from_truth(truth))
    broken["reports"][0]["recording"] = {"decision": "no-crime", "offences": []}
    export_path.write_text(json.dumps(broken))

    run = CliRunner().invoke(_app(), ["evaluate", str(truth_path), str(export_path)])

    assert run.exit_code == 0, run.output
    metrics = json.loads(run.stdout)
    assert metrics["recording"]["recall"] == round(2 / 3, 4)
    assert metrics["recording"]["missed"] == 1
