"""Routine reports: the bulk of what agencies send, about the same people.

Noise complaints, damage-only collisions, concerns for welfare, youths in the
park, suspicious vehicles, disputes at takeaways, school absence for illness,
family-support requests, innocent missing episodes. None discloses a crime that
the offence catalogue covers; some name the groups' men, cars and children in
passing, as real records do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from itertools import accumulate

from lantern.sim import writing
from lantern.sim.missing import missing_episode
from lantern.sim.narrative import Draft
from lantern.sim.scene import POLICE, PUBLIC, SOCIAL_CARE, Scene, pronouns
from lantern.sim.world import Person, Place, Vehicle


class Routine:
    """Writes routine reports on random days across the period."""

    def __init__(self, scene: Scene) -> None:
        self.s = scene
        self.rng = scene.rng
        w = scene.world
        self.adults = sorted(
            (p for p in w.people.values() if p.kind in ("adult", "offender")),
            key=lambda p: p.person_id,
        )
        self.children = sorted(w.of_kind("child"), key=lambda p: p.person_id)
        self.vehicles = sorted(w.vehicles.values(), key=lambda v: v.vehicle_id)
        self.takeaways = sorted(
            (p for p in w.places.values() if p.kind == "takeaway"), key=lambda p: p.location_id
        )
        self.parks = sorted(
            (p for p in w.places.values() if p.kind == "park"), key=lambda p: p.location_id
        )
        self.days = (w.end - w.start).days
        self.kinds: list[tuple[float, Callable[[date], list[Draft]]]] = [
            (0.16, self.noise),
            (0.12, self.collision),
            (0.10, self.welfare),
            (0.12, self.youths),
            (0.10, self.suspicious_vehicle),
            (0.08, self.takeaway_dispute),
            (0.08, self.lost_property),
            (0.10, self.school_absence),
            (0.06, self.family_support),
            (0.08, self.innocent_missing),
            (0.06, self.suspicious_person),
        ]

    def write(self, count: int) -> list[Draft]:
        drafts: list[Draft] = []
        cumulative = list(accumulate(w for w, _ in self.kinds))
        writers = [f for _, f in self.kinds]
        while len(drafts) < count:
            day = self.s.world.start + timedelta(days=self.rng.randint(0, self.days))
            writer = self.rng.choices(writers, cum_weights=cumulative)[0]
            drafts += writer(day)
        return drafts

    # -- helpers ------------------------------------------------------------
    def adult(self) -> Person:
        return self.rng.choice(self.adults)

    def child_on(self, day: date) -> Person | None:
        for _ in range(20):
            c = self.rng.choice(self.children)
            # Still a child a week later, when the last report about the day arrives.
            if c.age_on(day) >= 10 and c.age_on(day + timedelta(days=7)) <= 17:
                return c
        return None

    def police(self, day: date, channel: str = "101") -> Draft:
        return self.s.draft("routine-incident", POLICE, day, channel, hours=(7, 24))

    def street(self) -> str:
        return self.rng.choice(self.s.world_streets())

    def address_of(self, p: Person) -> Place:
        return self.s.world.places[p.home or ""]

    def car_text(self, d: Draft, v: Vehicle) -> None:
        d.say(f"{v.colour} {v.make} {v.model} ")
        d.vehicle(v, writing.plate(self.rng, v.vrm))

    # -- kinds --------------------------------------------------------------
    def noise(self, day: date) -> list[Draft]:
        d = self.police(day)
        caller, other = self.adult(), self.adult()
        name = writing.full_name(self.rng, caller)
        d.reported_by(caller, "caller", name)
        d.say("Caller ")
        d.person(caller, name, "reporter")
        d.say(" reports loud music from ")
        d.place(self.address_of(other), self.address_of(other).address)
        d.say(". Officers attended and spoke to the occupant ")
        d.person(other, writing.police_name(self.rng, other), "other")
        d.say(", who turned it down. No offences.")
        self.s.adult_subject(d, other, "other", day)
        return [d]

    def collision(self, day: date) -> list[Draft]:
        d = self.police(day)
        v1, v2 = self.rng.sample(self.vehicles, 2)
        d.say(f"Damage-only collision on {self.street()}. ")
        for v in (v1, v2):
            self.car_text(d, v)
            owner = self.s.world.people.get(v.owner or "")
            if owner is not None:
                d.say(" driven by ")
                d.person(owner, writing.police_name(self.rng, owner), "other")
                d.say(f" ({owner.age_on(day)})")
                s_owner = self.s.adult_subject(d, owner, "other", day)
                s_car = d.vehicle_field(v, v.vrm, make=v.make, model=v.model, colour=v.colour)
                d.link(s_owner, s_car, "drives")
            d.say(". ")
        d.say("No injuries; details exchanged.")
        return [d]

    def welfare(self, day: date) -> list[Draft]:
        d = self.police(day)
        caller, other = self.rng.sample(self.adults, 2)
        name = writing.full_name(self.rng, caller)
        d.reported_by(caller, "neighbour", name)
        d.say("Concern for welfare. ")
        d.person(caller, name, "reporter")
        d.say(" has not seen neighbour ")
        d.person(other, writing.some_name(self.rng, other), "other")
        d.say(
            f" ({other.age_on(day)}) for several days. Officers attended; {'he' if other.sex == 'M' else 'she'} was safe and well."
        )
        return [d]

    def youths(self, day: date) -> list[Draft]:
        a, b = self.child_on(day), self.child_on(day)
        if a is None or b is None or a is b:
            return []
        d = self.police(day)
        park = self.rng.choice(self.parks)
        d.say("Report of youths causing a nuisance at ")
        d.place(park, park.name)
        d.say(". Officers spoke to ")
        d.person(a, writing.full_name(self.rng, a), "other")
        d.say(f" ({a.age_on(day)}) and ")
        d.person(b, writing.first_name(self.rng, b), "other")
        d.say(f" ({b.age_on(day)}) and sent them home.")
        self.s.officer_sign(d)
        return [d]

    def suspicious_vehicle(self, day: date) -> list[Draft]:
        v = self.rng.choice(self.vehicles)
        d = self.s.draft("public-report", PUBLIC, day, "online-form", hours=(7, 24))
        d.reporter = {"anonymous": True}
        d.say(f"A {v.colour} {v.make} ")
        if self.rng.random() < 0.5:
            d.vehicle(v, writing.partial_plate(self.rng, v.vrm), "partial")
        else:
            d.vehicle(v, writing.plate(self.rng, v.vrm))
        d.say(
            f" has been parked on {self.street()} with the engine running for an hour. Probably nothing but thought I should say."
        )
        return [d]

    def suspicious_person(self, day: date) -> list[Draft]:
        """A description instead of a name, as the public give them."""
        d = self.s.draft("public-report", PUBLIC, day, "online-form", hours=(7, 24))
        d.reporter = {"anonymous": True}
        p = self.adult()
        d.say(f"Suspicious person on {self.street()} trying car door handles: ")
        d.person(p, writing.description(self.rng, p, day), "suspect")
        d.say(". Walked off towards the town centre.")
        return [d]

    def takeaway_dispute(self, day: date) -> list[Draft]:
        d = self.police(day)
        place = self.rng.choice(self.takeaways)
        customer, staff = self.rng.sample(self.adults, 2)
        d.say("Verbal dispute at ")
        d.place(place, place.name)
        d.say(" between customer ")
        d.person(customer, writing.police_name(self.rng, customer), "other")
        d.say(" and a member of staff, ")
        d.person(staff, writing.first_name(self.rng, staff), "other")
        d.say(", over an order. Words of advice given.")
        d.location_field(place)
        return [d]

    def lost_property(self, day: date) -> list[Draft]:
        d = self.police(day, "online-form")
        p = self.adult()
        name = writing.full_name(self.rng, p)
        d.reported_by(p, "owner", name)
        d.person(p, name, "reporter")
        d.say(
            f" reports losing a {self.rng.choice(('wallet', 'phone', 'bag', 'set of keys'))} in the town centre."
        )
        if p.phone and self.rng.random() < 0.5:
            t = self.s.world.phones[p.phone]
            text = writing.phone_number(self.rng, t.number)
            d.say(" Contact on ")
            d.phone(t, text)
            d.say(".")
            d.phone_field(t, text, owner_ref=self.s.adult_subject(d, p, "reporter", day))
        return [d]

    def school_absence(self, day: date) -> list[Draft]:
        child = self.child_on(day)
        if child is None or child.school is None:
            return []
        agency, school = self.s.school_of(child)
        d = self.s.draft("school-concern", agency, day, "email")
        fill = pronouns(child)
        d.person(child, writing.full_name(self.rng, child), "other")
        d.say(" ")
        with d.indicator("school-absence", child):
            d.say(f"has been absent for {self.rng.randint(3, 10)} days")
        reason = self.rng.choice(
            (
                f"; {fill['poss']} parent reports {fill['she']} has glandular fever",
                f"; {fill['she']} is caring for a younger sibling while {fill['poss']} parent is in hospital",
                f"; {fill['she']} says {fill['she']} is being bullied and the school is addressing it",
                "; family holiday taken in term time",
            )
        )
        d.say(reason + f". Attendance officer at {school.name} informed.")
        return [d]

    def family_support(self, day: date) -> list[Draft]:
        child = self.child_on(day)
        if child is None or child.carer is None:
            return []
        carer = self.s.world.people[child.carer]
        d = self.s.draft("referral", SOCIAL_CARE, day, "referral")
        d.say("Request for early help. ")
        d.person(carer, writing.full_name(self.rng, carer), "other")
        d.say(" has asked for support with housing and parenting ")
        d.person(child, writing.first_name(self.rng, child), "other")
        d.say(f" ({child.age_on(day)}). No safeguarding concerns. Signposted to the family hub.")
        self.s.child_subject(d, child, "other", day)
        return [d]

    def innocent_missing(self, day: date) -> list[Draft]:
        child = self.child_on(day)
        if child is None:
            return []
        return missing_episode(self.s, child, day, None)


def routine_reports(scene: Scene, count: int) -> list[Draft]:
    """About ``count`` routine reports."""
    return Routine(scene).write(count)
