"""Where a text carries someone else's words: quoted speech ("…", “…”, ‘…’,
'…') and reported speech (the rest of a sentence after "she said", "mum
says", "he calls her…"). What the author writes outside these is their own
voice."""

from __future__ import annotations

import re
from collections.abc import Iterable

_QUOTES = (
    re.compile(r'"[^"\n]{1,400}"'),
    re.compile(r"“[^”\n]{1,400}”"),
    re.compile(r"‘[^’\n]{1,400}’"),
    # straight single quotes: opened after a space or bracket, closed before a
    # non-letter, so apostrophes in "she's" or "Mo's" are not quotes
    re.compile(r"(?<![\w'])'(?=[^\s'])[^'\n]{1,400}?(?<=[^\s'])'(?![\w'])"),
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_TOKEN = re.compile(r"[A-Za-z']+")
_PASSIVE = frozenset(["is", "was", "were", "been", "be", "being", "are", "am"])


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (the marks included)."""
    spans: list[tuple[int, int]] = []
    for pattern in _QUOTES:
        for match in pattern.finditer(text):
            start, end = match.span()
            if not any(s <= start < e for s, e in spans):
                spans.append((start, end))
    return sorted(spans)


def reported_spans(
    text: str, verbs: Iterable[str], author_subjects: Iterable[str]
) -> list[tuple[int, int]]:
    """The rest of each sentence after a reporting verb whose speaker is not the
    author ("Amy says he is her boyfriend": from "says" to the full stop)."""
    verbs, authors = frozenset(verbs), frozenset(author_subjects)
    spans = []
    for sentence in _SENTENCE.finditer(text):
        tokens = list(_TOKEN.finditer(sentence.group(0)))
        for i, token in enumerate(tokens):
            word = token.group(0).lower()
            if word not in verbs or i == 0:
                continue
            before = tokens[i - 1].group(0).lower()
            if before in _PASSIVE:
                continue
            if tokens[0].group(0).lower() in authors:
                break
            spans.append((sentence.start() + token.end(), sentence.end()))
            break
    return spans


def others_speech(
    text: str, verbs: Iterable[str], author_subjects: Iterable[str]
) -> list[tuple[int, int]]:
    """Every range of the text that is someone else's words."""
    return sorted(quoted_spans(text) + reported_spans(text, verbs, author_subjects))
