"""``lantern serve``: the web workspace and JSON API.

A server never starts with a default password: there is none. It refuses to
start until at least one user exists (``lantern users add`` or ``lantern
users demo``, which prints generated passwords once)."""

from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine

err = Console(stderr=True)


def register(app: typer.Typer, audit_app: typer.Typer) -> None:
    from lantern.cli import DatabaseOpt

    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        database: DatabaseOpt = None,
        log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    ) -> None:
        """Serve the workspace and the API (e.g. --database postgresql+psycopg://…)."""
        import uvicorn

        from lantern.settings import Settings
        from lantern.store.db import open_store
        from lantern.web.app import create_app

        url = Settings.from_env(database_url=database).database_url
        engine = open_store(url)
        if not has_users(engine):
            err.print(
                "[red]no users yet[/red]: add one with `lantern users add` (or `lantern users "
                "demo`); Lantern has no default password",
                soft_wrap=True,
            )
            raise typer.Exit(1)
        err.print(f"Lantern on http://{host}:{port}/ ({engine.url.render_as_string()})")
        uvicorn.run(create_app(engine), host=host, port=port, log_level=log_level)


def has_users(engine: Engine) -> bool:
    from sqlalchemy import func, select

    from lantern.store.security_schema import users

    with engine.connect() as conn:
        return bool(conn.execute(select(func.count()).select_from(users)).scalar())
