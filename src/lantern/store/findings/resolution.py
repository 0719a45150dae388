"""Resolution findings tables (owned by the resolve stage). Declare tables on
``findings_metadata``; they are created or rebuilt with the findings schema."""

from __future__ import annotations

from lantern.store.findings import findings_metadata as findings_metadata
