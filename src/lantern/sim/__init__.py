"""The synthetic town: reports with a known truth, for demos, tests and benchmarks.

``generate_town(seed, size, out_dir)`` writes ``reports.jsonl`` (the interchange
format) and ``truth.json`` (``docs/truth.md``) and returns both paths.
"""

from lantern.sim.town import SIZES, generate_town

__all__ = ["SIZES", "generate_town"]
