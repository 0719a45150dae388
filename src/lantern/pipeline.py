"""``lantern analyse``: brings every finding up to date with the facts.

Stages run in the order of the data flow (architecture.md). Each stage is a
function ``run(engine, *, full: bool) -> str`` that updates its findings
incrementally (or recomputes them when ``full``) and returns a one-line summary.
A stage is named here by module path so a package that has not landed yet is
simply skipped.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

STAGES: tuple[tuple[str, str], ...] = (
    ("extract", "lantern.extract.stage"),
    ("recording", "lantern.recording.stage"),
    ("victimfirst", "lantern.victimfirst.stage"),
    ("resolve", "lantern.resolve.stage"),
    ("network", "lantern.network.stage"),
    ("tasking", "lantern.tasking.stage"),
)

StageRun = Callable[..., str]


@dataclass(frozen=True, slots=True)
class StageResult:
    name: str
    summary: str


def available_stages() -> list[tuple[str, StageRun]]:
    found = []
    for name, module_path in STAGES:
        try:
            module = importlib.import_module(module_path)
        except ModuleNotFoundError as exc:
            if exc.name == module_path or module_path.startswith(f"{exc.name}."):
                continue
            raise
        found.append((name, module.run))
    return found


def analyse(engine: Engine, *, full: bool = False) -> list[StageResult]:
    """Runs every available stage in order."""
    return [StageResult(name, run(engine, full=full)) for name, run in available_stages()]
