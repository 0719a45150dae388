"""The ``lantern`` command."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from lantern.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

app = typer.Typer(
    help="Lantern: record every disclosed crime, join up what agencies report, act on it.",
    no_args_is_help=True,
    add_completion=False,
)
audit_app = typer.Typer(help="The audit log and crime-recording compliance.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        envvar="LANTERN_DATABASE_URL",
        help="Database URL (default sqlite:///lantern.db).",
    ),
]


def _engine(database: str | None) -> Engine:
    from lantern.store.db import open_store

    return open_store(Settings.from_env(database_url=database).database_url)


@app.command()
def ingest(
    files: Annotated[
        list[Path], typer.Argument(exists=True, dir_okay=False, help="JSON Lines or CSV files.")
    ],
    database: DatabaseOpt = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl or csv (default: by suffix).")
    ] = None,
    actor: Annotated[
        str, typer.Option(help="Who is ingesting (written to the audit log).")
    ] = "system",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Take reports into the store. Invalid lines are rejected with file, line and
    reason; every valid line is still taken. Exits 1 if anything was rejected."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from lantern.intake.ingest import Rejection, ingest_file

    engine = _engine(database)
    rejected_any = False
    shown = 0

    def report_rejection(rejection: Rejection) -> None:
        nonlocal shown
        shown += 1
        if shown <= 200:
            err.print(
                f"[red]rejected[/red] {rejection}", markup=True, highlight=False, soft_wrap=True
            )
        elif shown == 201:
            err.print("… further rejections are counted but not shown")

    for path in files:
        show_bar = sys.stderr.isatty() and not quiet
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=err,
            disable=not show_bar,
            transient=True,
        ) as bar:
            task = bar.add_task(path.name, total=path.stat().st_size)
            result = ingest_file(
                engine,
                path,
                actor=actor,
                fmt=fmt,
                progress=lambda n, task=task: bar.advance(task, n),  # type: ignore[misc]
                on_rejection=report_rejection,
            )
        out.print(f"{path}: {result.summary()}", highlight=False)
        rejected_any |= not result.ok
    raise typer.Exit(1 if rejected_any else 0)


@app.command()
def analyse(
    database: DatabaseOpt = None,
    full: Annotated[
        bool, typer.Option("--full", help="Recompute every finding from the facts.")
    ] = False,
) -> None:
    """Bring every finding up to date with the reports and decisions in the store."""
    from lantern.pipeline import analyse as run_analysis

    engine = _engine(database)
    results = run_analysis(engine, full=full)
    if not results:
        out.print("nothing to analyse yet: no analysis stages are installed")
    for result in results:
        out.print(f"{result.name}: {result.summary}", highlight=False)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="json, ftm, graphml or i2")] = "json",
    out_file: Annotated[
        Path | None,
        typer.Option(
            "--out", help="File to write (default: standard output); i2 also writes FILE-links.csv."
        ),
    ] = None,
    as_of: Annotated[
        datetime | None, typer.Option("--as-of", help="The clock findings are computed at.")
    ] = None,
    database: DatabaseOpt = None,
    group: Annotated[
        str | None, typer.Option("--group", help="Only this group and its first-degree links.")
    ] = None,
    person: Annotated[
        str | None, typer.Option("--person", help="Only this person and their first-degree links.")
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Who exports: only what they may see is written.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (written to the audit log).")
    ] = None,
) -> None:
    """Write Lantern's findings (JSON per the interchange spec, FtM, GraphML, i2 CSV)."""
    from lantern.export import export as run_export
    from lantern.export.picture import ExportError

    engine = _engine(database)
    moment = _aware(as_of) if as_of else None
    options = {"as_of": moment, "group": group, "person": person, "user": user, "reason": reason}
    try:
        if out_file is None:
            run_export(engine, fmt, sys.stdout, **options)
            return
        with out_file.open("w", encoding="utf-8", newline="") as handle:
            run_export(engine, fmt, handle, **options)
    except (ExportError, KeyError) as exc:
        if out_file is not None:
            out_file.unlink(missing_ok=True)
        err.print(f"[red]not exported[/red]: {exc}")
        raise typer.Exit(2) from exc
    err.print(f"wrote {out_file}")


@audit_app.command("verify")
def audit_verify(database: DatabaseOpt = None) -> None:
    """Walk the audit chain; name the first broken row. Exits 1 if broken."""
    from lantern.store import audit

    engine = _engine(database)
    with engine.connect() as conn:
        result = audit.verify(conn)
    if result.ok:
        out.print(f"audit chain intact: {result.rows} rows")
        return
    err.print(
        f"[red]audit chain broken at row {result.broken_seq}[/red]: {result.problem} "
        f"({result.rows} rows before it verified)"
    )
    raise typer.Exit(1)


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Each package that adds commands has a module with ``register(app)``; one that
# has not landed yet is skipped.
COMMAND_MODULES = (
    "lantern.sim.cli",  # sim, replay
    "lantern.evaluate.cli",  # evaluate
    "lantern.recording.cli",  # audit recording, record/no-crime decisions
    "lantern.resolve.cli",  # judgements, review queue
    "lantern.auth.cli",  # users add
    "lantern.web.cli",  # serve
    "lantern.export.cli",  # profile
)


def _register_commands() -> None:
    import importlib

    for module_path in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_path)
        except ModuleNotFoundError as exc:
            if exc.name and module_path.startswith(exc.name):
                continue
            raise
        module.register(app, audit_app)


_register_commands()


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
