# Lantern: two commands on a fresh machine with Python 3.11 — `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP  := $(VENV)/.installed

.PHONY: demo test bench lint lock install clean serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"

# Installs exactly what requirements.lock pins, then Lantern itself (editable).
$(STAMP): requirements.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

# The browser libraries (cytoscape.js, htmx) from the npm registry, as pinned
# by package-lock.json, copied into the web app's static/vendor (not committed).
WEB    := src/lantern/web
VENDOR := $(WEB)/static/vendor/.built
$(VENDOR): $(WEB)/package.json $(WEB)/package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm)
	cd $(WEB) && npm ci --no-audit --no-fund --silent
	mkdir -p $(WEB)/static/vendor
	cp $(WEB)/node_modules/cytoscape/dist/cytoscape.min.js $(WEB)/node_modules/htmx.org/dist/htmx.min.js $(WEB)/static/vendor/
	touch $@

install: $(STAMP) $(VENDOR)

demo: $(STAMP) $(VENDOR)
	$(BIN)/python -m lantern.demo

test: $(STAMP) $(VENDOR)
	scripts/test.sh

bench: $(STAMP)
	$(BIN)/python -m benchmarks $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# Re-pins every dependency (run after editing pyproject.toml).
lock: | $(BIN)/uv
	$(BIN)/uv pip compile --quiet --python-version 3.11 --extra dev pyproject.toml -o requirements.lock

serve: $(STAMP) $(VENDOR)
	$(BIN)/lantern serve

clean:
	rm -rf $(VENV) .pytest_cache build src/*.egg-info
