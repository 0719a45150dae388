"""The clock findings are computed at. Normally the real time; ``lantern replay``
sets it to each step's date so every alert and score carries the simulated time
at which it would have been raised."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_frozen: ContextVar[datetime | None] = ContextVar("lantern_clock", default=None)


def now() -> datetime:
    """The current time (UTC, timezone-aware), or the replay clock if one is set."""
    frozen = _frozen.get()
    return frozen if frozen is not None else datetime.now(UTC)


@contextmanager
def frozen_at(moment: datetime) -> Iterator[datetime]:
    """Run the enclosed code with the clock set to ``moment``."""
    if moment.tzinfo is None:
        raise ValueError("the clock needs a timezone-aware time")
    token = _frozen.set(moment.astimezone(UTC))
    try:
        yield moment
    finally:
        _frozen.reset(token)
