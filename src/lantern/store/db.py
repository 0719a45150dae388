"""Opening the store: one engine per database URL, migrations applied.

SQLite (the embedded default) runs in WAL mode with every transaction taken
as ``BEGIN IMMEDIATE`` so that writers queue instead of failing part-way;
PostgreSQL works with the same code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

from lantern.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


def connect(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: ``LANTERN_DATABASE_URL`` or ``./lantern.db``)."""
    url = url or Settings.from_env().database_url
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event opens transactions
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(engine: Engine) -> None:
    """Brings the facts schema to the newest migration and the findings tables
    to the current findings schema (rebuilt empty if it changed)."""
    from lantern.store.findings import ensure_findings_schema

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    ensure_findings_schema(engine)


def open_store(url: str | None = None) -> Engine:
    """Connect and migrate: the one call commands and the web app make."""
    engine = connect(url)
    migrate(engine)
    return engine
