"""The language check: words in the author's own voice that place responsibility
on a child for their own abuse, each with suggested wording. The terms and
their contexts are data (``data/language.yaml``); words inside quotation marks
or in someone else's reported speech are evidence, not the author's language,
and are never flagged.

``check_text`` is pure: the stage runs it on every report, and the web form
calls it as the author types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from lantern.victimfirst.speech import others_speech


@dataclass(frozen=True, slots=True)
class Flag:
    """Words to change: where they are and what to say instead."""

    phrase: str
    start: int
    end: int
    suggestion: str
    term: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "phrase": self.phrase,
            "start": self.start,
            "end": self.end,
            "suggestion": self.suggestion,
            "term": self.term,
        }


@dataclass(frozen=True, slots=True)
class Context:
    """What is known about the people a text is about. ``child_ages``: ages of
    the children (under 18) it concerns; ``about_child`` / ``adult_involved``
    where known without an age. Fields left None are read from the text."""

    child_ages: tuple[int, ...] | None = None
    about_child: bool | None = None
    adult_involved: bool | None = None


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    patterns: tuple[re.Pattern[str], ...]
    suggestion: str
    when: str


@dataclass(frozen=True, slots=True)
class Guide:
    source: str
    terms: tuple[Term, ...]
    reporting_verbs: frozenset[str]
    author_subjects: frozenset[str]
    child_words: frozenset[str]
    adult_words: frozenset[str] = field(default_factory=frozenset)


@cache
def guide() -> Guide:
    """The language guide shipped in ``lantern/data/language.yaml``."""
    raw = yaml.safe_load(
        resources.files("lantern.data").joinpath("language.yaml").read_text("utf-8")
    )
    terms = tuple(
        Term(
            id=t["id"],
            patterns=tuple(re.compile(rf"\b{p}\b", re.IGNORECASE) for p in t["patterns"]),
            suggestion=t["suggestion"],
            when=t["when"],
        )
        for t in raw["terms"]
    )
    speech = raw["reported_speech"]
    words = raw["context_words"]
    return Guide(
        source=raw["source"],
        terms=terms,
        reporting_verbs=frozenset(v.lower() for v in speech["verbs"]),
        author_subjects=frozenset(s.lower() for s in speech["author_subjects"]),
        child_words=frozenset(w.lower() for w in words["child"]),
        adult_words=frozenset(w.lower() for w in words["adult"]),
    )


_AGE = re.compile(
    r"\b(?:aged?\s+(?:about\s+|around\s+|approximately\s+|approx\.?\s+)?(\d{1,2})"
    r"|(\d{1,2})[- ]years?[- ]old|(\d{1,2})[- ]yr[- ]old|(\d{1,2})\s*(?:yrs|y/o|yo)\b"
    r"|(?<=\()(\d{1,2})(?=\))"
    r"|(?<=,\s)(\d{1,2})(?=,)"
    r"|\b(?:is|was|now|turned)\s+(\d{1,2})\b(?![:.]\d|\s*(?:am|pm|%|minutes|hours|days|weeks|months|times|miles|metres|years\s+ago)))",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z][a-z-]*")


_SCHOOL_YEAR = re.compile(r"\bYear (\d{1,2})\b")  # England: Year N pupils are N+4 to N+5


def ages_in(text: str) -> list[int]:
    """Ages written in the text ("aged 14", "a 14-year-old", "14 years old");
    a school year gives the youngest age in that year."""
    ages = [int(next(g for g in m.groups() if g)) for m in _AGE.finditer(text)]
    return ages + [
        int(m.group(1)) + 4 for m in _SCHOOL_YEAR.finditer(text) if int(m.group(1)) <= 13
    ]


def context_from_text(text: str, given: Context | None = None) -> Context:
    """Fills what ``given`` leaves open from the text itself."""
    given = given or Context()
    g = guide()
    ages = ages_in(text)
    words = set(_WORD.findall(text.lower()))
    child_ages = given.child_ages
    if child_ages is None:
        child_ages = tuple(a for a in ages if a < 18)
    about_child = given.about_child
    if about_child is None:
        about_child = bool(child_ages) or bool(words & g.child_words)
    adult = given.adult_involved
    if adult is None:
        adult = any(a >= 18 for a in ages) or bool(words & g.adult_words)
    return Context(tuple(child_ages), about_child, adult)


def applies(when: str, context: Context) -> bool:
    """Whether a term blames a child in this context."""
    ages = context.child_ages or ()
    if when == "always":
        return True
    if when == "child":
        return bool(context.about_child)
    if when == "child-and-adult":
        return bool(context.about_child) and bool(context.adult_involved)
    if when == "under-16":
        return any(a < 16 for a in ages) or (bool(context.about_child) and not ages)
    if when == "under-13":
        return any(a < 13 for a in ages)
    raise ValueError(f"language.yaml: unknown context {when!r}")


def check_text(text: str, context: Context | None = None) -> list[Flag]:
    """Flags in the author's own voice, in order of position."""
    g = guide()
    ctx = context_from_text(text, context)
    quoted = others_speech(text, g.reporting_verbs, g.author_subjects)
    flags: list[Flag] = []
    taken: list[tuple[int, int]] = []
    for term in g.terms:
        if not applies(term.when, ctx):
            continue
        for pattern in term.patterns:
            for match in pattern.finditer(text):
                start, end = match.span("phrase" if "phrase" in pattern.groupindex else 0)
                if any(s <= start and end <= e for s, e in quoted):
                    continue
                if any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                flags.append(Flag(text[start:end], start, end, term.suggestion, term.id))
    return sorted(flags, key=lambda f: f.start)
