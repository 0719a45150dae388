"""Settings come from flags or ``LANTERN_*`` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite:///lantern.db"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    linkage_engine: str = "duckdb"  # or "spark"

    @classmethod
    def from_env(cls, **overrides: str | None) -> Settings:
        values = {
            "database_url": os.environ.get("LANTERN_DATABASE_URL", DEFAULT_DATABASE_URL),
            "linkage_engine": os.environ.get("LANTERN_LINKAGE_ENGINE", "duckdb"),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
