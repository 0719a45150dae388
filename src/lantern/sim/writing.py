"""How reporters write people, plates, phones and ages: the noise real records carry.

Full names and police-style surnames, first names only, nicknames, spelling
variants, descriptions instead of names; registration marks whole or in part;
phone numbers written several ways.
"""

from __future__ import annotations

import random
from datetime import date

from lantern.sim.world import Person


def full_name(rng: random.Random, p: Person, variant_rate: float = 0.15) -> str:
    """The person's full name, sometimes with a spelling variant."""
    first = p.first.name
    last = p.surname.name
    if p.first.variants and rng.random() < variant_rate:
        first = rng.choice(p.first.variants)
    if p.surname.variants and rng.random() < variant_rate:
        last = rng.choice(p.surname.variants)
    return _used(p, f"{first} {last}")


def police_name(rng: random.Random, p: Person) -> str:
    """As a police system writes it: ``Mohammed KHAN``."""
    first = p.first.name
    if p.first.variants and rng.random() < 0.1:
        first = rng.choice(p.first.variants)
    return _used(p, f"{first} {p.surname.name.upper()}")


def first_name(rng: random.Random, p: Person) -> str:
    """A first name, a spelling variant of it, or a nickname."""
    choices = [
        p.first.name,
        p.first.name,
        *p.first.variants,
        *p.first.nicknames,
        *p.first.nicknames,
    ]
    return _used(p, rng.choice(choices))


def informal_name(rng: random.Random, p: Person) -> str:
    """What a child or a friend calls someone: a nickname where there is one."""
    if p.first.nicknames and rng.random() < 0.7:
        return _used(p, rng.choice(p.first.nicknames))
    return first_name(rng, p)


def nickname(rng: random.Random, p: Person) -> str:
    """A nickname (the first name where there is none)."""
    return _used(p, rng.choice(p.first.nicknames or (p.first.name,)))


def some_name(rng: random.Random, p: Person) -> str:
    """Any of the ways a name is written."""
    roll = rng.random()
    if roll < 0.45:
        return full_name(rng, p)
    if roll < 0.75:
        return first_name(rng, p)
    if roll < 0.85:
        return police_name(rng, p)
    return informal_name(rng, p)


def _used(p: Person, text: str) -> str:
    p.names_used.add(text)
    return text


def written_dob(rng: random.Random, dob: date) -> str:
    """A date of birth as keyed in: almost always right, sometimes with the day
    and month swapped or the year one out."""
    roll = rng.random()
    if roll < 0.03 and dob.day <= 12 and dob.day != dob.month:
        return date(dob.year, dob.day, dob.month).isoformat()
    if roll < 0.05:
        try:
            return dob.replace(year=dob.year + rng.choice((-1, 1))).isoformat()
        except ValueError:  # 29 February
            return dob.isoformat()
    return dob.isoformat()


def about_age(rng: random.Random, p: Person, on: date) -> int:
    """An age as a witness guesses it: within a few years, rounded sometimes."""
    age = p.age_on(on) + rng.randint(-3, 3)
    if rng.random() < 0.4:
        age = max(18, 5 * round(age / 5))
    return max(16, age)


def description(rng: random.Random, p: Person, on: date) -> str:
    """A description instead of a name: ``Asian male about 25, slim, with a beard``."""
    sex = "male" if p.sex == "M" else "female"
    parts = []
    if rng.random() < 0.6:
        parts.append(f"{p.appearance} {sex}")
    else:
        parts.append(sex)
    parts[0] += f" about {about_age(rng, p, on)}"
    if rng.random() < 0.7:
        parts.append(p.build)
    if rng.random() < 0.6:
        parts.append(p.hair if p.hair.startswith(("stubble", "shaved")) else f"with {p.hair}")
    return ", ".join(parts)


def plate(rng: random.Random, vrm: str) -> str:
    """A whole registration mark as written: ``YX54 KDA``, ``YX54KDA``, ``yx54kda``."""
    roll = rng.random()
    if roll < 0.55:
        return f"{vrm[:4]} {vrm[4:]}"
    if roll < 0.9:
        return vrm
    return vrm.lower()


def partial_plate(rng: random.Random, vrm: str) -> str:
    """Part of a registration mark: ``YX5?``, ``YX54 K??``, ``ends KDA``."""
    roll = rng.random()
    if roll < 0.3:
        return f"{vrm[:3]}?"
    if roll < 0.55:
        return f"{vrm[:4]} {vrm[4]}??"
    if roll < 0.8:
        return f"ends {vrm[4:]}"
    return vrm[:4]


def phone_number(rng: random.Random, e164: str) -> str:
    """A UK mobile number written one of the ways people write them."""
    national = "0" + e164[3:]
    roll = rng.random()
    if roll < 0.35:
        return f"{national[:5]} {national[5:]}"
    if roll < 0.55:
        return national
    if roll < 0.7:
        return f"+44 {national[1:5]} {national[5:]}"
    if roll < 0.8:
        return f"{national[:5]}-{national[5:8]}-{national[8:]}"
    if roll < 0.9:
        return f"+44 (0){national[1:5]} {national[5:]}"
    return f"{national[:4]} {national[4:7]} {national[7:]}"


def nhs_number(p: Person) -> str:
    """A valid NHS number in the test range (999 …), fixed for the person."""
    index = int(p.person_id[1:])
    while True:
        digits = f"999{index % 1_000_000:06d}"
        check = 11 - sum(int(c) * w for c, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return f"{digits[:3]} {digits[3:6]} {digits[6:]}{check}"
        index += 500_000


def pnc_id(p: Person) -> str:
    """A Police National Computer id (``09/0012345K``), fixed for the person."""
    year = (p.dob.year + 18) % 100
    serial = int(p.person_id[1:]) * 37 % 10_000_000
    letter = "ZABCDEFGHJKLMNPQRTUVWXY"[int(f"{year:02d}{serial:07d}") % 23]
    return f"{year:02d}/{serial:07d}{letter}"
