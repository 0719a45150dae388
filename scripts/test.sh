#!/usr/bin/env bash
# make test: starts what the tests need (a throwaway PostgreSQL), runs them, stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/postgres.sh
pg_start
trap pg_stop EXIT
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
# The browser journeys drive Debian's chromium (tests/test_web_journeys.py).
command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
# The printed profiles (tests/test_export_profile.py) need WeasyPrint's Pango and a font.
ldconfig -p | grep -q libpangoft2-1.0 || (apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
# Spark (LANTERN_LINKAGE_ENGINE=spark, the spark-marked tests) needs a Java runtime
command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq default-jre-headless)
.venv/bin/python -m pytest -n 2 --dist loadgroup "$@"
