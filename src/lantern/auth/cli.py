"""``lantern users …``: add agencies and users, issue API tokens, create the
demo users. Passwords are typed (hidden) or generated and printed once."""

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from lantern.auth.demo import DemoUser
from lantern.auth.roles import ROLES

out = Console()
err = Console(stderr=True)


def register(app: typer.Typer, audit_app: typer.Typer) -> None:
    from lantern.cli import DatabaseOpt, _engine

    users_app = typer.Typer(help="Users, agencies and API tokens.", no_args_is_help=True)
    app.add_typer(users_app, name="users")

    @users_app.command("add")
    def add(
        username: Annotated[str, typer.Argument(help="Sign-in name, e.g. jo.bloggs")],
        agency: Annotated[str, typer.Option(help="Agency code (added with `users agency`).")],
        role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")],
        name: Annotated[str | None, typer.Option(help="Display name.")] = None,
        supervisor: Annotated[
            str | None, typer.Option(help="Username of their supervisor (escalation).")
        ] = None,
        password_stdin: Annotated[
            bool, typer.Option("--password-stdin", help="Read the password from standard input.")
        ] = False,
        actor: Annotated[str, typer.Option(help="Who is adding the user (audit log).")] = "admin",
        database: DatabaseOpt = None,
    ) -> None:
        """Add a user. Without --password-stdin a password is generated and
        printed once."""
        from lantern.auth.accounts import AccountError, add_user
        from lantern.auth.passwords import WeakPassword, generate_password

        password = sys.stdin.readline().rstrip("\n") if password_stdin else generate_password()
        engine = _engine(database)
        try:
            with engine.begin() as conn:
                add_user(
                    conn,
                    username=username,
                    password=password,
                    agency=agency,
                    role=role,
                    display_name=name,
                    supervisor=supervisor,
                    actor=actor,
                )
        except (AccountError, WeakPassword) as exc:
            err.print(f"[red]not added[/red]: {exc}")
            raise typer.Exit(1) from exc
        out.print(f"added {username} ({role}, {agency})")
        if not password_stdin:
            out.print(f"password (shown once): {password}", highlight=False, soft_wrap=True)

    @users_app.command("agency")
    def agency(
        code: Annotated[str, typer.Argument(help="Short code, e.g. rmbc-social-care")],
        name: Annotated[str, typer.Option(help="The agency's name.")],
        agency_type: Annotated[
            str | None, typer.Option("--type", help="police, social-care…")
        ] = None,
        host: Annotated[
            bool, typer.Option("--host", help="A force operating Lantern (sees partners' reports).")
        ] = False,
        actor: Annotated[str, typer.Option(help="Who is adding it (audit log).")] = "admin",
        database: DatabaseOpt = None,
    ) -> None:
        """Add an agency."""
        from lantern.auth.accounts import add_agency

        with _engine(database).begin() as conn:
            add_agency(conn, code, name, agency_type=agency_type, host=host, actor=actor)
        out.print(f"agency {code} ready")

    @users_app.command("token")
    def token(
        username: Annotated[str, typer.Argument(help="The user the token acts for.")],
        name: Annotated[str, typer.Option(help="What the token is for, e.g. 'rmbc case system'.")],
        actor: Annotated[str, typer.Option(help="Who is issuing it (audit log).")] = "admin",
        database: DatabaseOpt = None,
    ) -> None:
        """Issue an API token (printed once)."""
        from lantern.auth.sessions import issue_token

        try:
            with _engine(database).begin() as conn:
                value = issue_token(conn, username, name, actor=actor)
        except ValueError as exc:
            err.print(f"[red]no token[/red]: {exc}")
            raise typer.Exit(1) from exc
        out.print(
            f"API token for {username} (shown once): {value}", highlight=False, soft_wrap=True
        )

    @users_app.command("list")
    def list_users(database: DatabaseOpt = None) -> None:
        """List active users."""
        from lantern.auth.accounts import list_users as all_users

        with _engine(database).connect() as conn:
            rows = all_users(conn)
        table = Table("username", "name", "agency", "role", "supervisor")
        for user in rows:
            table.add_row(
                user.username, user.display_name, user.agency, user.role, user.supervisor or ""
            )
        out.print(table)

    @users_app.command("demo")
    def demo(database: DatabaseOpt = None) -> None:
        """Create the demo agencies and one user per role; print each new
        password once."""
        from lantern.auth.demo import create_demo_users

        print_demo_users(create_demo_users(_engine(database)))


def print_demo_users(created: list[DemoUser]) -> None:
    """Prints demo users and their passwords (shown once)."""
    table = Table("username", "role", "agency", "password (shown once)")
    for user in created:
        table.add_row(user.username, user.role, user.agency, user.password or "(unchanged)")
    out.print(table)
