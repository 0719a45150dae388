"""``lantern replay``: what would Lantern have seen, and when?

Reports are taken in the order received and ``analyse`` runs at the end of
each step (every 7 days, say) with the clock set to that moment, so every
alert, score and action carries the simulated time it would have been raised.
Reports are stored with the clock at their own receipt (the latest in each
batch of at most ``BATCH``, never past the step's end), so ``first_stored_at``
and the audit log are simulated time too.

The file is not held in memory: a first pass notes each line's receipt time
and place in the file, a second reads the lines back in the order received.
(CSV files are read whole, then sorted.)
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from lantern import clock, pipeline
from lantern.intake.ingest import BATCH, IngestResult, Rejection, ingest_lines
from lantern.intake.readers import Line, read, read_jsonl

STEP = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.IGNORECASE)
UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
BEFORE_ALL = datetime.min.replace(tzinfo=UTC)  # sorts unreadable lines first: they are rejected


def parse_step(text: str) -> timedelta:
    """A step such as ``7d``, ``12h`` or ``2w``."""
    match = STEP.match(text)
    if not match or int(match[1]) == 0:
        raise ValueError(f"{text!r} is not a step: write a whole number and h, d or w, e.g. 7d")
    return int(match[1]) * UNITS[match[2].lower()]


@dataclass(frozen=True, slots=True)
class StepDone:
    """One step of a replay, as it finished."""

    number: int
    steps: int
    end: datetime
    taken: Counter[str]  # outcomes of this step's reports: new, unchanged, revised, rejected
    analysed: list[pipeline.StageResult] | None  # None when analyse did not run this step
    stored: int  # reports stored so far (new)


@dataclass
class ReplayResult:
    counts: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)
    steps: int = 0
    last_step_end: datetime | None = None
    after_until: int = 0  # reports received after --until, not taken
    analyse_failures: int = 0


@dataclass(frozen=True, slots=True)
class _Entry:
    received: datetime
    number: int
    offset: int  # byte offset of the line (JSON Lines); -1 when ``line`` holds it
    line: Line | None = None


def replay(
    engine: Engine,
    path: Path,
    *,
    step: timedelta,
    until: datetime | None = None,
    analyse_every: int = 1,
    actor: str = "replay",
    on_step: Callable[[StepDone], None] | None = None,
    on_rejection: Callable[[Rejection], None] | None = None,
    on_analyse_error: Callable[[datetime, Exception], None] | None = None,
) -> ReplayResult:
    """Replays ``path`` into ``engine``, analysing at the end of every
    ``analyse_every``-th step and at the last. An analysis that fails stops
    the replay, unless ``on_analyse_error`` is given: then it is told, the
    failure is counted in ``analyse_failures`` and the replay goes on (the
    next analysis picks up what this one missed)."""
    if step <= timedelta(0):
        raise ValueError("the step must be positive")
    if until is not None and until.tzinfo is None:
        raise ValueError("--until needs a timezone-aware time")
    entries = _index(path)
    result = ReplayResult()
    dated = [e.received for e in entries if e.received != BEFORE_ALL]
    if not entries:
        return result
    boundaries = _boundaries(dated, step, until)
    result.steps = len(boundaries)
    source = str(path)
    with _lines_in_order(path, entries) as ordered:
        pending = next(ordered, None)
        for number, end in enumerate(boundaries, start=1):
            taken: Counter[str] = Counter()
            batch: list[tuple[_Entry, Line]] = []
            while pending is not None and pending[0].received <= end:
                batch.append(pending)
                pending = next(ordered, None)
                if len(batch) >= BATCH:
                    _take(engine, batch, end, source, actor, on_rejection, result, taken)
                    batch = []
            _take(engine, batch, end, source, actor, on_rejection, result, taken)
            analysed = None
            if number % analyse_every == 0 or number == len(boundaries):
                try:
                    with clock.frozen_at(end):
                        analysed = pipeline.analyse(engine)
                except Exception as exc:
                    if on_analyse_error is None:
                        raise
                    result.analyse_failures += 1
                    on_analyse_error(end, exc)
            result.last_step_end = end
            if on_step is not None:
                on_step(
                    StepDone(number, len(boundaries), end, taken, analysed, result.counts["new"])
                )
    result.after_until = sum(1 for e in entries if e.received > boundaries[-1])
    return result


def _take(
    engine: Engine,
    batch: list[tuple[_Entry, Line]],
    end: datetime,
    source: str,
    actor: str,
    on_rejection: Callable[[Rejection], None] | None,
    result: ReplayResult,
    taken: Counter[str],
) -> None:
    """Stores one batch with the clock at the latest receipt in it."""
    if not batch:
        return
    moment = min(end, max(entry.received for entry, _ in batch))
    if moment == BEFORE_ALL:
        moment = end
    with clock.frozen_at(moment):
        done: IngestResult = ingest_lines(
            engine,
            (line for _, line in batch),
            source=source,
            actor=actor,
            on_rejection=on_rejection,
        )
    taken.update(done.counts)
    result.counts.update(done.counts)
    result.rejections.extend(done.rejections)


def _boundaries(dated: list[datetime], step: timedelta, until: datetime | None) -> list[datetime]:
    """Step ends: from midnight (UTC) of the first receipt, every ``step``,
    until the last receipt is covered (or until ``until``, the last end)."""
    if not dated:
        return [until or clock.now()]
    first = min(dated).astimezone(UTC)
    origin = first.replace(hour=0, minute=0, second=0, microsecond=0)
    last = until if until is not None else max(dated)
    ends = []
    end = origin + step
    while end < last:
        ends.append(end)
        end += step
    ends.append(until if until is not None else end)
    return ends


def _index(path: Path) -> list[_Entry]:
    """Every line's receipt time and place, sorted by receipt (then line)."""
    if path.suffix.lower() == ".csv":
        entries = [_Entry(_received(line), line.number, -1, line) for line in read(path, "csv")]
    else:
        entries = []
        with path.open("rb") as handle:
            offset = 0
            for number, raw in enumerate(iter(handle.readline, b""), start=1):
                if raw.strip():
                    line = next(read_jsonl(io.BytesIO(raw)), None)
                    if line is not None:
                        entries.append(_Entry(_received(line), number, offset))
                offset += len(raw)
    entries.sort(key=lambda e: (e.received, e.number))
    return entries


def _received(line: Line) -> datetime:
    value: Any = line.value
    if (
        line.problem is None
        and isinstance(value, dict)
        and isinstance(value.get("received_at"), str)
    ):
        try:
            moment = datetime.fromisoformat(value["received_at"])
        except ValueError:
            return BEFORE_ALL
        if moment.tzinfo is not None:
            return moment.astimezone(UTC)
    return BEFORE_ALL


@contextmanager
def _lines_in_order(path: Path, entries: list[_Entry]) -> Iterator[Iterator[tuple[_Entry, Line]]]:
    """The indexed lines, read back in the order received."""
    with path.open("rb") as handle:

        def lines() -> Iterator[tuple[_Entry, Line]]:
            for entry in entries:
                if entry.line is not None:
                    yield entry, entry.line
                    continue
                handle.seek(entry.offset)
                line = next(read_jsonl(io.BytesIO(handle.readline())))
                yield entry, Line(entry.number, line.value, line.problem, line.size)

        yield lines()
