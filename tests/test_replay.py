"""``lantern replay``: reports taken in the order received, analysed at each
step with the clock at that step's end."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from lantern import clock, pipeline
from lantern.evaluate.cli import register
from lantern.replay import parse_step, replay
from lantern.store import reports as report_store
from lantern.store.schema import reports
from tests.factories import report, write_jsonl


def _app() -> typer.Typer:
    """The commands of this package on their own ``lantern`` app."""
    app = typer.Typer()
    register(app, typer.Typer())
    return app


# factories.report(n) is received in January 2024, day 1 + n % 28, hour n % 24
N = 40


def _shuffled_file(tmp_path: Path, extra: list[object] = ()) -> Path:  # type: ignore[assignment]
    rows: list[object] = [report(n) for n in range(N)]
    random.Random(3).shuffle(rows)
    return write_jsonl(tmp_path / "reports.jsonl", [*rows, *extra])


class AnalyseSpy:
    """Stands in for the analysis stages: notes the clock and what was stored."""

    def __init__(self) -> None:
        self.calls: list[tuple[datetime, int, datetime | None]] = []

    def run(self, engine: Engine, *, full: bool = False) -> str:
        with engine.connect() as conn:
            stored = report_store.count(conn)
            latest = conn.execute(select(func.max(reports.c.received_at))).scalar()
        self.calls.append((clock.now(), stored, latest))
        return f"{stored} reports"


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> AnalyseSpy:
    spy = AnalyseSpy()
    monkeypatch.setattr(pipeline, "available_stages", lambda: [("spy", spy.run)])
    return spy


@pytest.mark.parametrize(
    ("text", "step"),
    [("7d", timedelta(days=7)), ("12h", timedelta(hours=12)), ("2w", timedelta(weeks=2))],
)
def test_steps_are_written_as_hours_days_or_weeks(text: str, step: timedelta) -> None:
    assert parse_step(text) == step


@pytest.mark.parametrize("text", ["7", "0d", "7y", "-1d", "d"])
def test_a_step_without_a_known_unit_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a step"):
        parse_step(text)


def test_replay_stores_every_report_with_simulated_times(
    engine: Engine, spy: AnalyseSpy, tmp_path: Path
) -> None:
    result = replay(engine, _shuffled_file(tmp_path), step=timedelta(days=7))

    assert result.counts["new"] == N
    with engine.connect() as conn:
        stored = list(report_store.iter_current(conn))
    assert len(stored) == N
    for item in stored:
        # stored at (about) its own receipt, in 2024, never at the wall clock
        assert item.report.received_at <= item.first_stored_at
        assert item.first_stored_at - item.report.received_at < timedelta(days=7)


def test_analyse_runs_at_each_step_end_seeing_only_reports_received_by_then(
    sqlite_engine: Engine, spy: AnalyseSpy, tmp_path: Path
) -> None:
    result = replay(sqlite_engine, _shuffled_file(tmp_path), step=timedelta(days=7))

    start = datetime(2024, 1, 1, tzinfo=UTC)
    assert result.steps == 4  # Jan 1-8, -15, -22, -29 cover days 1 to 28
    assert [moment for moment, _, _ in spy.calls] == [
        start + timedelta(days=7 * k) for k in range(1, 5)
    ]
    received = sorted(datetime.fromisoformat(report(n)["received_at"]) for n in range(N))
    for moment, stored, latest in spy.calls:
        assert stored == sum(1 for r in received if r <= moment)
        assert latest is None or latest <= moment
    assert spy.calls[-1][1] == N


def test_replay_until_stops_there_and_leaves_later_reports(
    sqlite_engine: Engine, spy: AnalyseSpy, tmp_path: Path
) -> None:
    until = datetime(2024, 1, 10, tzinfo=UTC)

    result = replay(sqlite_engine, _shuffled_file(tmp_path), step=timedelta(days=7), until=until)

    by_then = sum(1 for n in range(N) if datetime.fromisoformat(report(n)["received_at"]) <= until)
    assert result.counts["new"] == by_then
    assert result.after_until == N - by_then
    assert result.last_step_end == until
    assert spy.calls[-1][0] == until


def test_analyse_every_skips_steps_but_always_runs_at_the_last(
    sqlite_engine: Engine, spy: AnalyseSpy, tmp_path: Path
) -> None:
    replay(sqlite_engine, _shuffled_file(tmp_path), step=timedelta(days=1), analyse_every=10)

    steps = [moment.day for moment, _, _ in spy.calls]
    assert steps == [11, 21, 29]  # steps 10 and 20 of 28 end on Jan 11 and 21


def test_unreadable_lines_are_rejected_and_the_rest_replayed(
    sqlite_engine: Engine, spy: AnalyseSpy, tmp_path: Path
) -> None:
    bad = ["{not json", json.dumps({"id": "X", "agency": "syp", "narrative": "no date"})]

    result = replay(sqlite_engine, _shuffled_file(tmp_path, bad), step=timedelta(days=7))

    assert result.counts["new"] == N
    assert result.counts["rejected"] == 2
    assert sorted(r.line for r in result.rejections) == [N + 1, N + 2]


def test_replay_command_writes_the_export_as_of_the_last_step(
    sqlite_url: str, spy: AnalyseSpy, tmp_path: Path
) -> None:
    out = tmp_path / "export.json"

    run = CliRunner().invoke(
        _app(),
        ["replay", str(_shuffled_file(tmp_path)), "--step", "2w", "--database", sqlite_url,
         "--out", str(out), "--progress-every", "1"],
    )  # fmt: skip

    assert run.exit_code == 0, run.output
    assert "step 1/2 to 2024-01-15 00:00" in run.stdout
    assert f"{N} new" in run.stdout
    export = json.loads(out.read_text())
    assert export["as_of"] == "2024-01-29T00:00:00+00:00"
    assert export["generated_at"] == export["as_of"]
    assert len(export["reports"]) == N


def test_a_failing_analysis_stops_the_replay_unless_asked_to_go_on(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[datetime] = []

    def flaky(engine: Engine, *, full: bool = False) -> str:
        calls.append(clock.now())
        if len(calls) == 2:
            raise RuntimeError("stage fell over")
        return "ok"

    monkeypatch.setattr(pipeline, "available_stages", lambda: [("flaky", flaky)])
    path = _shuffled_file(tmp_path)
    with pytest.raises(RuntimeError, match="fell over"):
        replay(sqlite_engine, path, step=timedelta(days=7))

    calls.clear()
    told: list[datetime] = []
    result = replay(
        sqlite_engine,
        path,
        step=timedelta(days=7),
        on_analyse_error=lambda end, _: told.append(end),
    )

    assert result.analyse_failures == 1
    assert told == [datetime(2024, 1, 15, tzinfo=UTC)]
    assert len(calls) == 4  # the steps after the failure still ran
