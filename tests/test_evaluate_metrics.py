"""Each metric on tiny hand-made cases whose answer is known."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from lantern.evaluate import evaluate, export_from_truth
from lantern.evaluate.align import align
from lantern.evaluate.clusters import adjusted_rand_index, bcubed, pairwise, prf
from tests.test_evaluate import tiny_truth


def _labels(*clusters: str) -> dict[int, str]:
    """``_labels("aab")`` puts items 0 and 1 in cluster a, item 2 in cluster b."""
    return dict(enumerate("".join(clusters)))


def test_pairwise_scores_a_split_person() -> None:
    # one true person of four mentions, split in two by the system: 2 of 6 pairs found
    scores = pairwise(_labels("aaaa"), _labels("xxyy"))
    assert scores.precision == 1.0
    assert scores.recall == pytest.approx(1 / 3)
    assert scores.f1 == pytest.approx(0.5)


def test_pairwise_scores_a_merge_of_two_people() -> None:
    # {0,1} and {2} merged: 3 pairs claimed, 1 true
    scores = pairwise(_labels("aab"), _labels("xxx"))
    assert scores.precision == pytest.approx(1 / 3)
    assert scores.recall == 1.0


def test_bcubed_of_a_merge_matches_the_hand_count() -> None:
    # items 0,1 see 2 of 3 of their system cluster right; item 2 sees 1 of 3
    scores = bcubed(_labels("aab"), _labels("xxx"))
    assert scores.precision == pytest.approx(5 / 9)
    assert scores.recall == 1.0
    assert scores.f1 == pytest.approx(2 * (5 / 9) / (5 / 9 + 1))


def test_bcubed_of_a_split_matches_the_hand_count() -> None:
    scores = bcubed(_labels("aaaa"), _labels("xxxy"))
    assert scores.precision == 1.0
    assert scores.recall == pytest.approx((3 * 3 / 4 + 1 / 4) / 4)


@pytest.mark.parametrize(
    ("truth", "system", "expected"),
    [
        ("aabb", "aabc", 4 / 7),  # scikit-learn's documented example: 0.5714…
        ("aabb", "bbaa", 1.0),  # same partition, other labels
        ("aaaa", "abcd", 0.0),  # all together vs all apart
        ("abcd", "abcd", 1.0),  # all apart in both
        # cells 2,1,1,2: index 2, expected 6*6/15 = 2.4, max 6 -> (2-2.4)/(6-2.4)
        ("aaabbb", "ababab", -1 / 9),  # worse than chance
    ],
)
def test_adjusted_rand_index_known_values(truth: str, system: str, expected: float) -> None:
    assert adjusted_rand_index(_labels(truth), _labels(system)) == pytest.approx(expected)


def test_precision_is_undefined_when_nothing_was_claimed_but_something_was_there() -> None:
    assert prf(0, 0, 3).precision is None
    assert prf(0, 0, 3).f1 == 0.0
    assert prf(0, 0, 0).f1 == 1.0


def test_repeated_text_in_one_report_is_matched_in_order_same_role_first() -> None:
    truth = tiny_truth()
    # two different people both written "the man" in R3, as suspect then witness
    truth["mentions"] += [
        {"agency": "syp", "report_id": "R3", "text": "the man", "person_id": "P1", "role": "suspect"},
        {"agency": "syp", "report_id": "R3", "text": "the man", "person_id": "P6", "role": "witness"},
    ]  # fmt: skip
    export = export_from_truth(truth)
    # the export lists the witness first: roles, not order, decide
    for person in export["people"]:
        person["mentions"].sort(key=lambda m: m["role"] != "witness")
    aligned = align(truth, export)
    found = dict(
        zip([(m.text, m.role) for m in aligned.mentions], aligned.system_person, strict=False)
    )
    assert found[("the man", "suspect")] == "P1"
    assert found[("the man", "witness")] == "P6"


def test_system_ids_need_not_equal_truth_ids() -> None:
    truth = tiny_truth()
    export = export_from_truth(truth)
    rename = {p["person_id"]: f"sys-{n}" for n, p in enumerate(export["people"])}
    for person in export["people"]:
        person["person_id"] = rename[person["person_id"]]
    for group in export["groups"]:
        group["members"] = [rename[m] for m in group["members"]]
        group["group_id"] = f"net-{group['group_id']}"
    for alert in export["alerts"]:
        alert["subjects"] = [rename[s] for s in alert["subjects"]]

    result = evaluate(truth, export)

    assert result["person_resolution"]["bcubed"]["f1"] == 1.0
    assert result["groups"]["share_f1_at_least_0_8"] == 1.0
    assert result["child_risk"]["recall"] == 1.0
    assert result["survival_crime_review"]["recall"] == 1.0


def test_only_reports_received_by_the_exports_as_of_are_scored() -> None:
    truth = tiny_truth()
    export = export_from_truth(truth)
    export["as_of"] = "2005-02-15T00:00:00+00:00"  # R1-R3 received by then
    for n in (1, 4):  # R2 missed; R5 missed too, but received after as_of
        export["reports"][n]["recording"] = {"decision": "no-crime", "offences": []}

    result = evaluate(truth, export)

    assert result["reports_in_scope"] == 3
    assert result["recording"]["recall"] == 0.5
    assert [g["group_id"] for g in result["groups"]["groups"]] == ["G1"]


def test_pending_decision_with_proposed_offences_counts_as_recorded() -> None:
    truth = tiny_truth()
    export = export_from_truth(truth)
    export["reports"][0]["recording"]["decision"] = "pending"

    assert evaluate(truth, export)["recording"]["recall"] == 1.0


def test_offence_accuracy_needs_the_whole_set_of_sections() -> None:
    truth = tiny_truth()
    export = export_from_truth(truth)
    export["reports"][1]["recording"]["offences"].pop()  # R2: s9 only, not also s2

    recording = evaluate(truth, export)["recording"]

    assert recording["recall"] == 1.0
    assert recording["offence_accuracy"] == round(2 / 3, 4)


def test_flagging_quoted_speech_is_a_false_positive() -> None:
    truth = tiny_truth()
    export = export_from_truth(truth)
    export["reports"][0]["language_flags"].append({"phrase": "Boyfriend", "suggestion": None})

    language = evaluate(truth, export)["language_flags"]

    assert language["recall"] == 1.0
    assert language["precision"] == 0.5
    assert language["quoted_speech_flagged"] == 1


def _with_group(export: dict[str, Any], members: list[str]) -> dict[str, Any]:
    export = copy.deepcopy(export)
    export["groups"] = [{"group_id": "S1", "members": members}]
    return export


def test_best_system_group_is_scored_by_member_precision_and_recall() -> None:
    truth = tiny_truth()
    # one system group holding G1's two members and the unrelated adult
    result = evaluate(truth, _with_group(export_from_truth(truth), ["P1", "P2", "P6"]))

    g1, g2 = result["groups"]["groups"]
    assert (g1["system_group"], g1["precision"], g1["recall"]) == ("S1", round(2 / 3, 4), 1.0)
    assert g1["f1"] == 0.8
    assert g2["system_group"] is None and g2["f1"] == 0.0
    assert result["groups"]["share_f1_at_least_0_8"] == 0.5


def test_adjusted_rand_index_over_offenders_counts_ungrouped_offenders_alone() -> None:
    truth = tiny_truth()
    # offenders P1 P2 | P3 P7 in truth; the system groups only P1 P2
    ari = evaluate(truth, _with_group(export_from_truth(truth), ["P1", "P2"]))["groups"]
    expected = adjusted_rand_index(
        {"P1": "a", "P2": "a", "P3": "b", "P7": "b"}, {"P1": "x", "P2": "x", "P3": "y", "P7": "z"}
    )
    assert ari["adjusted_rand_index"] == round(expected, 4)
    assert 0 < expected < 1


def test_a_child_is_judged_by_the_system_person_most_of_their_mentions_went_to() -> None:
    truth = tiny_truth()
    export = export_from_truth(truth)
    amy = next(p for p in export["people"] if p["person_id"] == "P4")
    # one of Amy's three mentions is misplaced with Beth, who is at no risk
    beth = next(p for p in export["people"] if p["person_id"] == "P5")
    beth["mentions"].append(amy["mentions"].pop())
    beth["risk"]["level"] = "medium"

    risk = evaluate(truth, export)["child_risk"]

    assert risk["recall"] == 1.0  # Amy is still mostly P4, at high risk
    assert risk["false_positive_rate"] == 1.0  # Beth at medium
    assert risk["missed"] == []


def test_time_to_detection_counts_days_and_reports_until_the_first_alert() -> None:
    truth = tiny_truth()
    export = export_from_truth(truth)
    g1_alert = next(a for a in export["alerts"] if a["alert_id"] == "A-G1")
    g1_alert["raised_at"] = "2005-01-21T10:00:00+00:00"  # 20 days; R1 and R2 before it
    g1_alert["subjects"] = ["P2"]  # one member named is enough
    export["alerts"] = [a for a in export["alerts"] if a["alert_id"] != "A-G2"]

    detection = evaluate(truth, export)["time_to_detection"]

    assert detection["groups"] == [
        {
            "group_id": "G1",
            "first_report": "2005-01-01T10:00:00+00:00",
            "alerted_at": "2005-01-21T10:00:00+00:00",
            "alert_kind": "group",
            "days": 20.0,
            "reports": 2,
        }
    ]
    assert detection["never_detected"] == ["G2"]
    assert detection["max_days"] == 20.0


def test_alerts_naming_prefixed_entity_ids_name_the_exported_people() -> None:
    truth = tiny_truth()
    export = export_from_truth(truth)
    for alert in export["alerts"]:
        alert["subjects"] = [f"person:{s}" for s in alert["subjects"]]

    result = evaluate(truth, export)

    assert result["groups"]["alerted"] == 2
    assert result["time_to_detection"]["never_detected"] == []
    assert result["survival_crime_review"]["recall"] == 1.0


def test_a_group_first_reported_after_as_of_is_not_yet_expected() -> None:
    truth = tiny_truth()
    export = export_from_truth(truth)
    export["as_of"] = "2005-02-20T00:00:00+00:00"  # before G2's first report (R4, March)

    result = evaluate(truth, export)

    assert [g["group_id"] for g in result["groups"]["groups"]] == ["G1"]
    detection = result["time_to_detection"]
    assert [g["group_id"] for g in detection["groups"]] == ["G1"]
    assert detection["never_detected"] == []


def test_an_extractors_wider_span_still_matches_the_mention() -> None:
    truth = tiny_truth()
    export = export_from_truth(truth)
    beth = next(p for p in export["people"] if p["person_id"] == "P5")
    beth["mentions"][0]["text"] = "Beth (14)"

    people = evaluate(truth, export)["person_resolution"]

    assert people["mentions_found"] == people["mentions"]
    assert people["mentions_found_loosely"] == 1


def test_a_quoted_name_inside_a_wider_span_still_matches_the_mention() -> None:
    # "a man she knows as 'Beth'": quote marks are not part of the word
    truth = tiny_truth()
    export = export_from_truth(truth)
    beth = next(p for p in export["people"] if p["person_id"] == "P5")
    beth["mentions"][0]["text"] = "a girl she knows as 'Beth'"

    people = evaluate(truth, export)["person_resolution"]

    assert people["mentions_found"] == people["mentions"]
    assert people["mentions_found_loosely"] == 1


def test_a_growing_group_alert_detects_a_group_when_it_first_names_a_member() -> None:
    # the alert was raised about another, earlier group; it named P2 only as
    # that group grew, and the group's id names whoever it holds at the end
    truth = tiny_truth()
    export = export_from_truth(truth)
    g1_alert = next(a for a in export["alerts"] if a["alert_id"] == "A-G1")
    g1_alert["raised_at"] = "2004-12-01T10:00:00+00:00"
    g1_alert["subjects"] = ["G1", "P9", "P2"]
    g1_alert["named_at"] = {
        "G1": "2004-12-01T10:00:00+00:00",
        "P9": "2004-12-01T10:00:00+00:00",
        "P2": "2005-01-21T10:00:00+00:00",
    }

    detection = evaluate(truth, export)["time_to_detection"]

    g1 = next(g for g in detection["groups"] if g["group_id"] == "G1")
    assert (g1["alerted_at"], g1["days"]) == ("2005-01-21T10:00:00+00:00", 20.0)
