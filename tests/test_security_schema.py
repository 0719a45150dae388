"""The 0002_security migration builds exactly the tables that
``lantern.store.security_schema`` declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from lantern.store import security_schema
from lantern.store.schema import metadata

SECURITY_TABLES = {
    name
    for name, value in vars(security_schema).items()
    if hasattr(value, "c") and hasattr(value, "name")
}


def test_the_migration_matches_the_declared_security_tables(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    ours = {security_schema.__dict__[name].name for name in SECURITY_TABLES}
    mine = [d for d in differences if _table_of(d) in ours]
    assert mine == []
    assert len(ours) == 12


def _table_of(difference: object) -> str | None:
    item = difference[0] if isinstance(difference, list) else difference
    for part in item if isinstance(item, tuple) else ():
        name = getattr(part, "name", None)
        table = getattr(part, "table", None)
        if table is not None:
            return str(table.name)
        if isinstance(part, str) and part in {"add_table", "remove_table"}:
            continue
        if name is not None and hasattr(part, "c"):
            return str(name)
    return None
