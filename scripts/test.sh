#!/usr/bin/env bash
# make test: starts what the tests need (a throwaway PostgreSQL), runs them, stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/postgres.sh
pg_start
trap pg_stop EXIT
.venv/bin/ruff check src tests benchmarks
.venv/bin/python -m pytest -n 2 --dist loadgroup "$@"
