"""Reading one report: what the narrative says, with spans, joined to the
structured fields."""

from __future__ import annotations

from typing import Any

from lantern.domain import Extraction, Report
from lantern.extract import extract_report


def read(narrative: str, **fields: Any) -> Extraction:
    body = {
        "id": "R1",
        "agency": "cbp",
        "received_at": "2011-04-20T12:00:00+01:00",
        "narrative": narrative,
        **fields,
    }
    return extract_report(Report.from_body(body), 1)


def person(ex: Extraction, text: str) -> Any:
    return next(p for p in ex.people if p.span.source == "narrative" and text in p.text)


def narrative_people(ex: Extraction) -> dict[str, str]:
    """Each narrative person mention's text and role."""
    return {p.text: p.role for p in ex.people if p.span.source == "narrative"}


def test_every_item_keeps_the_span_it_was_read_from() -> None:
    text = "Jade Booth (14) got into a silver Vauxhall Astra YX51 KDA outside Star Pizza on 07700 900123."
    ex = read(text)
    items = ex.people + ex.vehicles + ex.phones + ex.locations + ex.indicators
    assert items
    for item in items:
        assert text[item.span.start : item.span.end] == item.text


def test_a_described_man_keeps_his_description_age_and_sex() -> None:
    ex = read("She was collected by an older Asian male about 25, slim, with a beard.")
    man = person(ex, "Asian male")
    assert (man.age, man.sex) == (25, "M")
    assert man.description is not None and "Asian" in man.description


def test_a_nickname_after_a_description_is_one_person_with_an_alias() -> None:
    ex = read("Return interview: she stayed with a man she calls 'Mo', aged about 25, at a flat.")
    mo = person(ex, "Mo")
    assert mo.aliases == ["Mo"] or mo.name == "Mo"
    assert mo.age == 25
    assert len([p for p in ex.people if p.span.source == "narrative"]) == 1


def test_a_pupil_s_school_year_makes_her_a_child_and_the_age_beside_it_is_hers() -> None:
    ex = read(
        "Safeguarding concern from Kelly Atkinson, designated safeguarding lead at St Anne's "
        "Catholic High School. Samantha Robinson (Year 11, aged 16) has had 56% attendance "
        "this half term. Nicola Holmes (Year 9) has been seen with her."
    )
    samantha, nicola = person(ex, "Samantha Robinson"), person(ex, "Nicola Holmes")
    assert (samantha.age, samantha.role) == (16, "person-at-risk")
    assert nicola.age is None and nicola.role == "person-at-risk"
    assert person(ex, "Kelly Atkinson").age is None


def test_a_negated_act_is_not_a_disclosure() -> None:
    ex = read("Ruby Clarke (15) denies any sexual contact with the men at the flat.")
    assert ex.disclosures == []


def test_a_hypothetical_act_is_not_a_disclosure() -> None:
    ex = read(
        "Mum said that if Karl Dixon touches her daughter sexually again she will call police."
    )
    assert ex.disclosures == []


def test_in_quoted_speech_me_is_the_speaker() -> None:
    ex = read('Jade (13) said "he touched me on my breasts in the car".')
    (disclosure,) = ex.disclosures
    assert disclosure.act == "sexual-touching"
    assert disclosure.victim == person(ex, "Jade").mention_id
    assert disclosure.child_age == 13


def test_a_name_that_is_an_ordinary_word_is_a_name_only_when_written_as_one() -> None:
    ex = read(
        "There is hope that she will settle. Hope Barker, 13, was seen with Will at the park."
    )
    names = {p.name for p in ex.people}
    assert names == {"Hope Barker", "Will"}


def test_an_age_is_not_read_from_years_ago() -> None:
    ex = read("Fourteen years ago he was convicted. Now a 14 year old girl says he gave her vodka.")
    (girl,) = [p for p in ex.people if p.span.source == "narrative"]
    assert girl.age == 14
    assert [d.value.year for d in ex.dates if d.value] == [1997]


def test_each_child_of_several_gets_their_own_indicators_and_disclosures() -> None:
    ex = read(
        "Courtney (14) and Leah (13) were both missing overnight. "
        "Leah later said a man called Saj paid her £20 for sex."
    )
    courtney, leah = person(ex, "Courtney"), person(ex, "Leah (13)")
    missing = {i.child for i in ex.indicators if i.code == "missing"}
    assert missing == {courtney.mention_id, leah.mention_id}
    (paid,) = ex.disclosures
    leahs = {p.mention_id for p in ex.people if p.name == "Leah"}
    assert (paid.act, paid.payment, paid.child_age) == ("paying-for-sex", True, 13)
    assert paid.victim in leahs and len(leahs) == 2
    assert paid.offenders == [person(ex, "Saj").mention_id]


def test_separate_occasions_are_separate_incidents() -> None:
    ex = read(
        "On 3 March 2011 Ali Raza touched Maisie (13) sexually in his car. "
        "On another occasion he had sex with her at a hotel."
    )
    assert [(d.act, d.incident) for d in ex.disclosures] == [
        ("sexual-touching", 0),
        ("penile-penetration", 1),
    ]
    assert ex.disclosures[0].occurred_on is not None and ex.disclosures[0].occurred_on.day == 3


def test_a_narrative_mention_of_a_structured_subject_is_linked_to_it() -> None:
    ex = read(
        "Officers spoke to Jade BOOTH who said she had been given alcohol.",
        subjects=[
            {"ref": "s1", "role": "person-at-risk", "name": "Jade Booth", "age": 14, "sex": "F"}
        ],
    )
    structured = [p for p in ex.people if p.span.source == "subjects[0]"]
    narrative = person(ex, "Jade")
    assert structured and structured[0].span.end == len("Jade Booth")
    assert narrative.ref == "s1" and narrative.age == 14
    assert [i.child for i in ex.indicators if i.code == "alcohol-drugs"] == [narrative.mention_id]


def test_the_named_reporter_is_a_person_mention_of_the_reporter_field() -> None:
    ex = read("Loud music reported.", reporter={"role": "caller", "name": "Shannon Greenwood"})
    (reporter,) = [p for p in ex.people if p.span.source == "reporter"]
    assert (reporter.name, reporter.role) == ("Shannon Greenwood", "reporter")


def test_a_number_saved_under_a_name_is_that_person_s_phone() -> None:
    ex = read(
        "Return home interview with Gemma (16). She showed me the number she calls one of "
        "them on, 07700-900-837, saved as 'Krzys'. A man she knows as 'Krzys' took her there."
    )
    (phone,) = ex.phones
    owner = next(p for p in ex.people if p.mention_id == phone.owner)
    assert "Krzys" in owner.text
    assert owner.phones == ["+447700900837"]
    assert person(ex, "Gemma").phones == []


def test_a_subject_s_structured_phones_are_that_subject_s() -> None:
    # an intelligence record gives the suspect's mobile as a structured phone
    # with its owner, and a second one through a stated link: both are his,
    # so a child's "07700 900511, saved as 'Jimmy'" can be matched to him
    ex = read(
        "Source reports that James MERINSTEAD (45) uses two mobiles to contact the girls.",
        subjects=[
            {"ref": "s1", "role": "suspect", "name": "James MERINSTEAD", "age": 45},
            {
                "ref": "s2",
                "role": "associate",
                "name": "Jordan DEWINGROYD",
                "age": 26,
                "address": "12 Eastwood Road, CB4 2QT",
            },
        ],
        phones=[
            {"ref": "t1", "number": "+44 7700 900511", "owner_ref": "s1"},
            {"ref": "t2", "number": "07700 900512"},
            {"ref": "t3", "number": "07700 900513"},
        ],
        locations=[
            {"ref": "l1", "address": "Flat 3, 32 Beech Crescent", "postcode": "CB3 5PP"},
        ],
        links=[
            {"from": "s1", "kind": "uses-phone", "to": "t2"},
            {"from": "s1", "kind": "lives-at", "to": "l1"},
            {"from": "s2", "kind": "lives-at", "to": "l1"},
        ],
    )
    james, jordan = (p for p in ex.people if p.span.source.startswith("subjects"))
    assert james.phones == ["+447700900511", "+447700900512"]
    assert jordan.phones == []
    # a home a link gives fills an address the subject lacks, and leaves the
    # one a subject states alone
    assert (james.address, james.postcode) == ("Flat 3, 32 Beech Crescent", "CB3 5PP")
    assert (jordan.address, jordan.postcode) == ("12 Eastwood Road, CB4 2QT", "CB4 2QT")
    owners = {p.number: p.owner for p in ex.phones}
    assert owners == {
        "+447700900511": james.mention_id,
        "+447700900512": james.mention_id,
        "+447700900513": None,
    }


def test_stated_links_join_a_person_to_their_car_home_and_phone() -> None:
    ex = read(
        "Suspect Naveed Akhtar lives at 27 Mill Lane, S60 2BB, phone 07700 900321, and drives YX51 KDA."
    )
    naveed = person(ex, "Naveed")
    kinds = {link.link_kind for link in ex.links if link.source == naveed.mention_id}
    assert kinds == {"lives-at", "uses-phone", "drives"}
    assert naveed.phones == ["+447700900321"]
    assert naveed.postcode == "S60 2BB"
    assert naveed.role == "suspect"


def test_an_organisation_after_of_is_not_a_person() -> None:
    ex = read(
        "Third-party report. Benjamin Jones of Riverside Youth Project reports that "
        "Charlotte Atkinson (14) has disclosed that a man gave her vodka."
    )
    assert set(narrative_people(ex)) == {"Benjamin Jones", "Charlotte Atkinson (14)"}


def test_the_organisation_in_a_sign_off_is_not_a_person() -> None:
    ex = read(
        "Ellie (14) has been seen being collected at the school gates by an older male. "
        "Kind regards, Sophie Bottomley (DSL, Calderbridge Academy)"
    )
    assert "Calderbridge" not in " ".join(narrative_people(ex))


def test_the_owner_s_name_in_a_place_s_name_is_not_a_person() -> None:
    school = read(
        "Mark Bottomley of St Anne's Catholic High School reports that Ellie (14) is absent. "
        "Attendance officer at St Anne's Catholic High School informed."
    )
    assert set(narrative_people(school)) == {"Mark Bottomley", "Ellie (14)"}
    pizza = read(
        "Verbal dispute at Marco's Pizza between customer Kirsty HARRISON and a member of "
        "staff, Sarah, over an order."
    )
    assert set(narrative_people(pizza)) == {"Kirsty HARRISON", "Sarah"}


def test_a_person_s_possessive_before_an_ordinary_noun_stays_a_person() -> None:
    ex = read("Paige's phone was seized. Jade's mother called police.")
    assert set(narrative_people(ex)) == {"Paige", "Jade"}


def test_an_achieving_best_evidence_interview_is_not_a_person() -> None:
    ex = read(
        "Achieving Best Evidence interview with Danielle Wilson (12), accompanied by her "
        "mother Sarah."
    )
    assert set(narrative_people(ex)) == {"Danielle Wilson (12)", "her mother Sarah"}


def test_a_place_someone_was_taken_to_is_not_a_person() -> None:
    ex = read(
        "On 25 March 2011 a man she knows as 'Darren', aged about 47, took her to Golden Fry "
        "where he made her have sex with him. Kiran from Golden Fry called it in."
    )
    assert "Golden Fry" not in " ".join(narrative_people(ex))


def test_a_person_after_to_or_from_stays_a_person() -> None:
    ex = read(
        "Call from Sharmin Uddin, night manager. She went back and spoke to Anum Aslam, "
        "then reported to Sarah Holmes and spoke to Kamil Nowak."
    )
    assert set(narrative_people(ex)) == {
        "Sharmin Uddin",
        "Anum Aslam",
        "Sarah Holmes",
        "Kamil Nowak",
    }


def test_an_officer_s_name_keeps_its_accented_letters() -> None:
    ex = read("OIC PC 1188 Król. DC Oláh attended with PC 22 Zając and DS Štefan Wieczorek.")
    assert narrative_people(ex) == {
        "PC 1188 Król": "professional",
        "DC Oláh": "professional",
        "PC 22 Zając": "professional",
        "DS Štefan Wieczorek": "professional",
    }


def test_the_referrer_of_a_referral_is_a_professional() -> None:
    ex = read(
        "Referral. Child: Charlotte Atkinson (DOB 11/08/1997). Referrer: Stacy Crossley, "
        "Holmfield Community College. She is associating with men in their twenties."
    )
    assert person(ex, "Stacy Crossley").role == "professional"


def test_a_child_named_again_by_first_name_or_nickname_keeps_the_child_s_role() -> None:
    ex = read(
        "Nicola Hill (16) and Sophie Wood (14) were found with Andrew THOMPSON (33) and "
        "Gary WALKER (22). Both children disclosed that the men had had sexual intercourse "
        "with them that evening. Nicky said that Andy gave her £50 and cigarettes. "
        "Sophie said that Gary paid her £20."
    )
    roles = narrative_people(ex)
    assert roles["Nicola Hill (16)"] == roles["Nicky"] == "victim"
    assert roles["Sophie Wood (14)"] == roles["Sophie"] == "victim"
    assert roles["Andy"] == roles["Gary"] == "suspect"


def test_someone_giving_an_account_is_not_presumed_a_suspect() -> None:
    ex = read(
        "A girl aged 14 was found at the flat with older men. "
        "Rob said that she had been given vodka and cannabis there."
    )
    assert person(ex, "Rob").role == "witness"


def test_someone_named_with_the_organisation_they_work_for_is_a_professional() -> None:
    ex = read(
        "Third-party report. Benjamin Jones of Riverside Youth Project reports that "
        "Charlotte Atkinson (14) has disclosed that a man she knows as 'Ben', aged about "
        "18, took her to a flat."
    )
    assert person(ex, "Benjamin Jones").role == "professional"
    assert person(ex, "'Ben'").role == "suspect"


def test_the_word_before_a_given_name_saying_who_someone_is_is_not_their_name() -> None:
    ex = read(
        "Vehicle stop. Driver Andrew WRIGHT (43). Rear passenger Liam Holmes aged 14. "
        "Mum Sarah Holmes collected him."
    )
    driver = person(ex, "Andrew")
    assert (driver.text, driver.given_name, driver.family_name) == (
        "Andrew WRIGHT (43)",
        "Andrew",
        "WRIGHT",
    )
    assert driver.age == 43
    assert person(ex, "Sarah").given_name == "Sarah"


def test_a_described_child_who_looked_an_age_is_the_child_not_the_man_named_before() -> None:
    ex = read(
        "Call from the night manager. Two men booked room 39 tonight paying cash. The booking "
        "was in the name Kevin Greenwood. Later a girl who looked about 12 went up to the "
        "room with them."
    )
    girl = person(ex, "a girl")
    assert (girl.age, girl.sex, girl.role) == (12, "F", "person-at-risk")
    assert person(ex, "Kevin Greenwood").role == "suspect"


def test_a_pronoun_stands_for_the_sentences_subject_not_a_name_within_it() -> None:
    # "She" after the sentence naming Habibur is Denisa, who got the phone
    ex = read(
        "Denisa (16) came into drop-in tonight. She had a new phone and said 'Habibur' "
        "got it for her. She kept getting calls from 07700900930."
    )
    assert person(ex, "Habibur").sex is None
    # ... as it is where the name comes after another in its own sentence
    ex = read("Denisa (16) said 'Habibur' got it for her. She kept getting calls.")
    assert person(ex, "Habibur").sex is None
    # a name alone in its sentence, then "He": him
    ex = read("Officers spoke to Zorvan Hale at the address. He was cooperative.")
    assert person(ex, "Zorvan").sex == "M"
