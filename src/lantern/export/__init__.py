"""Exports: one module per format, each registered here by name."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import IO, Any

from sqlalchemy import Engine

# format name -> module whose ``write(engine, out, **options)`` writes it
FORMATS: dict[str, str] = {
    "json": "lantern.export.json_export",
}

Writer = Callable[..., None]


def writer(fmt: str) -> Writer:
    if fmt not in FORMATS:
        raise KeyError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(FORMATS[fmt])
    writer: Writer = module.write
    return writer


def export(engine: Engine, fmt: str, out: IO[str], **options: Any) -> None:
    writer(fmt)(engine, out, **options)
