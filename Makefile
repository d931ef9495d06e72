# Quick start: `make run` builds the graph of the bundled corpus; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test lint check bench wheel-compiled clean

run: $(VENV)/.installed
	$(BIN)/ctn-graph build data/corpus/seeds -o build/graph.ttl
	$(BIN)/ctn-graph build data/corpus/seeds -o build/graph.trig -q
	$(BIN)/ctn-graph validate build/graph.ttl
	$(BIN)/ctn-graph evaluate build/graph.ttl --no-details

test: $(VENV)/.installed-dev
	$(BIN)/pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests
	$(BIN)/mypy

check: test lint

bench: $(VENV)/.installed-dev   # the benchmark suite of issue 6 (about 11 minutes)
	$(BIN)/python bench/run.py

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

wheel-compiled: $(VENV)/.installed   # dist/: a wheel with the extractor compiled (README "Development")
	rm -rf build/compiled && mkdir -p build/compiled dist
	git archive HEAD | tar -x -C build/compiled   # (the compiler writes next to the sources: a copy)
	cd build/compiled && HATCH_BUILD_HOOK_ENABLE_MYPYC=1 $(abspath $(BIN))/python -m pip wheel --quiet --no-deps -w $(abspath dist) .

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
