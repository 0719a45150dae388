"""The synthetic town: reports with a known truth, for demos, tests and benchmarks."""
