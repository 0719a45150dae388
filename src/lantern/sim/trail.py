"""The trail one group leaves through partner agencies.

For a child a group targets: the school's and social care's concerns, the
clinic, the youth project, hotel and takeaway staff (the police's own reports
are in ``police``). ``GroupReports`` also holds what every group report needs: the
group's men, cars, phones and places, and how to pick among them.
"""

from __future__ import annotations

from datetime import date, timedelta

from lantern.sim import writing
from lantern.sim.acts import group_acts
from lantern.sim.incidents import long_date, short_date, tell_incident
from lantern.sim.narrative import Agency, Draft
from lantern.sim.scene import CLINIC, POLICE, SOCIAL_CARE, YOUTH, Scene, pronouns
from lantern.sim.world import Group, Person, Phone, Place, Vehicle


class GroupReports:
    """The group's people, cars, phones and places; the reports about its children."""

    def __init__(self, scene: Scene, group: Group) -> None:
        self.s = scene
        self.rng = scene.rng
        self.g = group
        w = scene.world
        self.members = [w.people[p] for p in group.members]
        self.central = [w.people[p] for p in group.central]
        self.victims = [w.people[p] for p in group.victims]
        self.takeaway, self.flat, self.hotel = (w.places[p] for p in group.places)
        self.cars = [w.vehicles[v] for v in group.vehicles]
        self.phones = [w.phones[t] for t in group.phones]
        self.drafts: list[Draft] = []

    # -- choosing -----------------------------------------------------------
    def man(self) -> Person:
        return self.rng.choice(self.central if self.rng.random() < 0.6 else self.members)

    def car(self) -> Vehicle:
        return self.rng.choice(self.cars)

    def place(self) -> Place:
        return self.rng.choice((self.flat, self.flat, self.takeaway, self.hotel))

    def phone_of(self, man: Person) -> Phone | None:
        return self.s.world.phones.get(man.phone or "")

    def draft(
        self,
        kind: str,
        agency: Agency,
        day: date,
        channel: str | None,
        hours: tuple[int, int] = (8, 18),
        lag_days: int = 0,
    ) -> Draft:
        """A new report about this group's activity."""
        d = self.s.draft(kind, agency, day, channel, hours, self.g.group_id, lag_days)
        self.drafts.append(d)
        return d

    def retell_to_police(
        self,
        original: Draft,
        child: Person,
        man: Person,
        when: date,
        place: Place | None,
        codes: list[str],
        teller: Person,
        where: str,
        incident_id: str,
    ) -> None:
        """The same disclosure phoned in to the police by the professional who
        heard it, in the police's words: one incident, told by two agencies."""
        rng = self.rng
        day = original.received_at.date()
        d = self.draft(
            "police-incident", POLICE, day, "101", hours=(9, 20), lag_days=rng.randint(0, 2)
        )
        d.received_at = original.received_at + timedelta(minutes=rng.randint(20, 60 * 48))
        d.duplicate_of, d.duplicate_kind = original, "same-incident"
        name = writing.full_name(rng, teller)
        d.reported_by(teller, "professional", name)
        d.say("Third-party report. ")
        d.person(teller, name, "reporter")
        d.say(f" of {where} reports that ")
        d.person(child, writing.full_name(rng, child), "victim")
        d.say(f" ({child.age_on(day)}) has disclosed that")
        tell_incident(self.s, d, child, man, when, place, 0, codes, incident_id=incident_id)
        self.s.child_subject(d, child, "victim", day)
        self.s.officer_sign(d)

    # -- one child's trail ----------------------------------------------------
    def school_concern(self, day: date, child: Person) -> None:
        rng = self.rng
        agency, school = self.s.school_of(child)
        teacher = (
            self.s.author("school:" + school.location_id)
            if ("school:" + school.location_id) in self.s.staff
            else self.s.author("cbc-social-care")
        )
        d = self.draft("school-concern", agency, day, "email")
        name = writing.full_name(rng, teacher)
        d.reported_by(teacher, "designated safeguarding lead", name)
        fill = pronouns(child)
        year = max(7, min(11, child.age_on(day) - 4))
        letter = rng.random() >= 0.5
        if not letter:
            d.say("Safeguarding concern from ")
            d.person(teacher, name, "reporter")
            d.say(f", designated safeguarding lead at {school.name}. ")
            d.person(child, writing.full_name(rng, child), "person-at-risk")
            d.say(f" (Year {year}, aged {child.age_on(day)}) ")
        else:
            d.say(f"Dear colleagues, I am writing about one of our Year {year} pupils, ")
            d.person(child, writing.full_name(rng, child), "person-at-risk")
            d.say(f" ({child.age_on(day)}). {fill['She']} ")
        with d.indicator("school-absence", child):
            d.say(f"has had {rng.randint(40, 75)}% attendance this half term")
        d.say(". ")
        with d.indicator("collected-from-home-school", child):
            d.say(
                f"{fill['She']} has been seen being collected at the school gates by an older male in a "
            )
            car = self.car()
            d.vehicle(car, f"{car.colour} {car.make}", "description")
            if rng.random() < 0.4:
                d.say(", registration ")
                d.vehicle(car, writing.partial_plate(rng, car.vrm), "partial")
        d.say(". ")
        if rng.random() < 0.6:
            with d.indicator("gifts-money", child):
                d.say(f"{fill['She']} has a new phone and expensive clothes")
            d.say(".")
        if rng.random() < 0.3:
            self.s.blaming(d, child)
        if rng.random() < 0.2:
            # A disclosure to a teacher: a third party's report of a crime.
            man, when, place = self.man(), day - timedelta(days=rng.randint(1, 10)), self.place()
            codes = group_acts(rng, child.age_on(when), when)
            d.say(f" Today {fill['she']} told {fill['poss']} form tutor that")
            incident = tell_incident(self.s, d, child, man, when, place, 0, codes)
            if incident is not None and rng.random() < 0.4:
                self.retell_to_police(
                    d, child, man, when, place, codes, teacher, school.name, incident
                )
        if letter:
            d.say(" Kind regards, ")
            d.person(teacher, name, "reporter")
            d.say(f" (DSL, {school.name})")

    def referral(self, day: date, child: Person) -> None:
        rng = self.rng
        worker = self.s.author("cbc-social-care")
        d = self.draft("referral", SOCIAL_CARE, day, "referral")
        wname = writing.full_name(rng, worker)
        d.reported_by(worker, "social worker", wname)
        fill = pronouns(child)
        if rng.random() < 0.5:
            d.say("Referral. Child: ")
            d.person(child, writing.full_name(rng, child), "person-at-risk")
            d.say(f" (DOB {short_date(child.dob)}). ")
        else:
            d.say("Contact received regarding ")
            d.person(child, writing.full_name(rng, child), "person-at-risk")
            d.say(f", born {long_date(child.dob)}. ")
        self.s.child_subject(d, child, "person-at-risk", day)
        key = "school:" + (child.school or "")
        if key in self.s.staff and rng.random() < 0.5:
            teacher = self.s.author(key)
            d.say("Referrer: ")
            d.person(teacher, writing.full_name(rng, teacher), "professional")
            d.say(f", {self.s.world.places[child.school or ''].name}. ")
        concerns = rng.sample(
            [
                "missing",
                "older-associate",
                "alcohol-drugs",
                "self-harm-mood",
                "family-estrangement",
            ],
            2,
        )
        text = {
            "missing": f"{fill['She']} has been reported missing several times this year",
            "older-associate": f"{fill['She']} is associating with men in their twenties",
            "alcohol-drugs": f"{fill['She']} has come home smelling of alcohol and cannabis",
            "self-harm-mood": f"{fill['Poss']} mood has changed and {fill['she']} has self-harmed",
            "family-estrangement": f"{fill['She']} is refusing to speak to {fill['poss']} family",
        }
        for code in concerns:
            with d.indicator(code, child):
                d.say(text[code])
            d.say(". ")
        if child.looked_after:
            with d.indicator("looked-after", child):
                d.say(f"{fill['She']} is a looked-after child")
            d.say(".")
        if rng.random() < 0.4:
            self.s.blaming(d, child)
        if rng.random() < 0.2:
            self.s.blaming(d, child, quoted=True)
        d.say(" Allocated to ")
        d.person(worker, wname, "reporter")
        d.say(" for assessment.")

    def clinic(self, day: date, child: Person) -> None:
        rng = self.rng
        nurse = self.s.author("cb-sexual-health")
        d = self.draft("clinic-referral", CLINIC, day, "referral")
        nname = writing.full_name(rng, nurse)
        d.reported_by(nurse, "sexual health nurse", nname)
        fill = pronouns(child)
        age = child.age_on(day)
        d.person(child, writing.first_name(rng, child), "person-at-risk")
        d.say(f", aged {age}, attended the clinic ")
        with d.indicator("sexual-health", child):
            d.say(
                rng.choice(
                    (
                        "for an STI screen and tested positive for chlamydia",
                        "requesting emergency contraception",
                        "for a pregnancy test, which was positive",
                    )
                )
            )
        d.say(".")
        self.s.child_subject(d, child, "person-at-risk", day)
        if rng.random() < 0.3:
            self.s.blaming(d, child)
        man = self.man()
        codes = ["penile-penetration"] + (["paying-for-sex"] if age >= 16 else [])
        d.say(f" {fill['She']} said that")
        when = day - timedelta(days=rng.randint(3, 30))
        incident = tell_incident(self.s, d, child, man, when, None, 0, codes)
        d.say(" Referred to children's social care and police. Nurse: ")
        d.person(nurse, nname, "reporter")
        d.say(".")
        if incident is not None and rng.random() < 0.5:
            self.retell_to_police(
                d, child, man, when, None, codes, nurse, "the sexual health clinic", incident
            )

    def youth_concern(self, day: date, child: Person) -> None:
        rng = self.rng
        worker = self.s.author("riverside-youth")
        d = self.draft("youth-concern", YOUTH, day, "email", hours=(15, 22))
        wname = writing.first_name(rng, worker)
        d.reported_by(worker, "youth worker", wname)
        fill = pronouns(child)
        man = self.man()
        d.person(child, writing.first_name(rng, child), "person-at-risk")
        d.say(f" ({child.age_on(day)}) came into drop-in tonight. ")
        with d.indicator("gifts-money", child):
            d.say(f"{fill['She']} had a new phone and said '")
            d.person(man, writing.informal_name(rng, man), "suspect")
            d.say(f"' got it for {fill['her']}")
        d.say(".")
        if rng.random() < 0.5:
            self.s.blaming(d, child, quoted=True)
        phone = self.phone_of(man)
        if phone is not None and rng.random() < 0.4:
            with d.indicator("phones-secretive", child):
                d.say(f" {fill['She']} kept getting calls from ")
                d.phone(phone, writing.phone_number(rng, phone.number))
                d.say(" and went outside to take them")
            d.say(".")
        with d.indicator("cars-unknown-adults", child):
            d.say(f" {fill['She']} got picked up outside by a ")
            car = next((v for v in self.cars if v.owner == man.person_id), self.car())
            d.vehicle(car, f"{car.colour} {car.make}", "description")
        d.say(". ")
        if rng.random() < 0.35:
            codes = group_acts(rng, child.age_on(day), day)
            d.say(f"Later {fill['she']} told me that")
            when, place = day - timedelta(days=rng.randint(1, 14)), self.place()
            incident = tell_incident(self.s, d, child, man, when, place, 0, codes)
            if rng.random() < 0.5:
                d.say(f" {fill['She']} does not want the police involved.")
            if incident is not None and rng.random() < 0.4:
                self.retell_to_police(
                    d, child, man, when, place, codes, worker, "Riverside Youth Project", incident
                )
        d.say(" Worried about ")
        d.say(fill["her"])
        d.say(". ")
        d.person(worker, wname, "reporter")

    def hotel_call(self, day: date, child: Person) -> None:
        rng = self.rng
        agency = self.s.business(self.hotel)
        key = "hotel:" + self.hotel.location_id
        staff = self.s.author(key) if key in self.s.staff else None
        d = self.draft("business-report", agency, day, "phone", hours=(21, 24))
        man = self.man()
        if staff is not None:
            sname = writing.full_name(rng, staff)
            d.reported_by(staff, "night manager", sname)
            d.say("Call from ")
            d.person(staff, sname, "reporter")
            d.say(", night manager. ")
        d.say(
            f"Two men booked room {rng.randint(1, 40)} tonight paying cash. The booking was in the name "
        )
        d.person(man, writing.full_name(rng, man), "suspect")
        d.say(". ")
        with d.indicator("hotels-takeaways-flats", child):
            d.say(
                f"Later a {child.girl} who looked about {child.age_on(day)} went up to the room with them"
            )
        d.say(". ")
        car = next((v for v in self.cars if v.owner == man.person_id), self.car())
        d.say("Their car in the car park is ")
        plate = (
            writing.plate(rng, car.vrm)
            if rng.random() < 0.7
            else writing.partial_plate(rng, car.vrm)
        )
        d.vehicle(
            car,
            plate,
            "full" if len(plate.replace(" ", "")) == 7 and "?" not in plate else "partial",
        )
        d.say(".")

    def takeaway_staff(self, day: date, child: Person) -> None:
        rng = self.rng
        key = "takeaway:" + self.takeaway.location_id
        staff = self.s.author(key) if key in self.s.staff else None
        d = self.draft(
            "business-report", self.s.business(self.takeaway), day, "phone", hours=(17, 24)
        )
        man = self.man()
        fill = pronouns(child)
        if staff is not None:
            sname = writing.first_name(rng, staff)
            d.reported_by(staff, "takeaway worker", sname)
            d.person(staff, sname, "reporter")
            d.say(f" from {self.takeaway.name} ringing. ")
        else:
            d.say(f"Staff member at {self.takeaway.name} ringing, did not want to give a name. ")
        with d.indicator("hotels-takeaways-flats", child):
            d.say(f"A {child.girl} about {child.age_on(day)} keeps coming in late at night with ")
            d.person(man, writing.informal_name(rng, man), "suspect")
            d.say(f", who gives {fill['her']} free food and takes {fill['her']} up to the flat")
        d.say(". ")
        if rng.random() < 0.5:
            d.say(f"{fill['She']} is called ")
            d.person(child, writing.first_name(rng, child), "person-at-risk")
            d.say(". ")
        d.say(f"Not right, {fill['she']} looks like a schoolkid.")
