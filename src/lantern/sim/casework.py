"""Cases outside the groups: lone offenders and lawful teenage relationships.

A residential care worker abusing a position of trust (s16), an adult grooming
a child online (s15, s15A from 2017, or inciting and images before it), a
family friend touching a child under 13 (s7) - and 16-17 year olds in
consensual relationships with no payment or position of trust, which are no
offence but a safeguarding concern.
"""

from __future__ import annotations

from datetime import date, timedelta

from lantern.sim import writing
from lantern.sim.incidents import tell_incident
from lantern.sim.narrative import Draft
from lantern.sim.offences import offence_for
from lantern.sim.scene import POLICE, SOCIAL_CARE, Scene, pronouns
from lantern.sim.world import Person

SEXUAL_COMMUNICATION_FROM = date(2017, 4, 3)


def lone_offender_cases(scene: Scene) -> list[Draft]:
    rng = scene.rng
    drafts: list[Draft] = []
    children = sorted(
        (p for p in scene.world.of_kind("child") if not p.exploited), key=lambda p: p.person_id
    )
    for i, pid in enumerate(scene.world.lone_offenders):
        man = scene.world.people[pid]
        kind = ("trust", "online", "family")[i % 3]
        ages = {"trust": (16, 17), "online": (13, 15), "family": (9, 12)}[kind]
        for _ in range(50):
            day = scene.world.start + timedelta(
                days=rng.randint(60, (scene.world.end - scene.world.start).days - 30)
            )
            child = rng.choice(children)
            if ages[0] <= child.age_on(day) <= ages[1]:
                break
        else:
            continue
        drafts.append(_lone_case(scene, kind, man, child, day))
    return drafts


def _lone_case(scene: Scene, kind: str, man: Person, child: Person, day: date) -> Draft:
    rng = scene.rng
    d = scene.draft("police-incident", POLICE, day, "101")
    fill = pronouns(child)
    age = child.age_on(day)
    d.person(child, writing.full_name(rng, child), "victim")
    d.say(f", aged {age}, ")
    scene.child_subject(d, child, "victim", day)
    if kind == "trust":
        man.job = "residential care worker"
        d.say("disclosed to a teacher that ")
        d.person(man, writing.full_name(rng, man), "suspect")
        d.say(
            f", a residential care worker at the children's home where {fill['she']} lives, aged {man.age_on(day)},"
        )
        when = day - timedelta(days=rng.randint(20, 60))
        for i in range(rng.choice((1, 2))):
            d.say(" " if i == 0 else ". ")
            with d.disclosure("penile-penetration", child):
                d.say(
                    f"had sexual intercourse with {fill['her']}"
                    if i == 0
                    else f"He had sexual intercourse with {fill['her']} again"
                )
            d.say(f" on {when.day} {when:%B %Y}")
            section = offence_for(
                "penile-penetration", child.age_on(when), when, "position-of-trust"
            )
            if section is not None:
                d.offence(section, child, i, scene.incident_id())
            when += timedelta(days=rng.randint(5, 20))
        d.say(".")
    elif kind == "online":
        d.say("told " + fill["poss"] + " mother that a man calling himself '")
        d.person(man, writing.first_name(rng, man), "suspect")
        d.say(f"', who said he was {man.age_on(day)},")
        if day >= SEXUAL_COMMUNICATION_FROM and rng.random() < 0.5:
            codes = ["sexual-communication"]
        else:
            codes = ["causing-inciting"]
        d.say(" has been contacting " + fill["her"] + " online.")
        tell_incident(
            scene,
            d,
            child,
            man,
            day - timedelta(days=rng.randint(1, 20)),
            None,
            0,
            codes,
            inline=False,
            named=True,
        )
        if rng.random() < 0.5:
            d.say(" He then")
            with d.disclosure("meeting-after-grooming", child):
                d.say(f" travelled to Calderbridge to meet {fill['her']}")
            d.say(f" on {day:%d/%m/%Y}.")
            d.offence("Sexual Offences Act 2003 s15", child, 1, scene.incident_id())
    else:
        d.say("disclosed to " + fill["poss"] + " mother that a family friend, ")
        d.person(man, writing.full_name(rng, man), "suspect")
        d.say(f", aged {man.age_on(day)}, had been looking after {fill['her']}.")
        tell_incident(
            scene,
            d,
            child,
            man,
            day - timedelta(days=rng.randint(1, 10)),
            None,
            0,
            ["sexual-touching"],
            inline=False,
            named=True,
        )
    scene.adult_subject(d, man, "suspect", day)
    scene.officer_sign(d)
    return d


def consensual_teenagers(scene: Scene, count: int) -> list[Draft]:
    """16-17 year olds in consensual relationships: safeguarding only, no crime."""
    rng = scene.rng
    drafts: list[Draft] = []
    children = sorted(
        (p for p in scene.world.of_kind("child") if not p.exploited), key=lambda p: p.person_id
    )
    for _ in range(count):
        for _ in range(50):
            child, partner = rng.sample(children, 2)
            day = scene.world.start + timedelta(
                days=rng.randint(30, (scene.world.end - scene.world.start).days - 10)
            )
            if (
                16 <= child.age_on(day) <= 17
                and 16 <= partner.age_on(day) <= 17
                and child.sex != partner.sex
            ):
                break
        else:
            continue
        d = scene.draft("referral", SOCIAL_CARE, day, "referral")
        worker = scene.author("cbc-social-care")
        wname = writing.full_name(rng, worker)
        d.reported_by(worker, "social worker", wname)
        fill = pronouns(child)
        d.say("School nurse reports that ")
        d.person(child, writing.full_name(rng, child), "person-at-risk")
        d.say(f", aged {child.age_on(day)}, is in a relationship with ")
        d.person(partner, writing.full_name(rng, partner), "other")
        d.say(f", aged {partner.age_on(day)}, and that ")
        with d.disclosure("penile-penetration", child):
            d.say("they have had sexual intercourse")
        d.say(
            f". {fill['She']} says this is consensual; there is no suggestion of payment, pressure or a position of trust."
            " Advice given on sexual health. No further action beyond universal services."
        )
        scene.child_subject(d, child, "person-at-risk", day)
        d.safeguarding_only = True
        drafts.append(d)
    return drafts
