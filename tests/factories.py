"""Small builders of interchange-format report objects for tests of intake and
the store, and rows of findings as an earlier stage would write them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def report(n: int, agency: str = "syp", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": f"R{n:06d}",
        "agency": agency,
        "agency_type": "police",
        "received_at": f"2024-01-{1 + n % 28:02d}T{n % 24:02d}:15:00+00:00",
        "narrative": f"Routine incident number {n}: a neighbour dispute about parking.",
    }
    body.update(fields)
    return body


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(row if isinstance(row, str) else json.dumps(row))
            handle.write("\n")
    return path


def resolved_mention(
    mention_id: str, entity_id: str, report_pk: int, agency: str, report_id: str, **fields: Any
) -> dict[str, Any]:
    """An ``entity_mentions`` row as resolution writes it: a person ("someone",
    no join weight) unless ``fields`` say otherwise (kind, role, received_at…)."""
    return {
        "mention_id": mention_id,
        "entity_id": entity_id,
        "kind": "person",
        "report_pk": report_pk,
        "agency": agency,
        "report_id": report_id,
        "role": None,
        "text": "someone",
        "match_weight": None,
        "reasons": [],
        **fields,
    }
