"""Making many small objects at once: the scored pairs of a whole store, their
reasons, the clusters they join."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def many_objects() -> Iterator[None]:
    """Python's cyclic garbage collector paused while millions of small
    objects with no cycles among them are made. As they pile up it would
    otherwise walk every live object again and again: at 250,000 mentions,
    about half the time of reading the scored pairs and a fifth of
    clustering. Reference counting still frees what is dropped; the collector
    runs as before afterwards (after the outermost of nested pauses), and
    finds only what was left in cycles meanwhile: at 250,000 mentions, a
    whole resolution run paused grew by about 10 MiB at its peak."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
