"""UK vehicle registration marks, full and partial."""

from __future__ import annotations

import re

_NOT_MARK = re.compile(r"[^A-Z0-9?*]")


def normalise(text: str) -> tuple[str, bool] | None:
    """(mark, partial): upper case, no spaces; unknown characters as ``?``.
    A mark is partial when it holds ``?`` or ``*`` or is shorter than a full one."""
    mark = _NOT_MARK.sub("", text.upper())
    if not mark:
        return None
    partial = "?" in mark or "*" in mark or len(mark) < 5
    return mark, partial
