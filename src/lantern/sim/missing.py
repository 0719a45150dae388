"""A child reported missing, and the return interview when the child comes back.

Most missing episodes are innocent (a friend's house, a grandparent's, lost
track of time); for an exploited child the report and the interview carry the
indicators, sometimes blaming language, and sometimes a disclosure.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from lantern.sim import writing
from lantern.sim.acts import group_acts
from lantern.sim.incidents import long_date, short_date, tell_incident
from lantern.sim.narrative import Draft
from lantern.sim.scene import MISSING, SOCIAL_CARE, YOUTH, Scene, pronouns
from lantern.sim.world import Person

if TYPE_CHECKING:
    from lantern.sim.exploitation import GroupStory

INNOCENT = (
    "had been at a friend's house and had not told anyone",
    "had gone to {poss} grandmother's after an argument at home",
    "had lost track of time at a party and {poss} phone had run out of charge",
    "had stayed at a cousin's house in another town",
    "had been at the cinema and missed the last bus",
)


def missing_episode(
    scene: Scene, child: Person, day: date, story: GroupStory | None = None
) -> list[Draft]:
    """The missing-person report and, usually, its return interview."""
    drafts = [_missing_report(scene, child, day, story)]
    if scene.rng.random() < 0.85:
        drafts.append(
            _return_interview(
                scene, child, day + timedelta(days=scene.rng.randint(1, 4)), day, story
            )
        )
    return drafts


def _missing_report(scene: Scene, child: Person, day: date, story: GroupStory | None) -> Draft:
    rng = scene.rng
    group = story.g.group_id if story else None
    d = scene.draft("missing-report", MISSING, day, "101", hours=(18, 24), group=group)
    fill = pronouns(child)
    if rng.random() < 0.6:
        d.person(child, writing.full_name(rng, child), "missing-person")
        d.say(f" ({child.age_on(day)}) ")
        with d.indicator("missing", child):
            d.say("reported missing")
        d.say(" by ")
    else:
        d.say("MISSING CHILD. ")
        d.person(child, writing.police_name(rng, child), "missing-person")
        d.say(f", {child.age_on(day)} yrs, ")
        with d.indicator("missing", child):
            d.say("has not come home")
        d.say(". Reported by ")
    carer = scene.world.people.get(child.carer or "")
    if child.looked_after or carer is None:
        home = scene.world.places[child.home or ""]
        d.say("staff at ")
        d.place(home, home.name)
        d.reported_by(None, "residential care staff")
    else:
        name = writing.full_name(rng, carer)
        d.say(f"{fill['poss']} {'mother' if carer.sex == 'F' else 'father'} ")
        d.person(carer, name, "reporter")
        d.reported_by(carer, "parent", name)
    d.say(f" at {rng.randint(19, 23)}:{rng.randint(0, 59):02d}. ")
    s_child = scene.child_subject(d, child, "missing-person", day)
    phone = scene.world.phones.get(child.phone or "")
    if phone is not None and rng.random() < 0.6:
        text = writing.phone_number(rng, phone.number)
        d.say(f"{fill['Poss']} mobile ")
        d.phone(phone, text)
        d.say(" is going to voicemail. ")
        d.link(s_child, d.phone_field(phone, text, owner_ref=s_child), "uses-phone")
    if story is not None:
        with d.indicator("missing", child):
            d.say(
                f"This is the {rng.choice(('third', 'fourth', 'fifth', 'sixth'))} time {fill['she']} has been missing this year"
            )
        d.say(". ")
        if rng.random() < 0.6:
            car = story.car()
            with d.indicator("cars-unknown-adults", child):
                d.say(f"{fill['She']} was last seen getting into a ")
                d.vehicle(car, f"{car.colour} {car.make} {car.model}", "description")
                d.say(" with older males")
            d.say(". ")
        if rng.random() < 0.3:
            scene.blaming(d, child)
        d.say(
            f" {fill['She']} returned home at {rng.randint(1, 5)}:{rng.randint(0, 59):02d} and would not say where {fill['she']} had been."
        )
    else:
        d.say(f"Believed to be with friends. Found safe later that night; {fill['she']} ")
        d.say(rng.choice(INNOCENT).format(**fill))
        d.say(".")
    scene.officer_sign(d)
    return d


def _return_interview(
    scene: Scene, child: Person, day: date, missing_day: date, story: GroupStory | None
) -> Draft:
    rng = scene.rng
    agency, key = (
        (SOCIAL_CARE, "cbc-social-care") if rng.random() < 0.6 else (YOUTH, "riverside-youth")
    )
    group = story.g.group_id if story else None
    d = scene.draft("return-interview", agency, day, "missing-return-interview", group=group)
    d.occurred = missing_day
    worker = scene.author(key)
    wname = writing.full_name(rng, worker)
    d.reported_by(worker, "social worker" if agency is SOCIAL_CARE else "youth worker", wname)
    fill = pronouns(child)
    if rng.random() < 0.6:
        d.say("Return home interview with ")
        d.person(child, writing.first_name(rng, child), "missing-person")
        d.say(
            f" ({child.age_on(day)}) following {fill['poss']} missing episode on {long_date(missing_day)}. "
        )
    else:
        d.say(f"RHI completed {short_date(day)}. Young person: ")
        d.person(child, writing.full_name(rng, child), "missing-person")
        d.say(f", aged {child.age_on(day)}, missing {short_date(missing_day)}. ")
    if story is None:
        d.say(f"{fill['She']} said {fill['she']} ")
        d.say(rng.choice(INNOCENT).format(**fill))
        d.say(". No concerns identified. Advice given about keeping in touch.")
    else:
        man = story.man()
        with d.indicator("hotels-takeaways-flats", child):
            d.say(
                f"{fill['She']} said {fill['she']} had been at a flat with friends and some older men"
            )
        d.say(". ")
        if rng.random() < 0.5:
            with d.indicator("alcohol-drugs", child):
                d.say(f"{fill['She']} was given vodka and cannabis there")
            d.say(". ")
        if rng.random() < 0.3:
            scene.blaming(d, child, quoted=True)
        phone = story.phone_of(man)
        if phone is not None and rng.random() < 0.35:
            d.say(f" {fill['She']} showed me the number {fill['she']} calls one of them on, ")
            d.phone(phone, writing.phone_number(rng, phone.number))
            d.say(", saved as '")
            d.person(man, writing.informal_name(rng, man), "suspect")
            d.say("'.")
        if rng.random() < 0.3:
            codes = group_acts(rng, child.age_on(missing_day), missing_day)
            d.say(f" {fill['She']} disclosed that")
            place = story.place()
            incident = tell_incident(scene, d, child, man, missing_day, place, 0, codes)
            if rng.random() < 0.5:
                d.say(f" {fill['She']} does not want police action.")
            if incident is not None and rng.random() < 0.4:
                where = (
                    "children's social care" if agency is SOCIAL_CARE else "Riverside Youth Project"
                )
                story.retell_to_police(
                    d, child, man, missing_day, place, codes, worker, where, incident
                )
        else:
            d.say(f" {fill['She']} would not say who the men were.")
        if rng.random() < 0.3:
            scene.blaming(d, child)
    d.say(" Interview completed by ")
    d.person(worker, wname, "reporter")
    d.say(".")
    return d
