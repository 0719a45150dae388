"""``make bench``: runs each ``benchmarks/bench_*.py`` (or those named on the
command line) and writes its results under ``benchmarks/results/``."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    names = sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.startswith("bench_")
    )
    wanted = [a for a in argv if not a.startswith("-")]
    if wanted:
        names = [n for n in names if n.removeprefix("bench_") in wanted or n in wanted]
    for name in names:
        print(f"== {name}", flush=True)
        importlib.import_module(f"benchmarks.{name}").main(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
