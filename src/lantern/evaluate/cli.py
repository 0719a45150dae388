"""``lantern evaluate`` (score an export against a truth) and ``lantern replay``
(ingest and analyse in simulated time)."""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        envvar="LANTERN_DATABASE_URL",
        help="Database URL (default sqlite:///lantern.db).",
    ),
]


def _load_json(path: Path, what: str) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        typer.echo(f"cannot read the {what} {path}: {exc}", err=True)
        raise typer.Exit(2) from exc


def evaluate_command(
    truth: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="truth.json")],
    export: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="A JSON export of findings.")
    ],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Also write the metrics to this file.")
    ] = None,
) -> None:
    """Score an export against a simulated town's truth; print JSON metrics."""
    from lantern.evaluate import evaluate

    truth_doc = _load_json(truth, "truth")
    export_doc = _load_json(export, "export")
    if not isinstance(truth_doc, dict) or not isinstance(export_doc, dict):
        typer.echo("the truth and the export must each be a JSON object", err=True)
        raise typer.Exit(2)
    try:
        metrics = evaluate(truth_doc, export_doc)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    text = json.dumps(metrics, indent=2, ensure_ascii=False)
    typer.echo(text)
    if out_file is not None:
        out_file.write_text(text + "\n", encoding="utf-8")


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def replay_command(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Reports (JSON Lines or CSV).")
    ],
    step: Annotated[
        str, typer.Option("--step", help="Step between analyses: Nh, Nd or Nw.")
    ] = "7d",
    database: DatabaseOpt = None,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Write the JSON export, as of the last step, to this file."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until", help="Stop here (a date is its midnight, UTC); later reports wait."
        ),
    ] = None,
    analyse_every: Annotated[
        int, typer.Option("--analyse-every", min=1, help="Analyse every N steps (and at the last).")
    ] = 1,
    progress_every: Annotated[
        int, typer.Option("--progress-every", min=1, help="Print a progress line every N steps.")
    ] = 10,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going", help="When an analysis fails, say so and go on to the next step."
        ),
    ] = False,
) -> None:
    """Ingest reports in the order received, analysing at each step with the
    clock set to that step's end (simulated time)."""
    from lantern import clock
    from lantern.export import export
    from lantern.replay import StepDone, parse_step, replay
    from lantern.settings import Settings
    from lantern.store.db import open_store

    try:
        step_size = parse_step(step)
        stop = _moment(until) if until else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    engine = open_store(Settings.from_env(database_url=database).database_url)
    started = time.monotonic()

    def progress(done: StepDone) -> None:
        if done.number % progress_every and done.number != done.steps:
            return
        stages = "; ".join(f"{r.name}: {r.summary}" for r in done.analysed or [])
        typer.echo(
            f"step {done.number}/{done.steps} to {done.end:%Y-%m-%d %H:%M}: "
            f"{done.stored} reports stored, {sum(done.taken.values())} this step"
            f" [{time.monotonic() - started:.0f}s]" + (f" | {stages}" if stages else "")
        )

    shown = 0

    def rejected(rejection: object) -> None:
        nonlocal shown
        shown += 1
        if shown <= 50:
            typer.echo(f"rejected {rejection}", err=True)

    def failed(end: datetime, exc: Exception) -> None:
        typer.echo(f"analysis at {end:%Y-%m-%d %H:%M} failed: {exc!r}"[:500], err=True)

    result = replay(
        engine,
        file,
        step=step_size,
        until=stop,
        analyse_every=analyse_every,
        on_step=progress,
        on_rejection=rejected,
        on_analyse_error=failed if keep_going else None,
    )
    c = result.counts
    typer.echo(
        f"{file}: {result.steps} steps; {c['new']} new, {c['unchanged']} unchanged, "
        f"{c['revised']} revised, {c['rejected']} rejected"
        + (
            f"; {result.after_until} received after --until, not taken"
            if result.after_until
            else ""
        )
        + (f"; {result.analyse_failures} analyses failed" if result.analyse_failures else "")
    )
    if out_file is not None and result.last_step_end is not None:
        with clock.frozen_at(result.last_step_end), out_file.open("w", encoding="utf-8") as handle:
            export(engine, "json", handle, as_of=result.last_step_end)
        typer.echo(f"wrote {out_file} (as of {result.last_step_end.isoformat()})", err=True)
    sys.stdout.flush()
    raise typer.Exit(1 if c["rejected"] or result.analyse_failures else 0)


def register(app: typer.Typer, audit_app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_command)
    app.command("replay")(replay_command)
