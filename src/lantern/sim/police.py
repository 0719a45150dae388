"""What the police record about a group's children.

The nights officers find children at the group's flat and nobody discloses
anything; disclosures to the police (at the station, by a parent's or social
worker's call, in a video-recorded interview); survival crimes in which the
exploited child is the one arrested; and the night two children are found
together and both disclose (two victims, one incident, two crimes).
"""

from __future__ import annotations

from datetime import date, timedelta

from lantern.sim import writing
from lantern.sim.acts import act, group_acts, principal_offence
from lantern.sim.incidents import tell_incident
from lantern.sim.scene import POLICE, pronouns
from lantern.sim.trail import GroupReports
from lantern.sim.world import Person


class PoliceReports(GroupReports):
    """The police's reports about a group's children."""

    def flat_visit(self, day: date, children: list[Person]) -> None:
        """Officers find children at the group's flat; nobody discloses anything."""
        rng = self.rng
        d = self.draft("police-incident", POLICE, day, "101", hours=(21, 24))
        men = rng.sample(self.members, min(2, len(self.members)))
        d.say("Call from a neighbour about young people coming and going from ")
        d.place(self.flat, self.flat.name)
        d.say(". Officers attended and found ")
        for i, child in enumerate(children):
            if i:
                d.say(" and " if i == len(children) - 1 else ", ")
            d.person(child, writing.full_name(rng, child), "person-at-risk")
            d.say(f" ({child.age_on(day)})")
            self.s.child_subject(d, child, "person-at-risk", day)
        d.say(" with ")
        for i, man in enumerate(men):
            if i:
                d.say(" and ")
            d.person(man, writing.police_name(rng, man), "associate")
            d.say(f" ({man.age_on(day)})")
            self.s.adult_subject(d, man, "associate", day)
        d.say(". ")
        with d.indicator("alcohol-drugs", children[0]):
            d.say("There was alcohol in the flat")
        d.say(". All said they were friends and nothing was happening. Children taken home.")
        if rng.random() < 0.3:
            self.s.blaming(d, children[0])
        self.s.officer_sign(d)

    def police_disclosure(self, day: date, child: Person) -> None:
        rng = self.rng
        d = self.draft("police-incident", POLICE, day, rng.choice(("101", "101", "999", "walk-in")))
        fill = pronouns(child)
        age = child.age_on(day)
        carer = self.s.world.people.get(child.carer or "")
        if carer is None or child.looked_after:
            carer = self.s.author("cbc-social-care")
            relation, carer_role = "social worker", "professional"
        else:
            relation = "mother" if carer.sex == "F" else "father"
            carer_role = "witness"
        style = rng.random()
        if style < 0.45:
            d.person(child, writing.full_name(rng, child), "victim")
            d.say(f", aged {age}, attended the police station with {fill['poss']} {relation} ")
            d.person(carer, writing.full_name(rng, carer), carer_role)
            d.say(" and disclosed the following.")
        elif style < 0.75:
            # A third party's call: still a report of a crime to be recorded.
            d.channel = "101"
            d.say("Call from ")
            d.person(carer, writing.full_name(rng, carer), "reporter")
            d.say(f", {fill['poss']} {relation}. ")
            d.person(child, writing.first_name(rng, child), "victim")
            d.say(
                f" ({age}) has told {'her' if carer.sex == 'F' else 'him'} what has been happening."
            )
            d.reported_by(carer, relation, writing.full_name(rng, carer))
        else:
            d.channel = "video-interview"
            d.say("Achieving Best Evidence interview with ")
            d.person(child, writing.full_name(rng, child), "victim")
            d.say(f" ({age}), accompanied by {fill['poss']} {relation} ")
            d.person(carer, writing.first_name(rng, carer), carer_role)
            d.say(".")
        self.s.child_subject(d, child, "victim", day)
        men = rng.sample(self.members, min(len(self.members), rng.choice((1, 1, 2))))
        incidents = rng.choice((1, 1, 2, 3))
        when = day - timedelta(days=rng.randint(1, 60))
        for i in range(incidents):
            man = men[i % len(men)]
            tell_incident(
                self.s,
                d,
                child,
                man,
                when,
                self.place(),
                i,
                group_acts(rng, child.age_on(when), when),
                inline=False,
            )
            when += timedelta(days=rng.randint(3, 30))
            if when >= day:
                break
        for man in men:
            self.s.adult_subject(d, man, "suspect", day, named=rng.random() < 0.5)
        phone = self.phone_of(men[0])
        if phone is not None and rng.random() < 0.4:
            d.say(f" {fill['Poss']} phone shows frequent contact with ")
            d.phone(phone, writing.phone_number(rng, phone.number))
            d.say(".")
        if rng.random() < 0.3:
            d.say(f" {fill['She']} describes ")
            d.person(men[0], writing.informal_name(rng, men[0]), "suspect")
            d.say(' as "my ')
            d.quote("boyfriend")
            d.say('" and says they are in a relationship.')
        if rng.random() < 0.2:
            with d.indicator("injuries", child):
                d.say(f" {fill['She']} had bruising to {fill['poss']} arms")
            d.say(".")
        if rng.random() < 0.35:
            d.say(f" {fill['She']} does not want to support police action at this time.")
        self.s.officer_sign(d)

    def survival_crime(self, day: date, child: Person) -> None:
        rng = self.rng
        d = self.draft("police-incident", POLICE, day, "999", hours=(18, 24))
        fill = pronouns(child)
        man = self.man()
        d.person(child, writing.full_name(rng, child), "suspect")
        d.say(f" ({child.age_on(day)}) arrested for ")
        roll = rng.random()
        self.s.child_subject(d, child, "suspect", day)
        if roll < 0.4:
            d.say("criminal damage after smashing a window at ")
            d.place(self.flat, self.flat.name)
            d.say(".")
        elif roll < 0.7:
            d.say("shoplifting alcohol from a shop on ")
            d.say(rng.choice(self.s.world_streets()))
            d.say(".")
        else:
            d.say("assault. It is alleged that ")
            d.say(fill["she"])
            d.say(" hit ")
            d.person(man, writing.police_name(rng, man), "victim")
            d.say(f", aged {man.age_on(day)}, at ")
            d.place(self.flat, self.flat.name)
            d.say(".")
            self.s.adult_subject(d, man, "victim", day)
        d.survival.append(child.person_id)
        if rng.random() < 0.5:
            d.say(f" In interview {fill['she']} said that")
            tell_incident(
                self.s,
                d,
                child,
                man,
                day - timedelta(days=rng.randint(0, 3)),
                self.flat,
                0,
                ["taking-child", "penile-penetration"],
            )
        if rng.random() < 0.3:
            self.s.blaming(d, child)
        self.s.officer_sign(d)

    def two_children_found(self, day: date, a: Person, b: Person) -> None:
        rng = self.rng
        d = self.draft("police-incident", POLICE, day, "999", hours=(21, 24))
        m1, m2 = rng.sample(self.members, 2) if len(self.members) > 1 else (self.members[0],) * 2
        d.say("Officers attended ")
        d.place(self.flat, self.flat.name)
        d.say(" following a call from a neighbour. ")
        d.person(a, writing.full_name(rng, a), "victim")
        d.say(f" ({a.age_on(day)}) and ")
        d.person(b, writing.full_name(rng, b), "victim")
        d.say(f" ({b.age_on(day)}) were found with ")
        d.person(m1, writing.police_name(rng, m1), "suspect")
        d.say(f" ({m1.age_on(day)}) and ")
        d.person(m2, writing.police_name(rng, m2), "suspect")
        d.say(f" ({m2.age_on(day)}). ")
        start = d.pos
        d.say(
            "Both children disclosed that the men had had sexual intercourse with them that evening."
        )
        end = d.pos
        incident = self.s.incident_id()
        for child in (a, b):
            fill = pronouns(child)
            acts = [act(rng, "penile-penetration", fill)]
            d.disclosures.append(
                {"act": "penile-penetration", "victim": child.person_id, "start": start, "end": end}
            )
            if child.age_on(day) >= 16:
                d.say(" ")
                d.person(child, writing.first_name(rng, child), "victim")
                d.say(" said that ")
                d.person(m1, writing.informal_name(rng, m1), "suspect")
                d.say(" ")
                paid = act(rng, "paying-for-sex", fill)
                with d.disclosure(paid.act, child):
                    d.say(paid.text)
                d.say(".")
                acts.append(paid)
            section = principal_offence(acts, child.age_on(day), day)
            if section is not None:
                d.offence(section, child, 0, incident)
            self.s.child_subject(d, child, "victim", day)
        for man in (m1, m2):
            self.s.adult_subject(d, man, "suspect", day)
        self.s.officer_sign(d)
