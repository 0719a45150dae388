"""The picture's algorithms on small, hand-built evidence: groups, priority,
risk and alert rules (no store; the stage's tests cover reading and writing)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from lantern.network.alerts import evaluate, load_rules
from lantern.network.evidence import (
    DisclosureSeen,
    Evidence,
    IndicatorSeen,
    LinkSeen,
    MentionRef,
    ReportInfo,
)
from lantern.network.graph import build_edges
from lantern.network.groups import detect
from lantern.network.priority import priorities
from lantern.network.risk import risks
from lantern.network.stage import weights

START = datetime(2005, 1, 1, tzinfo=UTC)


class Town:
    """Builds Evidence report by report."""

    def __init__(self) -> None:
        self.ev = Evidence()
        self.n = 0

    def report(
        self,
        agency: str = "syp",
        days: int = 0,
        suspects: tuple[str, ...] = (),
        children: tuple[str, ...] = (),
        objects: tuple[str, ...] = (),
        indicators: tuple[tuple[str, str] | tuple[str, str, str], ...] = (),
        act: str | None = None,
        grading: float = 0.42,
    ) -> str:
        self.n += 1
        key = f"{agency}/R{self.n:04d}"
        self.ev.reports[key] = ReportInfo(key, agency, START + timedelta(days=days), grading)
        i = 0
        for s in suspects:
            i += 1
            self.ev.mentions.append(MentionRef(f"{key}#p{i}", s, "person", key, "suspect"))
            self.ev.entity_kinds[s] = "person"
        for c in children:
            i += 1
            self.ev.mentions.append(MentionRef(f"{key}#p{i}", c, "person", key, "victim"))
            self.ev.entity_kinds[c] = "person"
            self.ev.children.add(c)
        for o in objects:
            i += 1
            kind = o.split(":")[0]
            self.ev.mentions.append(MentionRef(f"{key}#o{i}", o, kind, key, None))
            self.ev.entity_kinds[o] = kind
        for child, code, *episode in indicators:
            self.ev.indicators.append(IndicatorSeen(key, child, code, *episode))
        if act:
            self.ev.disclosures.append(DisclosureSeen(key, act, children[0], tuple(suspects)))
        return key


def two_gangs() -> Town:
    t = Town()
    a = ("person:a1", "person:a2", "person:a3")
    b = ("person:b1", "person:b2", "person:b3")
    for d in range(0, 120, 10):
        t.report("syp", d, a[:2], ("person:ca1",), ("location:takeaway",))
        t.report("social-care", d + 3, a[1:], ("person:ca2",), ("vehicle:astra",))
        t.report("syp", d + 5, b[:2], ("person:cb1",), ("location:flat",))
        t.report("youth", d + 7, (b[0], b[2]), ("person:cb2",))
    t.report("syp", 50, ("person:lone",), ("person:cx",))
    t.report("syp", 60, ("person:lone",))
    return t


def _partition(groups: list) -> set[frozenset[str]]:
    return {frozenset(g.members) for g in groups}


def test_suspects_reported_together_with_children_form_groups() -> None:
    ev = two_gangs().ev
    w = weights()
    groups = detect(ev, w["groups"], w["graph"])
    assert _partition(groups) == {
        frozenset({"person:a1", "person:a2", "person:a3"}),
        frozenset({"person:b1", "person:b2", "person:b3"}),
    }
    a = next(g for g in groups if "person:a1" in g.members)
    assert a.victims == ["person:ca1", "person:ca2"]
    assert a.places == ["location:takeaway"] and a.vehicles == ["vehicle:astra"]
    assert a.central == ["person:a2"]  # the one named in both kinds of report
    assert a.agencies == ["social-care", "syp"]
    assert a.first_seen == START


def test_a_lone_suspect_is_no_group() -> None:
    ev = two_gangs().ev
    w = weights()
    members = {m for g in detect(ev, w["groups"], w["graph"]) for m in g.members}
    assert "person:lone" not in members


def test_groups_do_not_depend_on_what_people_are_called() -> None:
    ev = two_gangs().ev
    w = weights()
    ids = sorted(ev.entity_kinds)
    shuffled = ids[:]
    random.Random(3).shuffle(shuffled)
    rename = {
        a: b.split(":")[0] + ":x" + b.split(":")[1] for a, b in zip(ids, shuffled, strict=True)
    }
    rename = {a: f"{a.split(':')[0]}:{rename[a].split(':')[1]}" for a in ids}
    twin = Evidence(
        reports=ev.reports,
        mentions=[
            MentionRef(m.mention_id, rename[m.entity_id], m.kind, m.report, m.role)
            for m in ev.mentions
        ],
        entity_kinds={rename[e]: k for e, k in ev.entity_kinds.items()},
        children={rename[c] for c in ev.children},
        indicators=[IndicatorSeen(i.report, rename[i.child], i.code) for i in ev.indicators],
    )
    original = _partition(detect(ev, w["groups"], w["graph"]))
    renamed = _partition(detect(twin, w["groups"], w["graph"]))
    assert {frozenset(rename[m] for m in g) for g in original} == renamed


def test_a_group_keeps_its_id_as_it_grows() -> None:
    t = two_gangs()
    w = weights()
    before = detect(t.ev, w["groups"], w["graph"])
    t.report("syp", 200, ("person:a1", "person:a4"), ("person:ca1",))
    t.report("syp", 201, ("person:a4", "person:a2"), ("person:ca1",))
    after = detect(t.ev, w["groups"], w["graph"], {g.group_id: set(g.members) for g in before})
    grown = next(g for g in after if "person:a1" in g.members)
    assert "person:a4" in grown.members
    assert grown.group_id == next(g.group_id for g in before if "person:a1" in g.members)


def test_edges_weigh_graded_reports_and_keep_their_dates_and_agencies() -> None:
    t = Town()
    t.report("syp", 0, ("person:s",), ("person:c",), grading=1.0)
    t.report("social-care", 30, ("person:s",), ("person:c",), grading=0.42)
    t.ev.links.append(LinkSeen("syp/R0001", "person:s", "vehicle:v", "drives"))
    t.ev.links.append(LinkSeen("social-care/R0002", "person:t", "vehicle:v", "drives"))
    t.ev.entity_kinds.update({"vehicle:v": "vehicle", "person:t": "person"})
    edges = build_edges(t.ev, weights()["graph"])
    co = edges[("person:c", "person:s", "co-mention")]
    assert co.weight == 1.42
    assert co.agencies == {"syp", "social-care"}
    assert co.first_seen == START and co.last_seen == START + timedelta(days=30)
    assert ("person:s", "vehicle:v", "stated:drives") in edges
    assert ("person:s", "person:t", "shared-vehicle") in edges


def test_priority_rises_with_agencies_and_children_and_falls_with_action() -> None:
    t = Town()
    one = [t.report("syp", d, ("person:s1",), ("person:c1",)) for d in (0, 10, 20)]
    for d, agency, child in (
        (0, "syp", "person:c2"),
        (10, "social-care", "person:c3"),
        (20, "health", "person:c4"),
    ):
        t.report(agency, d, ("person:s2",), (child,))
    scores = priorities(t.ev, weights()["priority"])
    assert scores["person:s2"].score > scores["person:s1"].score
    assert "by 3 agencies (health, social-care, syp)" in scores["person:s2"].reasons
    assert sorted(scores["person:s1"].reports) == sorted(one)
    before = scores["person:s1"].score
    t.ev.actioned_reports.update(one)
    after = priorities(t.ev, weights()["priority"])["person:s1"]
    assert after.score < before
    assert "0 of 3 reports led to no action or recorded crime" in after.reasons


def test_serious_disclosures_raise_priority() -> None:
    t = Town()
    t.report("syp", 0, ("person:s1",), ("person:c1",), act="sexual-communication")
    t.report("syp", 0, ("person:s2",), ("person:c2",), act="penile-penetration")
    scores = priorities(t.ev, weights()["priority"])
    assert scores["person:s2"].score > scores["person:s1"].score
    assert "most serious act disclosed: penile-penetration" in scores["person:s2"].reasons


def test_child_risk_weighs_indicators_across_agencies_and_time() -> None:
    t = Town()
    c_many, c_one = "person:c-many", "person:c-one"
    for d, agency in ((0, "syp"), (30, "social-care"), (60, "youth")):
        t.report(
            agency,
            d,
            (),
            (c_many,),
            indicators=((c_many, "missing"), (c_many, "cars-unknown-adults")),
        )
    t.report("education", 0, (), (c_one,), indicators=((c_one, "school-absence"),))
    scored = risks(t.ev, weights()["risk"])
    assert scored[c_many].level == "high"
    assert scored[c_one].level == "low"
    assert "indicator missing in 3 reports (2005-01-01 to 2005-03-02)" in scored[c_many].reasons
    assert len(scored[c_many].reports) == 3


def test_a_missing_episode_counts_once_however_many_reports_tell_of_it() -> None:
    # the police report of each episode, and the return interview after it
    # ("following her missing episode on ...") from social care or the youth
    # project: two episodes, not four reports from three agencies
    t = Town()
    child = "person:c"
    for d, day in ((0, "2005-01-01"), (40, "2005-02-10")):
        t.report("syp", d, (), (child,), indicators=((child, "missing", day),))
        interviewer = "social-care" if d == 0 else "youth"
        t.report(interviewer, d + 2, (), (child,), indicators=((child, "missing", day),))
    score = risks(t.ev, weights()["risk"])[child]
    assert score.reasons == ["indicator missing in 2 reports (2005-01-01 to 2005-02-10)"]
    assert score.level == "low"
    # the same four reports, each its own episode: a pattern across agencies
    counted = Town()
    for d, agency in ((0, "syp"), (2, "social-care"), (40, "syp"), (42, "youth")):
        counted.report(agency, d, (), (child,), indicators=((child, "missing"),))
    assert risks(counted.ev, weights()["risk"])[child].level == "medium"
    # an interview that finds more than the episode still counts for what it found
    t.report("youth", 43, (), (child,), indicators=((child, "older-associate"),))
    assert (
        "indicators reported by 2 agencies (syp, youth)"
        in risks(t.ev, weights()["risk"])[child].reasons
    )


def test_a_disclosure_against_a_child_puts_them_at_high_risk() -> None:
    t = Town()
    key = t.report("syp", 0, ("person:s",), ("person:c",), act="sexual-touching")
    score = risks(t.ev, weights()["risk"])["person:c"]
    assert score.level == "high"
    assert score.reports == [key]


def test_children_without_indicators_are_not_scored() -> None:
    t = Town()
    t.report("syp", 0, (), ("person:c",))
    assert risks(t.ev, weights()["risk"]) == {}


def test_alert_rules_name_subjects_reasons_and_reports() -> None:
    t = two_gangs()
    w = weights()
    groups = detect(t.ev, w["groups"], w["graph"])
    prio = priorities(t.ev, w["priority"])
    risk = risks(t.ev, w["risk"], {v for g in groups for v in g.victims})
    found = evaluate(t.ev, prio, risk, groups, load_rules())
    kinds = {a.kind for a in found}
    assert {"group-emerging", "subject-no-action"} <= kinds
    emerging = [a for a in found if a.kind == "group-emerging"]
    assert len(emerging) == 2
    for a in emerging:
        assert a.subjects[0].startswith("group:") and len(a.subjects) == 4
        assert a.reports and a.reasons
    lone = [a for a in found if a.subjects == ["person:lone"]]
    assert lone and lone[0].kind == "subject-no-action"


def test_a_suspect_whose_reports_led_to_action_is_not_alerted() -> None:
    t = Town()
    reps = [t.report("syp", d, ("person:s",), ("person:c",)) for d in (0, 5)]
    t.ev.actioned_reports.update(reps)
    found = evaluate(t.ev, priorities(t.ev, weights()["priority"]), {}, [], load_rules())
    assert not [a for a in found if a.kind == "subject-no-action"]
