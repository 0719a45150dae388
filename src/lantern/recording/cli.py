"""Commands: ``lantern audit recording`` (the compliance audit) and
``lantern recording show|record|no-crime|cancel`` (the proposal for a report
and a person's recording decisions)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy import Engine

from lantern.domain import Decision

out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, markup=False)

DatabaseOpt = Annotated[
    str | None,
    typer.Option("--database", envvar="LANTERN_DATABASE_URL", help="Database URL."),
]
ActorOpt = Annotated[
    str, typer.Option("--actor", help="Who is deciding (written to the audit log).")
]


def _engine(database: str | None) -> Engine:
    from lantern.settings import Settings
    from lantern.store.db import open_store

    return open_store(Settings.from_env(database_url=database).database_url)


def audit_recording(
    period_from: Annotated[
        datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="First day received.")
    ] = None,
    period_to: Annotated[
        datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day received.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, json or html.")] = "text",
    out_file: Annotated[Path | None, typer.Option("--out", help="File to write.")] = None,
    database: DatabaseOpt = None,
) -> None:
    """Crime-recording compliance: for every report in the period that disclosed a
    crime, recorded or not, classified right or not, decided within 24 hours or
    not; rates with 95% confidence intervals, by agency, channel and decision-maker."""
    from lantern import clock
    from lantern.recording.compliance import run_audit
    from lantern.recording.compliance_report import FORMATS

    if fmt not in FORMATS:
        err.print(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    audit = run_audit(
        _engine(database),
        period_from=period_from.date() if period_from else None,
        period_to=period_to.date() if period_to else None,
        as_of=clock.now(),
    )
    text = FORMATS[fmt](audit)
    if out_file is None:
        print(text, end="")
    else:
        out_file.write_text(text, encoding="utf-8")
        err.print(f"wrote {out_file}")


recording_app = typer.Typer(
    help="Crime-recording decisions: see the proposal, record, no-crime, cancel.",
    no_args_is_help=True,
)


@recording_app.command("show")
def show(agency: str, report_id: str, database: DatabaseOpt = None) -> None:
    """The proposed crimes for a report (with their reasons) and its decisions."""
    from sqlalchemy import select

    from lantern import clock
    from lantern.recording.decisions import decisions_for, recording_state, report_subject
    from lantern.store.findings.recording import recording_proposals

    engine = _engine(database)
    subject = report_subject(agency, report_id)
    with engine.connect() as conn:
        row = conn.execute(
            select(recording_proposals).where(
                recording_proposals.c.agency == agency, recording_proposals.c.report_id == report_id
            )
        ).first()
        history = decisions_for(conn, [subject]).get(subject, [])
    if row is None:
        err.print(f"no proposal for {agency}/{report_id}: run `lantern analyse` first")
        raise typer.Exit(1)
    state = recording_state(history)
    out.print(f"{agency}/{report_id}: decision {state.decision}; due by {row.deadline.isoformat()}")
    if state.decision == "pending" and row.has_crime and clock.now() > row.deadline:
        out.print("  the 24-hour deadline has passed")
    for crime in row.proposal["crimes"]:
        offence = crime["offence"]
        out.print(
            f"  proposed: {offence['act_section']} ({offence['code']} {offence['title']}), "
            f"victim {crime.get('victim_name') or crime.get('victim') or 'not named'}, "
            f"incident {crime['incident']}"
        )
        for reason in crime["reasons"]:
            span = reason.get("span")
            where = f" [{span['source']} {span['start']}-{span['end']}]" if span else ""
            out.print(f"    - {reason['fact']}: {reason['text']}{where}")
    for concern in row.proposal["concerns"]:
        out.print(f"  safeguarding concern: {concern['text']}")
    for note in row.proposal["notes"]:
        out.print(f"  note: {note}")
    for decision in history:
        out.print(
            f"  {decision.made_at.isoformat()} {decision.kind.value} by {decision.actor}: "
            f"{json.dumps(decision.payload)}"
        )


def _decide(database: str | None, fn: Callable[..., Decision], **kwargs: Any) -> None:
    from lantern.recording.decisions import DecisionRefused

    engine = _engine(database)
    try:
        with engine.begin() as conn:
            decision = fn(conn, **kwargs)
    except DecisionRefused as refused:
        err.print(f"refused: {refused}")
        raise typer.Exit(1) from refused
    out.print(f"decision {decision.decision_id}: {decision.kind.value} for {decision.subject}")


@recording_app.command("record")
def record(
    agency: str,
    report_id: str,
    crime_reference: Annotated[str, typer.Option("--crime-reference", help="The crime number.")],
    offence: Annotated[
        list[str], typer.Option("--offence", help="Offence: Act and section, code or catalogue id.")
    ],
    victim: Annotated[str | None, typer.Option(help="The victim's mention id.")] = None,
    actor: ActorOpt = "system",
    database: DatabaseOpt = None,
) -> None:
    """Record a crime for a report, with its crime reference."""
    from lantern.recording.decisions import record_crime

    _decide(
        database,
        record_crime,
        agency=agency,
        report_id=report_id,
        actor=actor,
        crime_reference=crime_reference,
        offences=offence,
        victim=victim,
    )


@recording_app.command("no-crime")
def no_crime(
    agency: str,
    report_id: str,
    reason: Annotated[str, typer.Option(help="A Counting Rules reason (see offences.yaml).")],
    notes: Annotated[str | None, typer.Option(help="Free text.")] = None,
    actor: ActorOpt = "system",
    database: DatabaseOpt = None,
) -> None:
    """Decide a report is not a crime (it stays an incident record)."""
    from lantern.recording.decisions import record_no_crime

    _decide(
        database,
        record_no_crime,
        agency=agency,
        report_id=report_id,
        actor=actor,
        reason=reason,
        notes=notes,
    )


@recording_app.command("cancel")
def cancel(
    agency: str,
    report_id: str,
    crime_reference: Annotated[str, typer.Option("--crime-reference")],
    reason: Annotated[str, typer.Option(help="A cancellation reason (see offences.yaml).")],
    information: Annotated[
        str, typer.Option("--information", help="The additional verifiable information.")
    ],
    authorised_by: Annotated[str, typer.Option("--authorised-by", help="The supervisor.")],
    actor: ActorOpt = "system",
    database: DatabaseOpt = None,
) -> None:
    """Cancel a recorded crime: needs additional verifiable information and a
    supervisor's authority."""
    from lantern.recording.decisions import cancel_crime

    _decide(
        database,
        cancel_crime,
        agency=agency,
        report_id=report_id,
        actor=actor,
        crime_reference=crime_reference,
        reason=reason,
        verifiable_information=information,
        authorised_by=authorised_by,
    )


def register(app: typer.Typer, audit_app: typer.Typer) -> None:
    audit_app.command("recording")(audit_recording)
    app.add_typer(recording_app, name="recording")
