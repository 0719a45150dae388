"""Person mentions as rows the linkage model compares.

Each row holds only what a comparison or a blocking rule reads: name keys and
their variants and phonetic codes, the range of birth dates a mention allows
(from a date of birth, or from an age at the time of the report, so that a
"14-year-old" in 2004 agrees with a 1990 birth), sex, address and postcode,
phones, an identifier, the company the mention keeps (the vehicles, places
and phones the report ties it to), the members of the public named beside it,
and the capacity it appears in (a job, staff, or the public).
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from functools import cache
from typing import Any

from lantern.domain import Extraction, PersonMention
from lantern.extract import vocabulary
from lantern.resolve import addresses, names
from lantern.types import age as age_type

# The version of what a row holds: stored rows of another version are built
# again (``lantern analyse`` re-resolves from scratch when it changes).
VERSION = "8"

EPOCH = date(1970, 1, 1)
# How far an adult's stated age may be from the truth ("about 25"): a
# child's age is usually known to the year, an adult's often guessed, and a
# witness's guess is often three years out. (With two, "Kevin, aged about
# 40" was kept from the Kevin of the same flat and the same girl, whose date
# of birth lay just outside the years that age allowed; five let more
# strangers meet than it joined: docs/resolution.md.)
ADULT_AGE_SLACK_YEARS = 3

# Roles whose holder is treated as a child when no age or date of birth is known.
CHILD_ROLES = ("victim", "person-at-risk", "missing-person")
ADULT_ROLES = ("reporter", "professional", "witness")
# Roles of the people a report is about, and witnesses: members of the public,
# not the staff writing or named in it.
PUBLIC_ROLES = (
    "victim",
    "person-at-risk",
    "missing-person",
    "suspect",
    "associate",
    "other",
    "witness",
)
# A job known only as "staff" ("a professional", a professional named in a
# narrative without a job title), and a member of the public.
STAFF = "staff"
PUBLIC = "public"

# The columns of a person row, in order (the linkage model reads these).
COLUMNS = (
    "unique_id",
    "report_pk",
    "given",
    "given_key",
    "given_variants",
    "given_mp",
    "given_initial",
    "family",
    "family_mp",
    "family_initial",
    "dob",
    "born_lo",
    "born_hi",
    "sex",
    "is_child",
    "address",
    "postcode",
    "phone1",
    "phones",
    "identifier",
    "identifier_kind",
    "company",
    "named_with",
    "occupation",
    # not compared by the model: the day a missing episode began (days since
    # 1970), for ``clustering.Clusters.join_missing_episodes``
    "missing_on",
)


def person_rows(
    report_pk: int, extraction: Extraction, received_at: datetime, agency_type: str | None = None
) -> list[dict[str, Any]]:
    """One row per person mention of a report."""
    company = _company(extraction)
    named_with = _named_with(extraction)
    jobs = _reporters_jobs(extraction)
    day = received_at.date()
    return [
        person_row(
            m,
            report_pk,
            day,
            company.get(m.mention_id, []),
            agency_type,
            named_with.get(m.mention_id, []),
            jobs.get(names.key(m.name) or "") if m.role == "reporter" else None,
        )
        for m in extraction.people
    ]


# Two narrative mentions at most this many characters apart are a list of
# people ("Emma Wilson (17) and Emma (17)", "Kyle, Dan"): not one person.
LIST_GAP = 5


def listed_together(extraction: Extraction) -> dict[str, list[str]]:
    """For each narrative person mention, the mentions next to it in a list of
    people ("Officers spoke to Emma Wilson (17) and Emma (17)"): nobody is
    listed beside themselves."""
    spans = sorted(
        (p.span.start, p.span.end, p.mention_id)
        for p in extraction.people
        if p.span.source == "narrative"
    )
    out: dict[str, list[str]] = {}
    for (_, end, a), (start, _, b) in itertools.pairwise(spans):
        if 0 <= start - end <= LIST_GAP:
            out.setdefault(a, []).append(b)
            out.setdefault(b, []).append(a)
    return out


def _reporters_jobs(extraction: Extraction) -> dict[str, str]:
    """The job of the report's named reporter, by name: the narrative's "Interview
    completed by Abigail Bottomley" is the youth worker the reporter field names."""
    out: dict[str, str] = {}
    for m in extraction.people:
        if m.span.source == "reporter" and m.name:
            job = occupation(m)
            key = names.key(m.name)
            if job and key:
                out[key] = job
    return out


def person_row(
    mention: PersonMention,
    report_pk: int,
    day: date,
    company: list[str],
    agency_type: str | None = None,
    named_with: list[str] | None = None,
    job: str | None = None,
) -> dict[str, Any]:
    """One mention as a row. ``company``: the vehicles, places and phones its
    report ties it to; ``named_with``: the members of the public its report
    names beside it; ``job``, when given, the capacity the report's reporter
    field gives this person (see ``occupation``)."""
    given = names.key(mention.given_name)
    family = names.key(mention.family_name)
    officer = names.collar(mention.text) or names.collar(mention.name)
    if officer:
        given, family = None, names.key(officer[1])
    if given is None and family is None and mention.name:
        parts = names.key(mention.name)
        if parts:
            words = parts.split()
            given, family = words[0], (words[-1] if len(words) > 1 else None)
    if given and not family and " " not in given:
        given, family = names.split_single(given, mention.name or mention.text)
    variants: set[str] = set(names.variants(given)) if given else set()
    for alias in mention.aliases:
        alias_key = names.key(alias)
        if alias_key:
            first = alias_key.split()[0]
            variants |= names.variants(first)
    born_lo, born_hi = born_range(mention.dob, mention.age, day)
    child = _is_child(mention, day, agency_type)
    identifier = f"collar:{officer[0]}" if officer else _identifier(mention.identifiers)
    address = addresses.normalise(mention.address)
    postcode = mention.postcode or addresses.postcode_in(mention.address)
    return {
        "unique_id": mention.mention_id,
        "report_pk": report_pk,
        "given": given,
        "given_key": names.blocking_key(given) if given else None,
        "given_variants": sorted(variants),
        "given_mp": names.metaphone(given),
        "given_initial": given[0] if given else None,
        "family": family,
        "family_mp": names.metaphone(family),
        "family_initial": family[0] if family else None,
        "dob": mention.dob.isoformat() if mention.dob else None,
        "born_lo": born_lo,
        "born_hi": born_hi,
        "sex": mention.sex,
        "is_child": child,
        "address": address,
        "postcode": postcode,
        "phone1": mention.phones[0] if mention.phones else None,
        "phones": sorted(mention.phones) or None,
        "identifier": identifier,
        "identifier_kind": identifier.split(":", 1)[0] if identifier else None,
        "company": sorted(set(company)) or None,
        "named_with": sorted(set(named_with or ())) or None,
        "occupation": job or occupation(mention),
        "missing_on": (mention.missing_on - EPOCH).days if mention.missing_on else None,
    }


def occupation(mention: PersonMention) -> str | None:
    """In what capacity a mention's person appears: the job a reporter states
    ("youth worker"), ``STAFF`` for a professional whose job is not given,
    ``PUBLIC`` for anyone else the report says something about (a subject, a
    witness, a caller, a parent reporting), None when it does not say (a name
    in the narrative signing off the report)."""
    job = " ".join((mention.description or "").lower().split())
    if job and job in _jobs():
        return STAFF if job == "professional" else job
    if mention.role == "professional":
        return STAFF
    if mention.role in PUBLIC_ROLES or (job and mention.role == "reporter"):
        return PUBLIC
    return None


@cache
def _jobs() -> frozenset[str]:
    words = vocabulary.people_words()
    return words["professional_nouns"] | words["other_jobs"] | words["trades"]


@cache
def trades() -> frozenset[str]:
    """Jobs serving the public ("night manager", "takeaway owner"): whoever
    holds one is one of the public too, not an agency's staff."""
    return vocabulary.people_words()["trades"]


def is_staff(job: str | None) -> bool:
    """Whether an occupation is an agency's staff: a job that is not a trade,
    or ``STAFF`` (job unknown); not the public, not unknown."""
    return job is not None and job != PUBLIC and job not in trades()


def staff_job(job: str | None) -> str | None:
    """The job a member of staff is matched by ("youth worker"): not
    ``STAFF`` (job unknown), not the public, not a trade."""
    return job if is_staff(job) and job != STAFF else None


def born_range(dob: date | None, age: int | None, day: date) -> tuple[int | None, int | None]:
    """The earliest and latest birth date (days since 1970) a mention allows."""
    if dob is not None:
        d = (dob - EPOCH).days
        return d, d
    if age is None:
        return None, None
    slack = 0 if age < 18 else ADULT_AGE_SLACK_YEARS
    earliest = _years_before(day, age + 1 + slack)
    latest = _years_before(day, max(age - slack, 0))
    return (earliest - EPOCH).days + 1, (latest - EPOCH).days


def has_identity(row: dict[str, Any]) -> bool:
    """Whether a row carries anything that can tell one person from another:
    a name, a date of birth, a phone or an identifier. A description alone
    ("an older male") does not."""
    return bool(row["given"] or row["family"] or row["dob"] or row["phones"] or row["identifier"])


def _is_child(mention: PersonMention, day: date, agency_type: str | None) -> int:
    if mention.age is not None:
        return int(mention.age < 18)
    if mention.dob is not None:
        return int(age_type.on(mention.dob, day) < 18)
    # Age unknown: a victim, a child at risk or a missing person, or anyone but
    # the staff in a school's report, is treated as a child, so the stricter
    # rules for children apply (see clustering).
    if agency_type == "education" and mention.role not in ADULT_ROLES:
        return 1
    return int(mention.role in CHILD_ROLES)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _identifier(identifiers: dict[str, str]) -> str | None:
    if not identifiers:
        return None
    kind = sorted(identifiers)[0]
    value = "".join(str(identifiers[kind]).upper().split())
    return f"{kind}:{value}" if value else None


def _company(extraction: Extraction) -> dict[str, list[str]]:
    """For each person mention, the object keys the report ties it to."""
    keys: dict[str, str] = {}
    for v in extraction.vehicles:
        if v.vrm and not v.partial:
            keys[v.mention_id] = f"vehicle:{v.vrm}"
    for t in extraction.phones:
        keys[t.mention_id] = f"phone:{t.number}"
    for loc in extraction.locations:
        street = addresses.street(loc.address)
        if street and addresses.house_number(loc.address):
            keys[loc.mention_id] = f"address:{street}"
        elif loc.name and (name := addresses.normalise(loc.name)):
            keys[loc.mention_id] = f"place:{name}"  # a venue: "Village Chippy"
    found: dict[str, list[str]] = {}
    people = {p.mention_id for p in extraction.people}
    for link in extraction.links:
        for person, other in ((link.source, link.target), (link.target, link.source)):
            if person in people and other in keys:
                found.setdefault(person, []).append(keys[other])
    for t in extraction.phones:
        if t.owner in people:
            found.setdefault(t.owner, []).append(keys[t.mention_id])
    return found


def _named_with(extraction: Extraction) -> dict[str, list[str]]:
    """For each person mention, the other members of the public its report
    names in full ("Nicola Holmes (15) reported missing by her mother Sarah
    Holmes"). Staff are not counted: one youth worker sees many children."""
    named = {
        p.mention_id: f"{given} {family}"
        for p in extraction.people
        for given, family in [(names.key(p.given_name), names.key(p.family_name))]
        if given and family and occupation(p) == PUBLIC
    }
    found: dict[str, list[str]] = {}
    for p in extraction.people:
        own = named.get(p.mention_id)
        others = {key for m, key in named.items() if m != p.mention_id and key != own}
        if others:
            found[p.mention_id] = sorted(others)
    return found
