"""``lantern resolve …``: people's judgements on who is who, the review queue,
and why two mentions were joined."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

out = Console()
err = Console(stderr=True)

Actor = Annotated[str, typer.Option(help="Who is judging (stored with the decision).")]
Reason = Annotated[str | None, typer.Option(help="Why (stored with the decision).")]
MentionA = Annotated[str, typer.Argument(help="A mention id (or an entity id).")]
MentionB = Annotated[str, typer.Argument(help="Another mention id (or entity id).")]
Limit = Annotated[int, typer.Option(help="How many pairs.")]
DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        envvar="LANTERN_DATABASE_URL",
        help="Database URL (default sqlite:///lantern.db).",
    ),
]


def register(app: typer.Typer, audit_app: typer.Typer) -> None:
    from lantern.cli import _engine

    resolve_app = typer.Typer(
        help="Who is who: judgements that always win, the review queue.", no_args_is_help=True
    )
    app.add_typer(resolve_app, name="resolve")

    def _judge(
        a: str, b: str, same: bool, actor: str, reason: str | None, database: str | None
    ) -> None:
        from lantern.resolve import judgements

        engine = _engine(database)
        try:
            pk = judgements.record(engine, a, b, same=same, actor=actor, reason=reason)
        except (LookupError, ValueError) as exc:
            err.print(f"[red]not recorded[/red]: {exc}")
            raise typer.Exit(1) from exc
        what = "the same" if same else "not the same"
        out.print(
            f"decision {pk}: {a} and {b} are {what} (applied at the next `lantern analyse`)",
            highlight=False,
        )

    @resolve_app.command("same")
    def same(
        a: MentionA, b: MentionB, actor: Actor, reason: Reason = None, database: DatabaseOpt = None
    ) -> None:
        """Judge two mentions to be the same person (or vehicle, phone, place)."""
        _judge(a, b, True, actor, reason, database)

    @resolve_app.command("not-same")
    def not_same(
        a: MentionA, b: MentionB, actor: Actor, reason: Reason = None, database: DatabaseOpt = None
    ) -> None:
        """Judge two mentions not to be the same: they will never be joined."""
        _judge(a, b, False, actor, reason, database)

    @resolve_app.command("review")
    def review(
        limit: Limit = 20,
        held: Annotated[
            bool,
            typer.Option(
                "--held",
                help="A child's records the rules held apart (two children of one name?), "
                "strongest first.",
            ),
        ] = False,
        database: DatabaseOpt = None,
    ) -> None:
        """Pairs to judge, nearest the match threshold first (or, with --held, a
        child's records held apart)."""
        from lantern.resolve import judgements

        engine = _engine(database)
        with engine.connect() as conn:
            rows = judgements.review(conn, limit, held=held)
        if not rows:
            out.print("nothing to review")
            return
        table = Table("mention a", "mention b", "weight", "held apart" if held else "joined now")
        for r in rows:
            table.add_row(
                r["mention_a"],
                r["mention_b"],
                f"{r['match_weight']:.1f}",
                r["held"] if held else "yes" if r["joined"] else "no",
            )
        out.print(table)

    @resolve_app.command("why")
    def why(a: MentionA, b: MentionB, database: DatabaseOpt = None) -> None:
        """The match weight of two mentions and the comparisons behind it."""
        from lantern.resolve.explain import explain

        engine = _engine(database)
        with engine.connect() as conn:
            found = explain(conn, a, b)
        if found is None:
            out.print(
                "these two were never scored against each other (no blocking rule pairs them)"
            )
            raise typer.Exit(1)
        out.print(
            f"match weight {found['match_weight']:+.2f} (joined: {'yes' if found['joined'] else 'no'})"
        )
        table = Table("comparison", "level", "weight")
        for r in found["reasons"]:
            table.add_row(r["comparison"], r["level"], f"{r['weight']:+.2f}")
        out.print(table)
        if found["in_common"]:
            out.print("in common: " + "; ".join(found["in_common"]))
