"""The simulated town: deterministic, valid, and its truth exact."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lantern.intake.validate import validate
from lantern.sim import generate_town
from lantern.sim.offences import ALLOWED_SECTIONS
from lantern.sim.vocab import acts, indicators, load

Town = tuple[list[dict[str, Any]], dict[str, Any]]


def _read(reports: Path, truth: Path) -> Town:
    lines = [json.loads(line) for line in reports.read_text(encoding="utf-8").splitlines()]
    return lines, json.loads(truth.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def small_paths(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return generate_town(11, "small", tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="session")
def small(small_paths: tuple[Path, Path]) -> Town:
    return _read(*small_paths)


@pytest.fixture(scope="session")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Town:
    return _read(*generate_town(3, "medium", tmp_path_factory.mktemp("medium")))


@pytest.fixture(params=["small", "medium"])
def town(request: pytest.FixtureRequest) -> Town:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def _bodies(town: Town) -> dict[tuple[str, str], dict[str, Any]]:
    return {(b["agency"], b["id"]): b for b in town[0]}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_gives_byte_identical_files(
    small_paths: tuple[Path, Path], tmp_path: Path
) -> None:
    again = generate_town(11, "small", tmp_path)
    assert [_digest(p) for p in again] == [_digest(p) for p in small_paths]


def test_different_seed_gives_a_different_town(
    small_paths: tuple[Path, Path], tmp_path: Path
) -> None:
    other = generate_town(12, "small", tmp_path)
    assert _digest(other[0]) != _digest(small_paths[0])
    assert _digest(other[1]) != _digest(small_paths[1])


def test_unknown_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="size"):
        generate_town(1, "huge", tmp_path)


def test_sizes_are_near_their_targets(small: Town, medium: Town) -> None:
    assert 450 <= len(small[1]["reports"]) <= 600
    assert 4500 <= len(medium[1]["reports"]) <= 5600


def test_every_line_is_a_valid_interchange_report(town: Town) -> None:
    for body in town[0]:
        validate(json.loads(json.dumps(body)))


def test_truth_lists_each_report_once_and_repeated_lines_are_identical(town: Town) -> None:
    lines, truth = town
    keys = {(r["agency"], r["report_id"]) for r in truth["reports"]}
    assert len(keys) == len(truth["reports"])
    assert keys == {(b["agency"], b["id"]) for b in lines}
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for body in lines:
        key = (body["agency"], body["id"])
        assert seen.setdefault(key, body) == body


def _field_text(body: dict[str, Any], field: str) -> str:
    if field == "narrative":
        return str(body["narrative"])
    if field == "reporter":
        return str(body["reporter"]["name"])
    match = re.fullmatch(r"(subjects|vehicles|phones|locations)\[(\d+)\]", field)
    assert match, field
    item = body[match[1]][int(match[2])]
    keys = {
        "subjects": ("name", "description"),
        "vehicles": ("vrm", "description"),
        "phones": ("number",),
        "locations": ("name", "address"),
    }[match[1]]
    return str(next(item[k] for k in keys if item.get(k)))


def _all_spans(truth: dict[str, Any]) -> list[dict[str, Any]]:
    spans = list(truth["mentions"])
    for section in ("vehicles", "phones", "locations"):
        for thing in truth[section]:
            spans += thing["mentions"]
    return spans


def test_every_truth_span_is_the_text_in_its_field(town: Town) -> None:
    bodies = _bodies(town)
    spans = _all_spans(town[1])
    assert len(spans) > len(bodies)
    for m in spans:
        text = _field_text(bodies[(m["agency"], m["report_id"])], m["field"])
        assert text[m["start"] : m["end"]] == m["text"], m
        if m["field"] != "narrative":
            assert (m["start"], m["end"]) == (0, len(text))


def test_disclosure_indicator_and_phrase_spans_lie_in_the_narrative(town: Town) -> None:
    bodies = _bodies(town)
    act_codes, indicator_codes = set(acts()), set(indicators())
    for r in town[1]["reports"]:
        narrative = bodies[(r["agency"], r["report_id"])]["narrative"]
        for d in r["disclosures"]:
            assert d["act"] in act_codes
            assert 0 <= d["start"] < d["end"] <= len(narrative)
        for i in r["indicators"]:
            assert i["code"] in indicator_codes
            assert 0 <= i["start"] < i["end"] <= len(narrative)
        for p in r["blaming_phrases"] + r["quoted_phrases"]:
            assert narrative[p["start"] : p["end"]] == p["phrase"]


def test_must_record_reports_carry_allowed_offences(town: Town) -> None:
    people = {p["person_id"]: p for p in town[1]["people"]}
    recorded = [r for r in town[1]["reports"] if r["must_record"]]
    assert recorded
    for r in town[1]["reports"]:
        assert r["must_record"] == bool(r["offences"])
        for o in r["offences"]:
            assert o["act_section"] in ALLOWED_SECTIONS
            assert people[o["victim"]]["kind"] == "child"
        victims_incidents = [(o["victim"], o["incident"]) for o in r["offences"]]
        assert len(victims_incidents) == len(set(victims_incidents)), (
            "one crime per victim per incident"
        )
        if r["safeguarding_only"]:
            assert not r["must_record"]


def test_offences_follow_the_childs_age(town: Town) -> None:
    people = {p["person_id"]: p for p in town[1]["people"]}
    for r in town[1]["reports"]:
        for o in r["offences"]:
            born = people[o["victim"]]["dob"]
            age = int(r["received_at"][:4]) - int(born[:4])
            if o["act_section"] in ("Sexual Offences Act 2003 s5", "Sexual Offences Act 2003 s7"):
                assert age <= 14, (r["report_id"], age)
            if o["act_section"] == "Sexual Offences Act 2003 s16":
                assert age >= 15


def test_medium_town_has_the_recording_rule_cases(medium: Town) -> None:
    reports = medium[1]["reports"]
    sections = Counter(o["act_section"] for r in reports for o in r["offences"])
    assert {
        "Sexual Offences Act 2003 s9",
        "Sexual Offences Act 2003 s5",
        "Sexual Offences Act 2003 s16",
        "Sexual Offences Act 2003 s47",
    } <= set(sections)
    assert any(r["safeguarding_only"] for r in reports)
    assert any(len({o["victim"] for o in r["offences"]}) == 2 for r in reports), (
        "two victims in one incident"
    )
    assert any(len({o["incident"] for o in r["offences"]}) >= 2 for r in reports), (
        "repeat incidents"
    )
    assert any(r["duplicate_of"] for r in reports)
    bodies = _bodies(medium)
    unwilling = [
        r
        for r in reports
        if r["must_record"] and "not want" in bodies[(r["agency"], r["report_id"])]["narrative"]
    ]
    assert unwilling, "a victim who does not want police action is still recorded"


def test_quoted_phrases_are_inside_quote_marks_and_blaming_ones_are_not(town: Town) -> None:
    bodies = _bodies(town)
    quoted = blaming = 0
    for r in town[1]["reports"]:
        narrative = bodies[(r["agency"], r["report_id"])]["narrative"]
        for p in r["quoted_phrases"]:
            assert narrative[: p["start"]].count('"') % 2 == 1, narrative
            quoted += 1
        for p in r["blaming_phrases"]:
            assert narrative[: p["start"]].count('"') % 2 == 0, narrative
            blaming += 1
    assert quoted and blaming


def test_every_language_phrase_in_a_narrative_is_in_the_truth(town: Town) -> None:
    phrases = set()
    for entry in load("language")["phrases"]:
        phrases |= {entry["phrase"], entry.get("male", entry["phrase"])}
    bodies = _bodies(town)
    for r in town[1]["reports"]:
        narrative = bodies[(r["agency"], r["report_id"])]["narrative"]
        known = {(p["start"], p["end"]) for p in r["blaming_phrases"] + r["quoted_phrases"]}
        for phrase in phrases:
            for found in re.finditer(re.escape(phrase), narrative):
                assert (found.start(), found.end()) in known, (phrase, narrative)


def test_survival_crimes_name_exploited_children_as_suspects(town: Town) -> None:
    people = {p["person_id"]: p for p in town[1]["people"]}
    for case in town[1]["survival_crimes"]:
        assert people[case["person_id"]]["exploited"]
        roles = {
            m["role"]
            for m in town[1]["mentions"]
            if (m["agency"], m["report_id"]) == (case["agency"], case["report_id"])
            and m["person_id"] == case["person_id"]
        }
        assert "suspect" in roles


def test_groups_have_members_victims_and_a_first_report(town: Town) -> None:
    truth = town[1]
    people = {p["person_id"]: p for p in truth["people"]}
    received = {(r["agency"], r["report_id"]): r["received_at"] for r in truth["reports"]}
    assert truth["groups"]
    for g in truth["groups"]:
        assert set(g["central"]) <= set(g["members"])
        assert all(
            people[m]["group"] == g["group_id"] and people[m]["kind"] == "offender"
            for m in g["members"]
        )
        assert all(people[v]["exploited"] for v in g["victims"])
        first = g["first_report"]
        assert received[(first["agency"], first["report_id"])] == first["received_at"]
        group_reports = [r for r in truth["reports"] if r["group"] == g["group_id"]]
        assert min(r["received_at"] for r in group_reports) >= first["received_at"][:10]
        assert len({r["agency"] for r in group_reports}) >= 3


def test_group_members_are_named_early(town: Town) -> None:
    """Within its first five reports a group's men are named with a car and a phone."""
    truth = town[1]
    for g in truth["groups"]:
        early = [
            (r["agency"], r["report_id"]) for r in truth["reports"] if r["group"] == g["group_id"]
        ][:5]
        named = {
            m["person_id"]
            for m in truth["mentions"]
            if (m["agency"], m["report_id"]) in early and m["person_id"] in g["members"]
        }
        cars = {
            v["vehicle_id"]
            for v in truth["vehicles"]
            for m in v["mentions"]
            if (m["agency"], m["report_id"]) in early and not m["partial"]
        }
        assert len(named) >= 2
        assert cars & set(g["vehicles"])


def test_offenders_and_everyone_else_share_one_mix_of_name_origins(medium: Town) -> None:
    people = medium[1]["people"]
    offenders = Counter(p["name_origin"] for p in people if p["kind"] == "offender")
    others = Counter(p["name_origin"] for p in people if p["kind"] != "offender")
    n_off, n_other = sum(offenders.values()), sum(others.values())
    assert n_off >= 25
    for origin in set(offenders) | set(others):
        gap = abs(offenders[origin] / n_off - others[origin] / n_other)
        assert gap <= 1.5 / n_off + 0.02, (origin, offenders, others)


def test_medium_town_has_several_groups_and_mostly_untargeted_children(medium: Town) -> None:
    people = medium[1]["people"]
    children = [p for p in people if p["kind"] == "child"]
    exploited = [p for p in children if p["exploited"]]
    assert 4 <= len(medium[1]["groups"]) <= 6
    assert 30 <= len(exploited) <= 60
    assert len(children) - len(exploited) >= 300


def test_names_are_written_in_several_ways(medium: Town) -> None:
    by_person = Counter(m["person_id"] for m in medium[1]["mentions"] if m["field"] == "narrative")
    offenders = [
        p for p in medium[1]["people"] if p["kind"] == "offender" and by_person[p["person_id"]] >= 5
    ]
    assert offenders
    assert sum(len(p["names"]) >= 3 for p in offenders) >= len(offenders) // 2


def test_duplicates_point_to_an_earlier_report_with_the_same_crimes(medium: Town) -> None:
    reports = {(r["agency"], r["report_id"]): r for r in medium[1]["reports"]}
    duplicates = [r for r in reports.values() if r["duplicate_of"]]
    assert {r["duplicate_kind"] for r in duplicates} == {"resend", "same-incident"}
    for r in duplicates:
        original = reports[(r["duplicate_of"]["agency"], r["duplicate_of"]["report_id"])]
        assert original["received_at"] <= r["received_at"]
        assert [o["incident_id"] for o in r["offences"]] == [
            o["incident_id"] for o in original["offences"]
        ]


def test_partners_reports_that_disclose_a_crime_must_be_recorded(medium: Town) -> None:
    lines, truth = medium
    types = {(b["agency"], b["id"]): b.get("agency_type") for b in lines}
    recorded_from = {
        types[(r["agency"], r["report_id"])] for r in truth["reports"] if r["must_record"]
    }
    assert {"police", "health", "voluntary", "education", "social-care"} <= recorded_from


def test_safeguarding_only_cases_are_sixteen_or_seventeen(medium: Town) -> None:
    people = {p["person_id"]: p for p in medium[1]["people"]}
    cases = [r for r in medium[1]["reports"] if r["safeguarding_only"]]
    assert cases
    for r in cases:
        for d in r["disclosures"]:
            born = people[d["victim"]]["dob"]
            assert 15 <= int(r["received_at"][:4]) - int(born[:4]) <= 18


def test_nhs_numbers_in_subjects_carry_a_valid_check_digit(medium: Town) -> None:
    numbers = [
        x["value"].replace(" ", "")
        for b in medium[0]
        for s in b.get("subjects", [])
        for x in s.get("identifiers", [])
        if x["kind"] == "nhs-number"
    ]
    assert numbers
    for number in numbers:
        total = sum(int(c) * w for c, w in zip(number[:9], range(10, 1, -1), strict=True))
        assert (11 - total % 11) % 11 == int(number[9])


def test_sim_command_writes_the_town(tmp_path: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from lantern.sim.cli import register

    app, audit_app = typer.Typer(), typer.Typer()
    app.add_typer(audit_app, name="audit")
    register(app, audit_app)
    result = CliRunner().invoke(
        app, ["sim", "--seed", "2", "--size", "small", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "Calderbridge (small, seed 2)" in result.output
    assert (tmp_path / "reports.jsonl").stat().st_size > 0
    assert json.loads((tmp_path / "truth.json").read_text())["seed"] == 2
    refused = CliRunner().invoke(app, ["sim", "--size", "huge", "--out", str(tmp_path)])
    assert refused.exit_code != 0


def _age(dob: str, on: str) -> int:
    born, day = date.fromisoformat(dob), date.fromisoformat(on[:10])
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def test_children_at_risk_or_missing_are_under_eighteen_when_reported(town: Town) -> None:
    people = {p["person_id"]: p for p in town[1]["people"]}
    received = {(r["agency"], r["report_id"]): r["received_at"] for r in town[1]["reports"]}
    for m in town[1]["mentions"]:
        if m["role"] in ("missing-person", "person-at-risk", "victim"):
            person = people[m["person_id"]]
            if person["kind"] == "child":
                assert _age(person["dob"], received[(m["agency"], m["report_id"])]) < 18, m


def test_reports_that_must_be_recorded_state_each_victims_age(town: Town) -> None:
    people = {p["person_id"]: p for p in town[1]["people"]}
    bodies = _bodies(town)
    for r in town[1]["reports"]:
        narrative = bodies[(r["agency"], r["report_id"])]["narrative"]
        for o in r["offences"]:
            ages = {_age(people[o["victim"]]["dob"], r["received_at"])}
            ages |= {a - 1 for a in ages}  # an incident before a birthday says "when she was"
            stated = {int(a) for a in re.findall(r"(?:aged |\(|was )(\d{1,2})\b", narrative)}
            assert ages & stated, (r["report_id"], narrative)


def test_same_seed_is_identical_across_processes(
    small_paths: tuple[Path, Path], tmp_path: Path
) -> None:
    """No set or dict order leaks into the files: another process, another hash seed."""
    import os
    import subprocess
    import sys

    script = "import sys; from pathlib import Path; from lantern.sim import generate_town; generate_town(11, 'small', Path(sys.argv[1]))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, env=env)
    again = (tmp_path / "reports.jsonl", tmp_path / "truth.json")
    assert [_digest(p) for p in again] == [_digest(p) for p in small_paths]
