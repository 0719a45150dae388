"""How one abusive incident is told inside a report, with its spans and its crime.

Shared by every story that carries a disclosure (police, return interviews,
clinics, youth workers): the date, the man as the child knows him and his age,
the place, the acts in neutral words, and the principal offence recorded for
the child (one crime per victim per incident).
"""

from __future__ import annotations

from datetime import date

from lantern.sim import writing
from lantern.sim.acts import act, principal_offence
from lantern.sim.narrative import Draft
from lantern.sim.scene import Scene, pronouns
from lantern.sim.world import Person, Place


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def name_the_man(scene: Scene, d: Draft, man: Person, day: date, child: Person) -> None:
    """The man as a child knows him: a nickname with an age, a first name, or a description."""
    rng = scene.rng
    roll = rng.random()
    she = pronouns(child)["she"]
    if roll < 0.55:
        d.say(f"a man {she} knows as '")
        d.person(man, writing.informal_name(rng, man), "suspect")
        d.say(f"', aged about {writing.about_age(rng, man, day)},")
    elif roll < 0.8:
        d.say("a man called ")
        d.person(man, writing.first_name(rng, man), "suspect")
        d.say(f", who {she} thinks is about {writing.about_age(rng, man, day)},")
    else:
        d.say(f"a man {she} did not know, described as ")
        d.person(man, writing.description(rng, man, day), "suspect")
        d.say(",")


def tell_incident(
    scene: Scene,
    d: Draft,
    child: Person,
    man: Person,
    day: date,
    place: Place | None,
    incident: int,
    codes: list[str],
    trust: bool = False,
    inline: bool = True,
    named: bool = False,
    incident_id: str | None = None,
) -> str | None:
    """One incident: ``On 3 May 2011 a man she knows as 'Mo', aged about 25, took her
    to Flat 2, 14 Moor Street where he had sexual intercourse with her and paid her £20.``
    Records each act's disclosure span and the principal offence; returns it."""
    rng = scene.rng
    fill = pronouns(child)
    acts = [act(rng, code, fill) for code in codes]
    on = "on" if inline else "On"
    d.say(f" {on} {long_date(day) if rng.random() < 0.6 else short_date(day)} ")
    age_then = child.age_on(day)
    if age_then != child.age_on(d.received_at.date()):
        d.say(f"(when {fill['she']} was {age_then}) ")
    if named:
        d.say("he")
    else:
        name_the_man(scene, d, man, day, child)
    if place is not None:
        d.say(f" took {fill['her']} to ")
        d.place(place, place.name)
        d.say(" where he ")
    else:
        d.say(" ")
    for i, a in enumerate(acts):
        if i:
            d.say(" and " if i == len(acts) - 1 else ", ")
        with d.disclosure(a.act, child):
            d.say(a.text)
    d.say(".")
    section = principal_offence(acts, child.age_on(day), day, trust)
    if section is None:
        return None
    incident_id = incident_id or scene.incident_id()
    d.offence(section, child, incident, incident_id)
    return incident_id
