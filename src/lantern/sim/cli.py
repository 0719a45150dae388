"""``lantern sim``: generate a simulated town with its truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer, audit_app: typer.Typer) -> None:
    """Add ``sim`` to the ``lantern`` command."""
    del audit_app

    @app.command()
    def sim(
        seed: Annotated[
            int, typer.Option(help="Random seed: the same seed gives the same town.")
        ] = 7,
        size: Annotated[
            str, typer.Option(help="small (~500 reports), medium (~5,000) or large (~100,000).")
        ] = "small",
        out: Annotated[
            Path, typer.Option("--out", help="Folder to write reports.jsonl and truth.json to.")
        ] = Path("town"),
    ) -> None:
        """Generate a simulated town: DIR/reports.jsonl (interchange format) and
        DIR/truth.json (what Lantern should find)."""
        from lantern.sim import SIZES, generate_town

        if size not in SIZES:
            raise typer.BadParameter(f"size must be one of {', '.join(SIZES)}", param_hint="--size")
        reports, truth_path = generate_town(seed, size, out)
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        records = sum(1 for r in truth["reports"] if r["must_record"])
        exploited = sum(1 for p in truth["people"] if p["exploited"])
        typer.echo(
            f"{truth['town']} ({size}, seed {seed}): {len(truth['reports'])} reports, "
            f"{len(truth['people'])} people, {len(truth['groups'])} groups, "
            f"{exploited} exploited children, {records} reports that must be recorded"
        )
        typer.echo(f"wrote {reports} and {truth_path}")
