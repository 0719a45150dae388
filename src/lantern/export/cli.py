"""``lantern profile SUBJECT``: a printable profile of one person (or object)
or one group, as HTML or PDF. ``lantern export`` itself is in ``lantern.cli``;
its formats are ``lantern.export.FORMATS``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy import Engine

err = Console(stderr=True, soft_wrap=True)

DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        envvar="LANTERN_DATABASE_URL",
        help="Database URL (default sqlite:///lantern.db).",
    ),
]


def write_profile(
    engine: Engine,
    subject_id: str,
    out: Path,
    *,
    fmt: str = "pdf",
    user: Any = None,
    reason: str | None = None,
    as_of: Any = None,
) -> dict[str, Any]:
    """Renders the profile to ``out`` and records it in the audit log."""
    from lantern.export import profile, record
    from lantern.export.picture import ExportError

    if fmt not in profile.FORMATS:
        raise ExportError(f"a profile is html or pdf, not {fmt!r}")
    built = profile.build(engine, subject_id, user=user, as_of=as_of, reason=reason)
    if fmt == "pdf":
        out.write_bytes(profile.render_pdf(built))
    else:
        out.write_text(profile.render_html(built), encoding="utf-8")
    summary = {
        "format": fmt,
        "reports": len(built.chronology),
        "linked": len(built.linked),
        "open_actions": len(built.actions),
    }
    options = {"user": user, "reason": reason, "as_of": as_of}
    options["group" if subject_id.startswith("group:") else "person"] = subject_id
    record(engine, "export.profile", options, summary, out=out)
    return summary


def register(app: typer.Typer, audit_app: typer.Typer) -> None:
    from lantern.cli import _aware, _engine

    @app.command("profile")
    def profile_command(
        subject: Annotated[
            str, typer.Argument(help="A person's (or object's) id, or a group's id (group:…).")
        ],
        fmt: Annotated[str, typer.Option("--format", help="html or pdf")] = "pdf",
        out_file: Annotated[
            Path | None, typer.Option("--out", help="File to write (default: SUBJECT.FORMAT).")
        ] = None,
        user: Annotated[
            str | None, typer.Option("--user", help="Who prints it: only what they may see.")
        ] = None,
        reason: Annotated[
            str | None, typer.Option("--reason", help="Why (written to the audit log).")
        ] = None,
        as_of: Annotated[
            datetime | None, typer.Option("--as-of", help="The clock findings are computed at.")
        ] = None,
        database: DatabaseOpt = None,
    ) -> None:
        """A printable profile of one person or group: names and identifiers,
        chronology across agencies, linked people and objects with a link chart,
        risk or priority with its reasons, open actions."""
        from lantern.export.picture import ExportError

        engine = _engine(database)
        out = out_file or Path(f"{subject.replace(':', '-')}.{fmt}")
        try:
            write_profile(
                engine,
                subject,
                out,
                fmt=fmt,
                user=user,
                reason=reason,
                as_of=_aware(as_of) if as_of else None,
            )
        except ExportError as exc:
            err.print(f"[red]no profile[/red]: {exc}")
            raise typer.Exit(2) from exc
        err.print(f"wrote {out}")
