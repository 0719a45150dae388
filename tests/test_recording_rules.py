"""The Counting Rules as Lantern proposes them, one test per row of the age/act
table in shared/docs/domain.md, built from hand-made disclosures so the rules
are tested apart from the extractor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest

from lantern.domain import Disclosure, Extraction, PersonMention, Span
from lantern.recording.catalogue import load
from lantern.recording.rules import age_at_act, propose

RECEIVED = datetime(2018, 6, 1, 10, 0, tzinfo=UTC)


def child(mid: str = "c1", age: int | None = None, sex: str = "F", **kw: Any) -> PersonMention:
    return PersonMention(mid, "Amy Smith", Span(0, 9), role="victim", sex=sex, age=age, **kw)


def act(code: str, victim: str | None = "c1", **facts: Any) -> Disclosure:
    """A disclosed act against ``victim`` by a named offender (``o1``)."""
    facts.setdefault("offenders", ["o1"])
    return Disclosure(code, code, Span(10, 20), victim=victim, **facts)


def crimes(*disclosures: Disclosure, people: list[PersonMention] | None = None, **kw: Any):
    extraction = Extraction(
        "syp", "INC-1", 1, "test", people=people or [child()], disclosures=list(disclosures)
    )
    return propose(extraction, received_at=kw.get("received_at", RECEIVED), narrative="x" * 40)


def sections(*disclosures: Disclosure, **kw: Any) -> list[str]:
    return [c.offence.act_section for c in crimes(*disclosures, **kw).crimes]


ROWS = [
    ("under-13 penile penetration", act("penile-penetration", child_age=12), "s5"),
    ("under-13 other penetration", act("other-penetration", child_age=11), "s6"),
    ("under-13 sexual touching", act("sexual-touching", child_age=12), "s7"),
    ("under-13 causing or inciting", act("causing-inciting", child_age=10), "s8"),
    ("under-16 intercourse, adult offender", act("penile-penetration", child_age=14), "s9"),
    (
        "under-16 touching, adult offender",
        act("sexual-touching", child_age=15, offender_age=30),
        "s9",
    ),
    ("under-16 causing or inciting", act("causing-inciting", child_age=14), "s10"),
    ("under-16 activity in presence", act("activity-in-presence", child_age=14), "s11"),
    ("under-16 causing to watch", act("causing-to-watch", child_age=15), "s12"),
    ("under-16 arranging or facilitating", act("arranging-facilitating", child_age=14), "s14"),
    ("under-16 meeting after grooming", act("meeting-after-grooming", child_age=13), "s15"),
    (
        "under-16 sexual communication",
        act("sexual-communication", child_age=14, online=True),
        "s15A",
    ),
    (
        "under-18 position of trust",
        act("sexual-touching", child_age=17, position_of_trust=True, consent_stated=True),
        "s16",
    ),
    (
        "under-18 paying for sexual services",
        act("paying-for-sex", child_age=17, payment=True),
        "s47",
    ),
    ("under-18 sexual exploitation", act("exploitation", child_age=16), "s48"),
    ("offender under 18, s9 conduct", act("sexual-touching", child_age=14, offender_age=16), "s13"),
]


@pytest.mark.parametrize(("disclosure", "section"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_each_row_of_the_age_act_table_gives_its_sexual_offences_act_section(
    disclosure: Disclosure, section: str
) -> None:
    assert sections(disclosure) == [f"Sexual Offences Act 2003 {section}"]


def test_taking_a_child_under_16_is_child_abduction() -> None:
    assert sections(act("taking-child", child_age=14, taking_child=True)) == [
        "Child Abduction Act 1984 s2"
    ]


def test_indecent_images_of_a_child_under_18() -> None:
    assert sections(act("indecent-images", child_age=17)) == ["Protection of Children Act 1978 s1"]


def test_trafficking_at_any_age_is_modern_slavery_once_in_force() -> None:
    assert sections(act("trafficking", child_age=19)) == ["Modern Slavery Act 2015 s2"]


def test_trafficking_before_the_modern_slavery_act_is_the_2003_act_offence() -> None:
    found = sections(act("trafficking", child_age=15, occurred_on=date(2010, 3, 1)))
    assert found == ["Sexual Offences Act 2003 s58"]


def test_sexual_communication_before_s15a_was_in_force_is_not_proposed_as_s15a() -> None:
    proposal = crimes(act("sexual-communication", child_age=14, occurred_on=date(2016, 5, 1)))
    assert proposal.crimes == []
    assert any("not in force" in n for n in proposal.notes)


def test_consensual_activity_at_16_or_17_is_no_crime_but_a_safeguarding_concern() -> None:
    proposal = crimes(act("penile-penetration", child_age=16, consent_stated=True))
    assert proposal.crimes == []
    assert len(proposal.concerns) == 1
    assert "safeguarding" in proposal.concerns[0].text


def test_payment_makes_16_17_activity_a_crime_even_with_consent_stated() -> None:
    assert sections(act("penile-penetration", child_age=17, consent_stated=True, payment=True)) == [
        "Sexual Offences Act 2003 s47"
    ]


def test_consent_is_irrelevant_under_16() -> None:
    assert sections(act("penile-penetration", child_age=15, consent_stated=True)) == [
        "Sexual Offences Act 2003 s9"
    ]


def test_under_13_rape_code_depends_on_the_childs_sex() -> None:
    girl = crimes(act("penile-penetration", child_age=12)).crimes[0]
    boy = crimes(act("penile-penetration", child_age=12), people=[child(sex="M")]).crimes[0]
    assert girl.offence.code(girl.victim_sex) == "19E"
    assert boy.offence.code(boy.victim_sex) == "19H"


def test_a_victim_who_does_not_want_police_action_is_still_a_crime() -> None:
    narrative = "Amy (14) says she does not want police involvement and will not make a statement."
    extraction = Extraction(
        "syp",
        "INC-2",
        1,
        "t",
        people=[child()],
        disclosures=[act("penile-penetration", child_age=14)],
    )
    proposal = propose(extraction, received_at=RECEIVED, narrative=narrative)
    assert [c.offence.act_section for c in proposal.crimes] == ["Sexual Offences Act 2003 s9"]


def test_a_third_party_report_from_a_youth_worker_is_recorded() -> None:
    extraction = Extraction(
        "youth-project",
        "YP-1",
        1,
        "t",
        people=[child()],
        disclosures=[act("sexual-touching", child_age=13)],
    )
    proposal = propose(
        extraction, received_at=RECEIVED, narrative="A youth worker reports what Amy told her."
    )
    assert len(proposal.crimes) == 1


def test_an_account_given_as_a_relationship_is_still_a_crime() -> None:
    narrative = "Amy, 14, says the 24-year-old is her boyfriend and they are in a relationship."
    extraction = Extraction(
        "syp",
        "INC-3",
        1,
        "t",
        people=[child()],
        disclosures=[act("penile-penetration", child_age=14, offender_age=24)],
    )
    proposal = propose(extraction, received_at=RECEIVED, narrative=narrative)
    assert [c.offence.act_section for c in proposal.crimes] == ["Sexual Offences Act 2003 s9"]


def test_two_victims_in_one_incident_are_two_crimes() -> None:
    people = [child("c1"), child("c2")]
    proposal = crimes(
        act("sexual-touching", victim="c1", child_age=14),
        act("sexual-touching", victim="c2", child_age=12),
        people=people,
    )
    assert sorted((c.victim, c.offence.act_section) for c in proposal.crimes) == [
        ("c1", "Sexual Offences Act 2003 s9"),
        ("c2", "Sexual Offences Act 2003 s7"),
    ]


def test_repeat_incidents_against_one_child_are_separate_crimes() -> None:
    proposal = crimes(
        act("sexual-touching", child_age=14, incident=0),
        act("sexual-touching", child_age=14, incident=1),
    )
    assert [c.incident for c in proposal.crimes] == [0, 1]


def test_one_victim_one_incident_counts_only_the_principal_crime() -> None:
    proposal = crimes(
        act("sexual-touching", child_age=12),
        act("penile-penetration", child_age=12),
        act("indecent-images", child_age=12),
    )
    assert len(proposal.crimes) == 1
    crime = proposal.crimes[0]
    assert crime.offence.act_section == "Sexual Offences Act 2003 s5"
    assert "Protection of Children Act 1978 s1" in crime.also_considered
    assert any(r.fact == "principal_crime" for r in crime.reasons)


def test_age_at_the_time_of_the_act_decides_from_date_of_birth() -> None:
    # 13 at the report, but 12 when it happened
    disclosure = act("penile-penetration", child_dob=date(2005, 3, 1), occurred_on=date(2018, 1, 5))
    assert sections(disclosure) == ["Sexual Offences Act 2003 s5"]
    assert age_at_act(disclosure, None, RECEIVED.date())[0] == 12


def test_age_at_the_act_is_worked_back_from_age_at_report() -> None:
    victim = child(age=14)
    disclosure = act("penile-penetration", occurred_on=date(2016, 2, 1))
    assert age_at_act(disclosure, victim, date(2018, 6, 1))[0] == 12
    assert sections(disclosure, people=[victim]) == ["Sexual Offences Act 2003 s5"]


def test_proposals_carry_the_facts_and_spans_they_rest_on() -> None:
    narrative = "aged 12 raped her"
    disclosure = Disclosure(
        "penile-penetration",
        "raped",
        Span(8, 13),
        victim="c1",
        child_age=12,
        facts={"act": Span(8, 13), "child_age": Span(0, 7)},
    )
    extraction = Extraction("syp", "R", 1, "t", people=[child()], disclosures=[disclosure])
    crime = propose(extraction, received_at=RECEIVED, narrative=narrative).crimes[0]
    by_fact = {r.fact: r for r in crime.reasons}
    assert (by_fact["act"].text, by_fact["act"].span) == ("raped", Span(8, 13))
    assert by_fact["child_age"].text == "aged 12"


@dataclass(frozen=True, slots=True)
class NegatedDisclosure(Disclosure):
    """A disclosure as the extractor marks one that says an act did not happen."""

    negated: bool = True


def test_a_disclosure_marked_negated_is_not_proposed() -> None:
    disclosure = NegatedDisclosure(
        "penile-penetration", "not raped", Span(0, 9), victim="c1", child_age=12
    )
    extraction = Extraction("syp", "R", 1, "t", people=[child()], disclosures=[disclosure])
    assert propose(extraction, received_at=RECEIVED).crimes == []


def test_unknown_age_is_proposed_with_a_note_to_check_it() -> None:
    proposal = crimes(act("sexual-touching"))
    assert len(proposal.crimes) == 1
    assert any("age is not stated" in n for n in proposal.notes)


def test_unknown_age_with_payment_proposes_the_offence_that_holds_at_any_child_age() -> None:
    proposal = crimes(act("penile-penetration", payment=True))
    assert [c.offence.act_section for c in proposal.crimes] == ["Sexual Offences Act 2003 s47"]
    assert any("any age under 18" in n for n in proposal.notes)


def test_controlling_and_arranging_exploitation_are_s49_and_s50() -> None:
    control = Disclosure(
        "exploitation",
        "kept her phone and decided which men",
        Span(0, 5),
        victim="c1",
        offenders=["o1"],
        child_age=16,
    )
    arranging = Disclosure(
        "exploitation",
        "arranged for other men to have sex with her",
        Span(0, 5),
        victim="c1",
        offenders=["o1"],
        child_age=16,
    )
    assert sections(control) == ["Sexual Offences Act 2003 s49"]
    assert sections(arranging) == ["Sexual Offences Act 2003 s50"]
    assert sections(act("arranging-facilitating", child_age=17)) == ["Sexual Offences Act 2003 s50"]


def test_an_adult_victim_is_outside_the_child_catalogue_and_left_to_a_person() -> None:
    proposal = crimes(act("penile-penetration", child_age=19))
    assert proposal.crimes == []
    assert "adult" in proposal.concerns[0].text


def test_exploitation_with_no_one_named_as_exploiting_is_a_concern_not_a_crime() -> None:
    proposal = crimes(act("exploitation", child_age=15, offenders=[]))
    assert proposal.crimes == []
    assert "no one named" in proposal.concerns[0].text


def test_a_position_of_trust_needs_an_offender_in_it() -> None:
    # "School nurse reports that..." is the reporter's position, not an offender's
    nobody = act("penile-penetration", child_age=16, position_of_trust=True, offenders=[])
    assert crimes(nobody).crimes == []


def test_a_position_of_trust_stated_once_holds_for_the_same_offenders_other_acts() -> None:
    proposal = crimes(
        act("penile-penetration", child_age=16, position_of_trust=True, incident=0),
        act("penile-penetration", child_age=16, incident=1),
    )
    assert [c.offence.act_section for c in proposal.crimes] == ["Sexual Offences Act 2003 s16"] * 2


def test_money_the_offender_took_from_other_men_is_not_paying_for_sex() -> None:
    narrative = "he arranged for other men to have sex with her and took money from them"
    start = narrative.index("money")
    facts = {"payment": Span(start, start + 5)}
    arranging = act("arranging-facilitating", child_age=16, payment=True, facts=facts)
    extraction = Extraction("syp", "R", 1, "t", people=[child()], disclosures=[arranging])
    proposal = propose(extraction, received_at=RECEIVED, narrative=narrative)
    assert [c.offence.act_section for c in proposal.crimes] == ["Sexual Offences Act 2003 s50"]
    assert any("not paying for sex" in n for n in proposal.notes)


def test_every_act_code_has_rules_in_the_catalogue() -> None:
    from importlib import resources

    import yaml

    acts = yaml.safe_load(resources.files("lantern.data").joinpath("acts.yaml").read_text())
    assert {a["code"] for a in acts["acts"]} <= set(load().rules)
