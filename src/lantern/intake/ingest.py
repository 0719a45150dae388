"""Taking a file of reports into the store.

Valid lines are stored in batches, each batch one transaction with its audit
rows, so a run killed part-way loses nothing that was committed and a re-run
finishes the file without doubling anything. Each invalid line is rejected
with file, line number and reason; every valid line is still taken.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from lantern.domain import Report
from lantern.intake.readers import Line, read
from lantern.intake.validate import Invalid, validate
from lantern.store import reports as report_store
from lantern.store.reports import Outcome

BATCH = 1000


@dataclass(frozen=True, slots=True)
class Rejection:
    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


@dataclass
class IngestResult:
    counts: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)
    stored: list[tuple[str, str, Outcome]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejections

    def summary(self) -> str:
        c = self.counts
        return (
            f"{c['new']} new, {c['unchanged']} unchanged, {c['revised']} revised, "
            f"{c['rejected']} rejected"
        )


def ingest_file(
    engine: Engine,
    path: Path,
    *,
    actor: str = "system",
    fmt: str | None = None,
    progress: Callable[[int], None] | None = None,
    on_rejection: Callable[[Rejection], None] | None = None,
) -> IngestResult:
    """Ingests a JSON Lines or CSV file. ``progress`` is called with the bytes
    read since its last call."""
    return ingest_lines(
        engine,
        read(path, fmt),
        source=str(path),
        actor=actor,
        progress=progress,
        on_rejection=on_rejection,
    )


def ingest_lines(
    engine: Engine,
    lines: Iterable[Line],
    *,
    source: str,
    actor: str = "system",
    progress: Callable[[int], None] | None = None,
    on_rejection: Callable[[Rejection], None] | None = None,
    keep_keys: bool = False,
) -> IngestResult:
    result = IngestResult()
    for batch in _batches(lines, result, source, progress, on_rejection):
        outcomes = store_reports(engine, batch, actor=actor)
        for report, outcome in zip(batch, outcomes, strict=True):
            result.counts[outcome.value] += 1
            if keep_keys:
                result.stored.append((report.agency, report.id, outcome))
    return result


def store_reports(engine: Engine, batch: list[Report], *, actor: str) -> list[Outcome]:
    """Stores reports in one transaction (with their audit rows)."""
    with engine.begin() as conn:
        return report_store.put_many(conn, batch, actor=actor)


def _batches(
    lines: Iterable[Line],
    result: IngestResult,
    source: str,
    progress: Callable[[int], None] | None,
    on_rejection: Callable[[Rejection], None] | None,
) -> Iterator[list[Report]]:
    batch: list[Report] = []
    for line in lines:
        if progress is not None:
            progress(line.size + 1)
        problem = line.problem
        if problem is None:
            try:
                batch.append(validate(line.value))
            except Invalid as exc:
                problem = "; ".join(exc.problems)
        if problem is not None:
            rejection = Rejection(source, line.number, problem)
            result.rejections.append(rejection)
            result.counts["rejected"] += 1
            if on_rejection is not None:
                on_rejection(rejection)
            continue
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
