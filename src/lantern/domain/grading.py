"""The College of Policing 3x5x2 intelligence grading."""

from __future__ import annotations

from dataclasses import dataclass

SOURCE_EVALUATION = {
    "1": "reliable",
    "2": "untested",
    "3": "not reliable",
}
INTELLIGENCE_ASSESSMENT = {
    "A": "known directly to the source",
    "B": "known indirectly but corroborated",
    "C": "known indirectly",
    "D": "not known",
    "E": "suspected to be false",
}
HANDLING_CODES = {
    "P": "lawful sharing permitted",
    "C": "lawful sharing permitted subject to conditions",
}


@dataclass(frozen=True, slots=True)
class Grading:
    """A 3x5x2 grading: source (1-3), intelligence (A-E), handling (P or C).

    A handling code C carries the conditions it was shared under.
    """

    source: str | None = None
    intelligence: str | None = None
    handling: str = "P"
    conditions: str | None = None

    def __post_init__(self) -> None:
        if self.source is not None and self.source not in SOURCE_EVALUATION:
            raise ValueError(f"source must be one of 1, 2, 3 (got {self.source!r})")
        if self.intelligence is not None and self.intelligence not in INTELLIGENCE_ASSESSMENT:
            raise ValueError(f"intelligence must be one of A-E (got {self.intelligence!r})")
        if self.handling not in HANDLING_CODES:
            raise ValueError(f"handling must be P or C (got {self.handling!r})")

    @property
    def code(self) -> str:
        """The grading as officers write it, e.g. ``1A P``."""
        return f"{self.source or '-'}{self.intelligence or '-'} {self.handling}"

    @property
    def weight(self) -> float:
        """How much the grading supports what it grades, from 0 to 1.

        A reliable source with direct knowledge weighs most; intelligence
        suspected to be false weighs nothing. Ungraded reports weigh as
        an untested source with indirect knowledge.
        """
        source = {"1": 1.0, "2": 0.7, "3": 0.4}.get(self.source or "2", 0.7)
        intel = {"A": 1.0, "B": 0.85, "C": 0.6, "D": 0.35, "E": 0.0}.get(
            self.intelligence or "C", 0.6
        )
        return round(source * intel, 3)
