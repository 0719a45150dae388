"""Findings: everything derived from the facts — extracted mentions, resolved
entities, the link graph, groups, scores, alerts. Rebuildable at any time from
facts alone (``lantern analyse --full``).

Each stage declares its tables in its own module here, on ``findings_metadata``.
The findings schema is not migrated: when its definition changes, the findings
tables are dropped and created afresh and the next ``lantern analyse`` rebuilds
them from the facts.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Column, Engine, MetaData, String, Table, select
from sqlalchemy.schema import CreateIndex, CreateTable

from lantern.store.schema import NAMING

findings_metadata = MetaData(naming_convention=NAMING)

findings_state = Table(
    "findings_state",
    findings_metadata,
    Column("key", String(100), primary_key=True),
    Column("value", String(400), nullable=False),
)

# Each stage's tables register themselves on import; each module is owned by
# its stage (extraction by extract/, resolution by resolve/, …).
from lantern.store.findings import extraction as extraction  # noqa: E402
from lantern.store.findings import network as network  # noqa: E402
from lantern.store.findings import recording as recording  # noqa: E402
from lantern.store.findings import resolution as resolution  # noqa: E402
from lantern.store.findings import victimfirst as victimfirst  # noqa: E402


def schema_fingerprint(engine: Engine) -> str:
    """A hash of the findings tables' DDL for this engine's dialect."""
    parts = []
    for table in findings_metadata.sorted_tables:
        parts.append(str(CreateTable(table).compile(dialect=engine.dialect)))
        parts.extend(
            str(CreateIndex(ix).compile(dialect=engine.dialect))
            for ix in sorted(table.indexes, key=lambda i: i.name or "")
        )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def ensure_findings_schema(engine: Engine) -> bool:
    """Creates the findings tables; recreates them (empty) if their definition
    changed. Returns True if they were (re)created."""
    fingerprint = schema_fingerprint(engine)
    with engine.begin() as conn:
        if conn.dialect.has_table(conn, "findings_state"):
            stored = conn.execute(
                select(findings_state.c.value).where(findings_state.c.key == "schema")
            ).scalar()
            if stored == fingerprint:
                return False
        findings_metadata.drop_all(conn)
        findings_metadata.create_all(conn)
        conn.execute(findings_state.insert().values(key="schema", value=fingerprint))
    return True
