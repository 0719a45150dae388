"""``evaluate(truth, export)``: every metric family, one JSON-ready dict.

A section the export cannot support (it holds nothing that section reads)
scores ``null`` with a note; a malformed section is reported, not raised.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lantern.evaluate import detection, groups, language, people, recording, risk
from lantern.evaluate.align import Alignment, align, as_list

TRUTH_FORMAT = "lantern-truth/1"

SECTIONS: tuple[tuple[str, Callable[[Alignment], dict[str, Any]]], ...] = (
    ("recording", recording.score),
    ("person_resolution", people.score),
    ("groups", groups.score),
    ("child_risk", risk.score),
    ("language_flags", language.score),
    ("time_to_detection", detection.score),
    ("survival_crime_review", detection.survival_reviews),
)


def evaluate(truth: Mapping[str, Any], export: Mapping[str, Any]) -> dict[str, Any]:
    """Scores ``export`` (interchange spec section 2) against ``truth``
    (docs/truth.md)."""
    if truth.get("format") != TRUTH_FORMAT:
        raise ValueError(f"not a truth file: format is {truth.get('format')!r}, not {TRUTH_FORMAT}")
    if not isinstance(export, Mapping):
        raise ValueError("the export must be a JSON object")
    aligned = align(truth, export)
    result: dict[str, Any] = {
        "truth": {"seed": truth.get("seed"), "size": truth.get("size")},
        "as_of": aligned.as_of.isoformat() if aligned.as_of else None,
        "reports_in_scope": len(aligned.reports),
        "reports_in_export": len(as_list(export.get("reports"))),
    }
    for name, section in SECTIONS:
        try:
            result[name] = section(aligned)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            result[name] = {"score": None, "note": f"could not be scored: {exc!r}"}
    return {"summary": summary(result), **result}


# headline figure -> (section, key path)
HEADLINES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("recording_f1", "recording", ("f1",)),
    ("offence_accuracy", "recording", ("offence_accuracy",)),
    ("pairwise_f1", "person_resolution", ("pairwise", "f1")),
    ("bcubed_f1", "person_resolution", ("bcubed", "f1")),
    ("groups_f1_at_least_0_8", "groups", ("share_f1_at_least_0_8",)),
    ("offender_ari", "groups", ("adjusted_rand_index",)),
    ("child_risk_recall", "child_risk", ("recall",)),
    ("child_risk_false_positive_rate", "child_risk", ("false_positive_rate",)),
    ("language_f1", "language_flags", ("f1",)),
    ("median_days_to_detection", "time_to_detection", ("median_days",)),
    ("survival_review_recall", "survival_crime_review", ("recall",)),
)


def summary(result: Mapping[str, Any]) -> dict[str, Any]:
    """The headline figure of each section (null where it scored null)."""
    out: dict[str, Any] = {}
    for name, section, path in HEADLINES:
        value: Any = result.get(section)
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        out[name] = value
    return out
