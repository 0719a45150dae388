"""The agencies of the town and what every story needs: clocks, authors, drafts.

Each agency has its own code, type and report-id prefix; professionals write
for one agency. ``Scene`` is handed to every story writer.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta, timezone

from lantern.sim import writing
from lantern.sim.narrative import Agency, Draft
from lantern.sim.vocab import load
from lantern.sim.world import Person, Place, World

POLICE = Agency("cbp", "police", "CBP-INC")
INTEL = Agency("cbp", "police", "CBP-INT")
MISSING = Agency("cbp", "police", "CBP-MFH")
SOCIAL_CARE = Agency("cbc-social-care", "social-care", "CSC")
CLINIC = Agency("cb-sexual-health", "health", "SHC")
YOUTH = Agency("riverside-youth", "voluntary", "RYP")
PUBLIC = Agency("public", "public", "PUB")

BST = timezone(timedelta(hours=1))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


def uk_offset(moment: datetime) -> timezone:
    """British Summer Time runs from the last Sunday of March to the last Sunday of October."""

    def last_sunday(month: int) -> date:
        d = date(moment.year, month, 31)
        return d - timedelta(days=(d.weekday() + 1) % 7)

    return BST if last_sunday(3) <= moment.date() < last_sunday(10) else UTC


class Scene:
    """The world, the dice, and who writes for which agency."""

    def __init__(self, rng: random.Random, world: World) -> None:
        self.rng = rng
        self.world = world
        self.staff: dict[str, list[Person]] = {}
        for p in sorted(world.of_kind("professional"), key=lambda p: p.person_id):
            self.staff.setdefault(p.agency or "", []).append(p)
        self._incidents = 0
        self._streets: list[str] = list(load("town")["streets"])

    # -- time ---------------------------------------------------------------
    def at(self, day: date, hours: tuple[int, int] = (8, 18)) -> datetime:
        """A moment on ``day`` between the hours given (local time, with its offset)."""
        low, high = hours
        minute = self.rng.randint(low * 60, high * 60 - 1) % (24 * 60)
        naive = datetime(day.year, day.month, day.day, minute // 60, minute % 60)
        return naive.replace(tzinfo=uk_offset(naive))

    def clamp(self, day: date) -> date:
        return min(max(day, self.world.start), self.world.end)

    def world_streets(self) -> list[str]:
        return self._streets

    def incident_id(self) -> str:
        """A town-wide identifier for one incident (one crime per victim per incident)."""
        self._incidents += 1
        return f"E{self._incidents:06d}"

    # -- authors ------------------------------------------------------------
    def author(self, agency_key: str) -> Person:
        return self.rng.choice(self.staff[agency_key])

    def school_of(self, child: Person) -> tuple[Agency, Place]:
        place = self.world.places[child.school or ""]
        return Agency(slug(place.name), "education", "SCH"), place

    def business(self, place: Place) -> Agency:
        return Agency(slug(place.name), "business", "BUS")

    def draft(
        self,
        kind: str,
        agency: Agency,
        day: date,
        channel: str | None,
        hours: tuple[int, int] = (8, 18),
        group: str | None = None,
        lag_days: int = 0,
    ) -> Draft:
        """A new report received ``lag_days`` after ``day``, about events on ``day``."""
        received = self.clamp(day + timedelta(days=lag_days))
        return Draft(
            kind=kind,
            agency=agency,
            received_at=self.at(received, hours),
            channel=channel,
            occurred=day,
            group=group,
        )

    # -- how people are written ---------------------------------------------
    def officer_sign(self, d: Draft) -> None:
        """A police officer signs the log: ``PC 2231 Walker``."""
        officer = self.author("cbp")
        text = f"PC {officer.collar} {officer.surname.name}"
        officer.names_used.add(text)
        d.say(" OIC ")
        d.person(officer, text, "reporter" if d.reporter is None else "professional")
        d.say(".")
        if d.reporter is None:
            d.reported_by(officer, "police officer", text)

    def child_subject(self, d: Draft, child: Person, role: str, on: date, full: bool = True) -> str:
        """A child as a structured subject: name, date of birth or age, address."""
        rng = self.rng
        name = writing.full_name(rng, child) if full else writing.first_name(rng, child)
        fields: dict[str, object] = {"sex": child.sex}
        if rng.random() < 0.7:
            fields["dob"] = writing.written_dob(rng, child.dob)
        else:
            fields["age"] = child.age_on(on)
        if rng.random() < 0.6 and child.home:
            fields["address"] = self.world.places[child.home].address
        if d.agency.agency_type in ("health", "social-care") and rng.random() < 0.6:
            fields["identifiers"] = [{"kind": "nhs-number", "value": writing.nhs_number(child)}]
        return d.subject(child, role, name, **fields)

    def adult_subject(self, d: Draft, man: Person, role: str, on: date, named: bool = True) -> str:
        """An adult as a structured subject: police-style name, or a description only."""
        rng = self.rng
        if not named:
            return d.subject(
                man, role, None, description=writing.description(rng, man, on), sex=man.sex
            )
        fields: dict[str, object] = {"sex": man.sex}
        if rng.random() < 0.6:
            fields["dob"] = writing.written_dob(rng, man.dob)
        else:
            fields["age"] = man.age_on(on)
        if man.first.nicknames and rng.random() < 0.4:
            fields["aliases"] = [writing.nickname(rng, man)]
        # Men in the groups, and about one adult in seven, have a police record.
        known = man.kind == "offender" or int(man.person_id[1:]) % 7 == 0
        if known and d.agency.agency_type == "police" and rng.random() < 0.5:
            fields["identifiers"] = [{"kind": "pnc-id", "value": writing.pnc_id(man)}]
        return d.subject(man, role, writing.police_name(rng, man), **fields)

    def blaming(self, d: Draft, child: Person, quoted: bool = False) -> bool:
        """A sentence of blaming language about ``child``: in the author's own
        voice, or (``quoted``) inside someone else's quoted words. False when
        no phrase has a quoted form and ``quoted`` was asked."""
        entries = [
            e
            for e in load("language")["phrases"]
            if (not quoted or e.get("quoted"))
            and (child.looked_after or not e.get("looked_after_only"))
            and (not e.get("under_16_only") or child.age_on(d.received_at.date()) < 16)
        ]
        if not entries:
            return False
        entry = self.rng.choice(entries)
        phrase = entry.get("male", entry["phrase"]) if child.sex == "M" else entry["phrase"]
        template = self.rng.choice(entry["quoted" if quoted else "author"])
        before, after = template.split("{phrase}")
        fill = pronouns(child)
        d.say(" " + before.format(**fill))
        (d.quote if quoted else d.blame)(phrase)
        d.say(after.format(**fill))
        return True


def pronouns(p: Person) -> dict[str, str]:
    """Template fillers for a child's pronouns."""
    girl = p.sex == "F"
    she = "she" if girl else "he"
    poss = "her" if girl else "his"
    return {
        "she": she,
        "She": she.capitalize(),
        "her": "her" if girl else "him",
        "poss": poss,
        "Poss": poss.capitalize(),
        "herself": "herself" if girl else "himself",
    }
