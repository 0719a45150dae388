"""Small builders of interchange-format report objects for tests of intake and
the store. Tests of findings build their data with the simulator instead."""

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
