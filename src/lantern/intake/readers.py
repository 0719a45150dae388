"""Reading report files as a stream of (line number, object-or-problem).

Files are read line by line in binary so that memory stays flat as files
grow and a line of invalid UTF-8 is one rejected line, not a failed file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

MAX_LINE_BYTES = 8 * 1024 * 1024  # a longer line is rejected without being parsed

# CSV cells of these fields hold JSON (a list or object); dotted headers such as
# ``grading.source`` or ``reporter.role`` build the nested objects.
JSON_FIELDS = {
    "subjects",
    "vehicles",
    "phones",
    "locations",
    "links",
    "occurred_at",
    "grading",
    "reporter",
}


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    value: Any = None
    problem: str | None = None
    size: int = 0


def read(path: Path, fmt: str | None = None) -> Iterator[Line]:
    """The lines of a JSON Lines or CSV file (chosen by ``fmt`` or the suffix)."""
    fmt = fmt or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
    with path.open("rb") as handle:
        yield from (read_csv(handle) if fmt == "csv" else read_jsonl(handle))


def read_jsonl(handle: BinaryIO) -> Iterator[Line]:
    for number, raw in enumerate(_lines(handle), start=1):
        size = len(raw)
        if size > MAX_LINE_BYTES:
            yield Line(
                number,
                problem=f"line is {size:,} bytes; the limit is {MAX_LINE_BYTES:,}",
                size=size,
            )
            continue
        stripped = raw.strip()
        if not stripped:
            continue
        try:
            text = stripped.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Line(
                number, problem=f"not valid UTF-8 (byte {exc.start + 1} of the line)", size=size
            )
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Line(
                number, problem=f"not valid JSON: {exc.msg} at column {exc.colno}", size=size
            )
            continue
        yield Line(number, value=value, size=size)


def _lines(handle: BinaryIO) -> Iterator[bytes]:
    """Lines of a binary file; an over-long line is returned truncated to its
    length marker rather than held in memory whole."""
    while True:
        line = handle.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            size = len(line)
            while True:
                more = handle.readline(1 << 20)
                size += len(more)
                if not more or more.endswith(b"\n"):
                    break
            yield _Oversize(size)
            continue
        yield line


class _Oversize(bytes):
    """Stands for a line too long to hold; only its length is kept."""

    def __new__(cls, size: int) -> _Oversize:
        obj = super().__new__(cls, b"")
        obj._size = size  # type: ignore[attr-defined]
        return obj

    def __len__(self) -> int:
        return self._size  # type: ignore[attr-defined]


def read_csv(handle: BinaryIO) -> Iterator[Line]:
    """CSV with a header row naming the interchange fields. Line numbers are
    the file's physical line numbers, counting the header as line 1."""
    text = io.TextIOWrapper(handle, encoding="utf-8", errors="strict", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        return
    except UnicodeDecodeError:
        yield Line(1, problem="the header row is not valid UTF-8")
        return
    header = [h.strip() for h in header]
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            yield Line(start, problem="not valid UTF-8; the rest of the file cannot be read")
            return
        except csv.Error as exc:
            yield Line(start, problem=f"not valid CSV: {exc}")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Line(start, problem=f"has {len(row)} cells; the header names {len(header)}")
            continue
        try:
            yield Line(start, value=_csv_object(header, row), size=sum(len(c) for c in row))
        except ValueError as exc:
            yield Line(start, problem=str(exc))


def _csv_object(header: list[str], row: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, cell in zip(header, row, strict=True):
        if cell == "":
            continue
        value: Any = cell
        root = name.split(".", 1)[0]
        if root in JSON_FIELDS and "." not in name and cell.lstrip()[:1] in "[{":
            try:
                value = json.loads(cell)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{name}: not valid JSON: {exc.msg}") from exc
        target = out
        parts = name.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                raise ValueError(f"{name}: conflicts with another column")
        target[parts[-1]] = value
    return out
