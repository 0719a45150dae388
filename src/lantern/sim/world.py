"""The simulated town's world: its people, vehicles, phones, places and groups.

Built once from a seeded ``random.Random``; reports are then written about it
(``stories``, ``routine``). Every origin allocation uses the same weights for
every kind of person, so offenders and everyone else share one mix of names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from lantern.sim import surnames
from lantern.sim.vocab import Name, Origin, load, origins

KINDS = ("child", "offender", "adult", "professional")


@dataclass
class Person:
    person_id: str
    kind: str
    sex: str
    dob: date
    origin: str
    first: Name
    surname: Name
    appearance: str
    build: str
    hair: str
    exploited: bool = False
    group: str | None = None
    central: bool = False
    home: str | None = None  # location_id
    school: str | None = None  # location_id
    looked_after: bool = False
    phone: str | None = None  # phone_id
    job: str | None = None  # professionals: "police officer", "social worker"…
    agency: str | None = None  # professionals: the agency code they write for
    collar: str | None = None  # police officers
    carer: str | None = None  # children: a parent's person_id
    names_used: set[str] = field(default_factory=set)

    @property
    def full_name(self) -> str:
        return f"{self.first.name} {self.surname.name}"

    def age_on(self, when: date) -> int:
        years = when.year - self.dob.year
        if (when.month, when.day) < (self.dob.month, self.dob.day):
            years -= 1
        return years

    @property
    def she(self) -> str:
        return "she" if self.sex == "F" else "he"

    @property
    def her(self) -> str:
        return "her" if self.sex == "F" else "his"

    @property
    def obj(self) -> str:
        return "her" if self.sex == "F" else "him"

    @property
    def girl(self) -> str:
        return "girl" if self.sex == "F" else "boy"


@dataclass
class Vehicle:
    vehicle_id: str
    vrm: str  # canonical, no spaces: YX54KDA
    make: str
    model: str
    colour: str
    owner: str | None


@dataclass
class Phone:
    phone_id: str
    number: str  # E.164
    owner: str | None


@dataclass
class Place:
    location_id: str
    name: str
    address: str
    postcode: str
    kind: str  # home, takeaway, hotel, flat, school, childrens-home, park, taxi-office


@dataclass
class Group:
    group_id: str
    members: list[str]
    central: list[str]
    victims: list[str]
    places: list[str]
    vehicles: list[str]
    phones: list[str]
    start: date
    end: date


@dataclass
class World:
    town: str
    start: date
    end: date
    people: dict[str, Person]
    vehicles: dict[str, Vehicle]
    phones: dict[str, Phone]
    places: dict[str, Place]
    groups: list[Group]
    lone_offenders: list[str]

    def of_kind(self, kind: str) -> list[Person]:
        return [p for p in self.people.values() if p.kind == kind]


def allocate_origins(rng: random.Random, n: int) -> list[Origin]:
    """``n`` origins in the names file's proportions (largest remainder), shuffled.

    Every kind of person is allocated this way, so each kind's mix of origins
    matches the town's to within one person."""
    table = origins()
    exact = [o.weight * n for o in table]
    counts = [int(x) for x in exact]
    order = sorted(range(len(table)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    chosen = [o for o, c in zip(table, counts, strict=True) for _ in range(c)]
    rng.shuffle(chosen)
    return chosen


class _Builder:
    def __init__(self, rng: random.Random, size: str) -> None:
        self.rng = rng
        self.town = load("town")
        self.spec = self.town["sizes"][size]
        self.start = date.fromisoformat(self.town["period"]["start"])
        self.end = date.fromisoformat(self.town["period"]["end"])
        self.people: dict[str, Person] = {}
        self.vehicles: dict[str, Vehicle] = {}
        self.phones: dict[str, Phone] = {}
        self.places: dict[str, Place] = {}
        self.used_vrms: set[str] = set()
        self.used_numbers: set[str] = set()
        self.used_names: set[tuple[str, str, date]] = set()

    # -- places -------------------------------------------------------------
    def place(self, name: str, kind: str, street: str | None = None) -> Place:
        rng = self.rng
        district = rng.choice(self.town["districts"])
        street = street or rng.choice(self.town["streets"])
        number = rng.randint(1, 180)
        postcode = f"{district['postcode']} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXY')}{rng.choice('ABDEFGHJLNPQRSTUWXY')}"
        loc = Place(f"L{len(self.places) + 1:05d}", name, f"{number} {street}", postcode, kind)
        self.places[loc.location_id] = loc
        return loc

    def home(self) -> Place:
        loc = self.place("", "home")
        loc.name = loc.address
        return loc

    # -- people -------------------------------------------------------------
    def person(
        self,
        kind: str,
        origin: Origin,
        sex: str,
        dob: date,
        surname: Name | None = None,
        avoid: frozenset[str] = frozenset(),
    ) -> Person:
        """A new person; ``avoid``: first names already used in the household."""
        rng = self.rng
        for _ in range(20):
            first = rng.choice(origin.male if sex == "M" else origin.female)
            last = surname or surnames.draw(rng, surnames.pool(origin.code))
            if (first.name, last.name, dob) not in self.used_names and first.name not in avoid:
                break
        self.used_names.add((first.name, last.name, dob))
        p = Person(
            person_id=f"P{len(self.people) + 1:05d}",
            kind=kind,
            sex=sex,
            dob=dob,
            origin=origin.code,
            first=first,
            surname=last,
            appearance=rng.choice(origin.appearance),
            build=rng.choice(self.town["builds"]),
            hair=rng.choice(self.town["hair"] + (self.town["facial_hair"] if sex == "M" else [])),
        )
        self.people[p.person_id] = p
        return p

    def dob_for_age(self, age_low: int, age_high: int, on: date) -> date:
        days = self.rng.randint(age_low * 365 + 1, age_high * 365 + 364)
        return on - timedelta(days=days)

    # -- objects ------------------------------------------------------------
    def vehicle(self, owner: str | None, first_use: date) -> Vehicle:
        rng = self.rng
        while True:
            year = rng.randint(max(2002, first_use.year - 8), max(2002, first_use.year - 1))
            age_id = f"{year % 100:02d}" if rng.random() < 0.5 else f"{(year % 100) + 50:02d}"
            vrm = (
                rng.choice(self.town["vrm_areas"])
                + age_id
                + "".join(rng.choice("ABCDEFGHJKLMNOPRSTUVWXYZ") for _ in range(3))
            )
            if vrm not in self.used_vrms:
                break
        self.used_vrms.add(vrm)
        model = rng.choice(self.town["vehicles"])
        v = Vehicle(
            f"V{len(self.vehicles) + 1:05d}",
            vrm,
            model["make"],
            str(model["model"]),
            rng.choice(self.town["colours"]),
            owner,
        )
        self.vehicles[v.vehicle_id] = v
        return v

    def phone(self, owner: str | None) -> Phone | None:
        # Ofcom's drama range for mobiles: 07700 900000-900999.
        if len(self.used_numbers) >= 1000:
            return None
        while True:
            number = f"+447700900{self.rng.randint(0, 999):03d}"
            if number not in self.used_numbers:
                break
        self.used_numbers.add(number)
        t = Phone(f"T{len(self.phones) + 1:05d}", number, owner)
        self.phones[t.phone_id] = t
        if owner is not None:
            self.people[owner].phone = t.phone_id
        return t


def build_world(rng: random.Random, size: str) -> World:
    """The town for ``size`` (small, medium, large), from ``rng``."""
    b = _Builder(rng, size)
    spec, town = b.spec, b.town
    mid = b.start + (b.end - b.start) / 2

    schools = [b.place(n, "school") for n in town["schools"]]
    homes_for_children = [b.place(n, "childrens-home") for n in town["childrens_homes"]]
    parks = [b.place(n, "park") for n in town["parks"]]
    takeaways = [b.place(n, "takeaway") for n in town["takeaways"]]
    hotels = [b.place(n, "hotel") for n in town["hotels"]]
    for n in town["taxi_offices"]:
        b.place(n, "taxi-office")
    del parks

    # Households: a parent and their children, one origin each.
    children: list[Person] = []
    n_households = spec["households"]
    kids_in = [1] * n_households
    for _ in range(spec["children"] - n_households):
        kids_in[rng.randrange(n_households)] += 1
    first_born = b.start - timedelta(days=365 * 17)
    born_span = (b.end - timedelta(days=365 * 11) - first_born).days
    for origin, kids in zip(allocate_origins(rng, n_households), kids_in, strict=True):
        home = b.home()
        parent = b.person(
            "adult", origin, "F" if rng.random() < 0.8 else "M", b.dob_for_age(28, 50, mid)
        )
        parent.home = home.location_id
        for _ in range(kids):
            # Aged 10-17 at some point in the period.
            dob = first_born + timedelta(days=rng.randint(0, born_span))
            taken = frozenset(p.first.name for p in (parent, *children[-kids:]))
            child = b.person("child", origin, rng.choice("FM"), dob, parent.surname, taken)
            child.home = home.location_id
            child.carer = parent.person_id
            child.school = rng.choice(schools).location_id
            if rng.random() < 0.06:
                child.looked_after = True
                child.home = rng.choice(homes_for_children).location_id
            children.append(child)
    # The groups first, so their men and children always get phones from the
    # 1,000 numbers of Ofcom's drama range.
    groups = _groups(b, rng, children, takeaways, hotels)
    for origin in allocate_origins(rng, spec["adults"]):
        adult = b.person("adult", origin, rng.choice("FM"), b.dob_for_age(18, 70, mid))
        adult.home = b.home().location_id
        if rng.random() < 0.3:
            b.vehicle(adult.person_id, b.start)
        if rng.random() < 0.15:
            b.phone(adult.person_id)
    for child in children:
        if child.phone is None and rng.random() < 0.1:
            b.phone(child.person_id)

    _professionals(b, rng, schools, hotels, takeaways)
    lone = []
    for origin in allocate_origins(rng, spec["lone_offenders"]):
        man = b.person("offender", origin, "M", b.dob_for_age(22, 50, mid))
        man.home = b.home().location_id
        lone.append(man.person_id)
    return World(
        town=town["town"],
        start=b.start,
        end=b.end,
        people=b.people,
        vehicles=b.vehicles,
        phones=b.phones,
        places=b.places,
        groups=groups,
        lone_offenders=lone,
    )


# (job, agency code, how many per size unit)
PROFESSIONS = (
    ("police officer", "cbp", 14),
    ("social worker", "cbc-social-care", 6),
    ("teacher", "school", 6),
    ("nurse", "cb-sexual-health", 3),
    ("youth worker", "riverside-youth", 3),
)


def _professionals(
    b: _Builder,
    rng: random.Random,
    schools: list[Place],
    hotels: list[Place],
    takeaways: list[Place],
) -> None:
    scale = {"small": 1, "medium": 2, "large": 5}[_size_of(b)]
    jobs: list[tuple[str, str]] = []
    for job, agency, n in PROFESSIONS:
        jobs += [(job, agency)] * (n * scale)
    jobs += [("hotel receptionist", "hotel")] * (len(hotels) * 2)
    jobs += [("takeaway worker", "takeaway")] * len(takeaways)
    collars: set[int] = set()
    mid = b.start + (b.end - b.start) / 2
    for (job, agency), origin in zip(jobs, allocate_origins(rng, len(jobs)), strict=True):
        p = b.person("professional", origin, rng.choice("FM"), b.dob_for_age(23, 58, mid))
        p.job = job
        if agency == "school":
            agency = "school:" + rng.choice(schools).location_id
        elif agency == "hotel":
            agency = "hotel:" + rng.choice(hotels).location_id
        elif agency == "takeaway":
            agency = "takeaway:" + rng.choice(takeaways).location_id
        p.agency = agency
        if job == "police officer":
            while (collar := rng.randint(1000, 3999)) in collars:
                pass
            collars.add(collar)
            p.collar = str(collar)


def _size_of(b: _Builder) -> str:
    for name, spec in b.town["sizes"].items():
        if spec is b.spec:
            return str(name)
    raise ValueError("unknown size")


def _groups(
    b: _Builder,
    rng: random.Random,
    children: list[Person],
    takeaways: list[Place],
    hotels: list[Place],
) -> list[Group]:
    spec = b.spec
    n_groups = spec["groups"]
    sizes = [rng.randint(*spec["group_members"]) for _ in range(n_groups)]
    member_origins = allocate_origins(rng, sum(sizes))
    groups: list[Group] = []
    free_takeaways = list(takeaways)
    rng.shuffle(free_takeaways)
    taken: set[str] = set()
    span_days = (b.end - b.start).days
    for g in range(n_groups):
        gid = f"G{g + 1}"
        start = b.start + timedelta(days=rng.randint(120, max(121, span_days - 3 * 365)))
        end = min(b.end - timedelta(days=60), start + timedelta(days=rng.randint(2 * 365, 5 * 365)))
        members: list[str] = []
        for _ in range(sizes[g]):
            origin = member_origins.pop()
            man = b.person("offender", origin, "M", b.dob_for_age(19, 45, start))
            man.group = gid
            man.home = b.home().location_id
            members.append(man.person_id)
        central = members[:2]
        for pid in central:
            b.people[pid].central = True
        takeaway = free_takeaways.pop()
        flat = b.place(f"Flat {rng.randint(1, 6)}", "flat")
        flat.name = f"{flat.name}, {flat.address}"
        flat.address = flat.name
        places = [takeaway.location_id, flat.location_id, rng.choice(hotels).location_id]
        vehicles = [b.vehicle(pid, start).vehicle_id for pid in members[: rng.randint(2, 3)]]
        phones = [t.phone_id for pid in members if (t := b.phone(pid)) is not None]
        # Victims: mostly girls, aged 12-15 when the group starts (a few are 16).
        candidates = sorted(
            (c for c in children if c.person_id not in taken and 12 <= c.age_on(start) <= 16),
            key=lambda c: c.person_id,
        )
        girls = [c for c in candidates if c.sex == "F"]
        boys = [c for c in candidates if c.sex == "M"]
        victims: list[Person] = []
        # In most groups one child under 13 (where the town has one): the under-13 offences.
        young = [c for c in girls if c.age_on(start + timedelta(days=180)) == 12]
        if young and rng.random() < 0.6:
            child = rng.choice(young)
            girls.remove(child)
            victims.append(child)
        wanted = rng.randint(*spec["victims_per_group"])
        for _ in range(4 * wanted):
            if len(victims) >= wanted:
                break
            pool = girls if (rng.random() < 0.85 and girls) or not boys else boys
            if not pool:
                break
            child = pool.pop(rng.randrange(len(pool)))
            if child.age_on(start) == 16 and rng.random() < 0.7:
                pool.append(child)  # fewer sixteen-year-olds
                continue
            victims.append(child)
        for child in victims:
            child.exploited = True
            child.group = gid
            taken.add(child.person_id)
            if child.phone is None:
                b.phone(child.person_id)
        groups.append(
            Group(
                gid,
                members,
                central,
                sorted(c.person_id for c in victims),
                places,
                vehicles,
                phones,
                start,
                end,
            )
        )
    return groups
