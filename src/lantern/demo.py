"""``make demo``: a simulated town, taken in and analysed, then served.

1. generates the small simulated town (``lantern sim``) into ``demo-town/``;
2. ingests it into ``demo-town/lantern.db`` and runs ``lantern analyse``;
3. prints what Lantern found and how well (``lantern evaluate`` against the truth);
4. creates demo users with generated passwords (printed once) and serves the
   workspace on http://127.0.0.1:8000 (``--no-serve`` to stop after step 3).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from lantern.intake.ingest import ingest_file
from lantern.pipeline import analyse
from lantern.store import audit
from lantern.store.db import open_store

console = Console()


def _optional(module_path: str) -> Any | None:
    import importlib

    try:
        return importlib.import_module(module_path)
    except ModuleNotFoundError as exc:
        if exc.name and module_path.startswith(exc.name):
            return None
        raise


def build(out_dir: Path, seed: int = 7, size: str = "small") -> tuple[str, Path, dict[str, Any]]:
    """Generates, ingests and analyses the demo town; returns (database URL, truth path, export)."""
    from lantern.export.json_export import build as build_export
    from lantern.sim import generate_town

    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "lantern.db"
    for stale in out_dir.glob("lantern.db*"):
        stale.unlink()
    reports_path, truth_path = generate_town(seed, size, out_dir)
    console.print(f"[bold]simulated town[/bold] (seed {seed}, {size}) → {reports_path}")
    url = f"sqlite:///{db}"
    engine = open_store(url)
    result = ingest_file(engine, reports_path)
    console.print(f"[bold]ingested[/bold] {result.summary()}")
    for stage in analyse(engine):
        console.print(f"[bold]{stage.name}[/bold]: {stage.summary}")
    export = build_export(engine)
    with engine.connect() as conn:
        check = audit.verify(conn)
    console.print(
        f"[bold]audit chain[/bold]: {'intact' if check.ok else 'BROKEN'} ({check.rows} rows)"
    )
    engine.dispose()
    return url, truth_path, export


def show(export: dict[str, Any], truth_path: Path) -> None:
    """What Lantern found, and how it scores against the simulator's truth."""
    reports = export["reports"]
    proposed = [
        r for r in reports if r["recording"]["offences"] or r["recording"]["decision"] == "crime"
    ]
    flagged = [r for r in reports if r.get("language_flags")]
    console.print(
        f"\n[bold]{len(reports)} reports[/bold]: {len(proposed)} disclose a crime to record, "
        f"{len(flagged)} carry victim-blaming language flags"
    )
    console.print(
        f"[bold]{len(export['people'])} people[/bold], {len(export['vehicles'])} vehicles, "
        f"{len(export['phones'])} phones, {len(export['locations'])} places resolved"
    )
    if export["groups"]:
        table = Table(title="Groups")
        for col in ("group", "members", "children", "reports", "agencies", "first seen"):
            table.add_column(col)
        for g in export["groups"][:8]:
            table.add_row(
                str(g["group_id"]),
                str(len(g["members"])),
                str(len(g.get("victims", []))),
                str(g.get("reports", "")),
                str(g.get("agencies", "")),
                str(g.get("first_seen", ""))[:10],
            )
        console.print(table)
    at_risk = [
        p for p in export["people"] if (p.get("risk") or {}).get("level") in ("medium", "high")
    ]
    if at_risk:
        console.print(f"[bold]{len(at_risk)} children at medium or high risk[/bold]; first:")
        for p in at_risk[:3]:
            console.print(
                f"  {p['names'][:1]} {p['risk']['level']}: {'; '.join(map(str, p['risk']['reasons'][:3]))}"
            )
    console.print(f"[bold]{len(export['alerts'])} alerts[/bold], {len(export['actions'])} actions")
    evaluate = _optional("lantern.evaluate")
    if evaluate is not None and hasattr(evaluate, "evaluate"):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        scores = evaluate.evaluate(truth, export)
        console.print("\n[bold]scored against the simulator's truth[/bold] (lantern evaluate):")
        console.print_json(json.dumps(scores))
        console.print(
            "[dim]Every report was analysed at once, today, so every alert was raised "
            "today and the time to detection counts the years since each group began. "
            "`lantern replay --step 7d` analyses week by week as the reports come in and "
            "measures how soon a group is found (docs/network.md).[/dim]"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("demo-town"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--size", default="small")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    url, truth_path, export = build(args.out, args.seed, args.size)
    show(export, truth_path)
    if args.no_serve:
        return 0
    return serve(url, args.port)


def serve(url: str, port: int) -> int:
    demo_users = _optional("lantern.auth.demo")
    web = _optional("lantern.web.app")
    if web is None or demo_users is None:
        console.print("(the web workspace is not installed yet)")
        return 0
    import uvicorn

    engine = open_store(url)
    console.print("\n[bold]demo users[/bold] (passwords are generated now and shown only once):")
    for user in demo_users.create_demo_users(engine):
        password = user.password or "(unchanged: this user already existed)"
        console.print(f"  {user.username:<18} {user.role:<12} {user.agency:<18} {password}")
    console.print(
        f"\n[bold]Lantern is serving the demo town at http://127.0.0.1:{port}/[/bold]  (Ctrl-C stops it)"
    )
    uvicorn.run(web.create_app(engine), host="127.0.0.1", port=port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
