"""Disclosed acts in neutral, clinical words, and the offences they amount to.

A disclosure names what happened without graphic detail but with the facts a
recording decision needs: the child's age, the act, the other person's age.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from lantern.sim.offences import offence_for, principal

# act code -> (circumstance the offence rule needs, wording templates; {her} object pronoun)
WORDING: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "penile-penetration": (
        None,
        (
            "had sexual intercourse with {her}",
            "had sexual intercourse with {her}",
            "had sex with {her}",
            "had unprotected sex with {her}",
            "made {her} have sex with him",
        ),
    ),
    "other-penetration": (
        None,
        ("penetrated {her} with his fingers", "digitally penetrated {her}"),
    ),
    "sexual-touching": (
        None,
        (
            "touched {her} sexually",
            "touched {her} sexually over {poss} clothing",
            "touched {her} intimately under {poss} clothes",
            "kissed and touched {her} sexually",
        ),
    ),
    "causing-inciting": (
        None,
        (
            "pressured {her} to perform a sexual act on him",
            "told {her} to send him sexual photographs of {herself}",
        ),
    ),
    "activity-in-presence": (
        None,
        ("engaged in sexual activity with an adult woman in front of {her}",),
    ),
    "causing-to-watch": (None, ("made {her} watch pornographic videos on his phone",)),
    "arranging-facilitating": (
        None,
        ("drove {her} to a house and arranged for {her} to meet another man there for sex",),
    ),
    "meeting-after-grooming": (
        None,
        ("travelled to meet {her} after messaging {her} online for several weeks",),
    ),
    "sexual-communication": (None, ("sent {her} sexual messages online",)),
    "paying-for-sex": (
        "payment",
        (
            "paid {her} £{money}",
            "gave {her} £{money} afterwards",
            "gave {her} £{money} and cigarettes",
        ),
    ),
    "exploitation:control": (
        "control",
        ("kept {poss} phone and decided which men {she} would be taken to",),
    ),
    "exploitation:causing": (
        "causing",
        ("told {her} {she} had to have sex with his friends to pay off a debt",),
    ),
    "exploitation:arranging": (
        "arranging",
        ("arranged for other men to have sex with {her} and took money from them",),
    ),
    "taking-child": (
        None,
        ("kept {her} overnight without {poss} parents' knowledge",),
    ),
    "indecent-images": (
        None,
        (
            "took indecent photographs of {her} on his phone",
            "filmed {her} in a sexual way on his phone",
        ),
    ),
    "trafficking": (
        None,
        ("drove {her} to another town where other men sexually exploited {her}",),
    ),
}


CONTACT = ("penile-penetration", "penile-penetration", "sexual-touching", "other-penetration")
NON_CONTACT = (
    "causing-to-watch",
    "activity-in-presence",
    "arranging-facilitating",
    "indecent-images",
)
EXPLOITATION = (
    "paying-for-sex",
    "exploitation:control",
    "exploitation:causing",
    "exploitation:arranging",
)


@dataclass(frozen=True, slots=True)
class Act:
    code: str  # e.g. "paying-for-sex", "exploitation:control"
    text: str

    @property
    def act(self) -> str:
        """The shared act code (``lantern/data/acts.yaml``)."""
        return self.code.split(":")[0]

    def offence(self, age: int, when: date, trust: bool = False) -> str | None:
        requires = "position-of-trust" if trust else WORDING[self.code][0]
        return offence_for(self.act, age, when, requires)


def act(rng: random.Random, code: str, fill: dict[str, str]) -> Act:
    """One act in words, for a child whose pronouns are ``fill``."""
    template = rng.choice(WORDING[code][1])
    return Act(code, template.format(money=rng.choice((10, 20, 20, 30, 50)), **fill))


def group_acts(rng: random.Random, age: int, when: date) -> list[str]:
    """What a group did to a child in one incident: always a crime at any age under 18.

    Mostly contact abuse, with payment, control or detention beside it; some
    incidents are non-contact only (watching, images, arranging, sexual
    messages once s15A is in force), and from the Modern Slavery Act 2015 some
    children are moved between towns."""
    roll = rng.random()
    if age < 16 and roll < 0.08:
        return [rng.choice(NON_CONTACT)]
    if roll < 0.14 and offence_for("sexual-communication", age, when) is not None:
        return ["sexual-communication"]
    codes = [rng.choice(CONTACT)]
    extra = rng.random()
    if age >= 16 or extra < 0.25:
        codes.append(rng.choice(EXPLOITATION))
    elif extra < 0.4:
        codes.append("taking-child")
    elif extra < 0.5:
        codes.append("indecent-images")
    if rng.random() < 0.15 and offence_for("trafficking", age, when) is not None:
        codes.append("trafficking")
    return codes


def principal_offence(acts: list[Act], age: int, when: date, trust: bool = False) -> str | None:
    """The principal crime of one incident against one child (None: no offence)."""
    return principal(s for a in acts if (s := a.offence(age, when, trust)) is not None)
