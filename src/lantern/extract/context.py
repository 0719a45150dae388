"""The context of a cue in a narrative: its sentence and clause, whether it is
negated ("denies any sexual contact") or hypothetical ("if he touches her
again"), and whether it sits inside quoted speech (and who is speaking)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# Quoted speech: double quotes of either kind, and single quotes that open
# after a space or bracket and close before a non-letter (so "Mo's" is not one).
_QUOTES = re.compile(r"“[^”]{1,400}”|\"[^\"\n]{1,400}\"|(?<![\w])['‘][^'’\n]{1,200}['’](?![\w])")
_CLAUSE_BREAK = re.compile(
    r"[;:.!?]|,\s|\s(?:and|but|however|although|though|whereas|then|before|after|when|because|so)\s"
)
_NEGATION = re.compile(
    r"\b(?:no|not|never|nothing|none|neither|nor|without|deni\w+|deny|denying|refutes?|"
    r"n't|cannot|no evidence|no disclosure|no indication|no suggestion|nil)\b"
)
_NEGATION_AFTER = re.compile(
    r"^[^.;]{0,40}?\b(?:denied|did not happen|didn't happen|not disclosed|was not|were not|"
    r"is not|has not|have not|no evidence|did not occur|not confirmed|ruled out)\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|would|could|might|(?<!in )may(?!\s+\d)|should|threat\w*|in case|worr\w+|fears?|feared|"
    r"concern(?:ed|s)? that|at risk of|risk of|unless|whether|wants? to|wanted to|"
    r"plan\w* to|intend\w* to|going to|will|'ll|trying to|tried to|attempt\w* to|"
    r"offered to|asked (?:her|him|them)? ?if|potential|possible|possibly|prevent\w*|avoid\w*)\b"
)
_SPEECH_VERB = re.compile(
    r"\b(?:said|says|say|told|tells|stated|states|disclosed|discloses|reported|reports|"
    r"explained|explains|described|describes|claimed|claims|alleged|alleges|asked|added|"
    r"shouted|screamed|wrote|messaged|texted)\b[^.]*$"
)


@dataclass(frozen=True, slots=True)
class Quote:
    start: int
    end: int


class Context:
    """Sentence, clause and quotation structure of one narrative."""

    def __init__(self, text: str, sentence_starts: list[int]) -> None:
        self.text = text
        self.lower = text.lower()
        self.sentence_starts = sentence_starts or [0]
        self.quotes = [Quote(m.start(), m.end()) for m in _QUOTES.finditer(text)]

    def mask(self, spans: list[tuple[int, int]]) -> str:
        """Replaces each span (a person mention) in the lower-case text by
        ``@pp…`` of the same length, so cues can say "a person" and names
        that are ordinary words (Will, Hope) are not read as words."""
        chars = list(self.lower)
        for start, end in spans:
            chars[start:end] = "@" + "p" * (end - start - 1)
        self.lower = "".join(chars)
        return self.lower

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.sentence_starts, pos) - 1
        start = self.sentence_starts[max(i, 0)]
        end = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.text)
        return start, end

    def sentence_index(self, pos: int) -> int:
        return max(bisect_right(self.sentence_starts, pos) - 1, 0)

    def quote_at(self, start: int, end: int | None = None) -> Quote | None:
        end = start + 1 if end is None else end
        for quote in self.quotes:
            if quote.start <= start and end <= quote.end:
                return quote
        return None

    def is_speech(self, quote: Quote) -> bool:
        """True when a quote is someone's words (after "said", "told" …), not a
        quoted name or word ('Mo', the "boyfriend")."""
        inner = self.text[quote.start + 1 : quote.end - 1]
        if len(inner.split()) >= 3:
            return True
        before = self.lower[max(0, quote.start - 40) : quote.start]
        return bool(_SPEECH_VERB.search(before)) and len(inner.split()) >= 2

    def clause_prefix(self, pos: int) -> str:
        """The lower-case text from the start of ``pos``'s clause up to ``pos``."""
        sent_start, _ = self.sentence(pos)
        window_start = max(sent_start, pos - 80)
        quote = self.quote_at(pos)
        if quote is not None:
            window_start = max(window_start, quote.start + 1)
        window = self.lower[window_start:pos]
        breaks = list(_CLAUSE_BREAK.finditer(window))
        return window[breaks[-1].end() :] if breaks else window

    def is_negated(self, start: int, end: int, window: int | None = None) -> bool:
        """Whether a cue is negated by a word before it in its clause (within
        ``window`` characters, where given) or denied just after it."""
        prefix = self.clause_prefix(start)
        if window is not None:
            prefix = prefix[-window:]
        if _NEGATION.search(prefix):
            return True
        _, sent_end = self.sentence(start)
        return bool(_NEGATION_AFTER.search(self.lower[end:sent_end]))

    def is_hypothetical(self, start: int) -> bool:
        return bool(_HYPOTHETICAL.search(self.clause_prefix(start)))
