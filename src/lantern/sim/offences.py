"""Which offence a disclosed act amounts to, and the principal one per victim.

Reads ``sim/data/offences.yaml`` (sourced from shared/docs/domain.md). One crime
per victim per incident: of the acts one victim suffered in one incident, the
most serious offence is the principal crime.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from lantern.sim.vocab import load

ALLOWED_SECTIONS: frozenset[str] = frozenset(load("offences")["rank"])


def offence_for(act: str, age: int, when: date, requires: str | None = None) -> str | None:
    """The act_section for ``act`` against a child aged ``age`` on ``when``,
    under circumstance ``requires`` (payment, position-of-trust, control…), or
    None where it is no offence (16-17 consensual, a section not yet in force)."""
    for rule in load("offences")["rules"]:
        if rule["act"] != act:
            continue
        low, high = rule["ages"]
        if not low <= age <= high:
            continue
        if rule.get("requires") not in (None, requires):
            continue
        if "from" in rule and when < date.fromisoformat(rule["from"]):
            continue
        section: str = rule["section"]
        return section
    return None


def principal(sections: Iterable[str]) -> str | None:
    """The most serious of ``sections`` (None if there are none)."""
    rank = load("offences")["rank"]
    chosen: str | None = None
    for section in sections:
        if chosen is None or rank[section] > rank[chosen]:
            chosen = section
    return chosen
