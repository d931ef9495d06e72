# Quick start: `make run` builds the graph of the bundled corpus; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# The ctn-graph that `make run` uses (and `make test` checks against the source) is a wheel
# with the extractor compiled by mypyc when this machine can (a C compiler, Python's
# headers): COMPILED=0 installs it as Python source (quicker to set up), COMPILED=1 fails
# rather than fall back. tools/install_app.py; README "Development".
COMPILED ?= auto
APP_SOURCES := pyproject.toml README.md tools/install_app.py \
	$(shell find src ontology queries data -type f -not -name '*.pyc' -not -name '*.so' 2>/dev/null)

.PHONY: run test lint check bench wheel-compiled clean

run: $(VENV)/.app
	$(BIN)/ctn-graph build data/corpus/seeds -o build/graph.ttl
	$(BIN)/ctn-graph build data/corpus/seeds -o build/graph.trig -q
	$(BIN)/ctn-graph validate build/graph.ttl
	$(BIN)/ctn-graph evaluate build/graph.ttl --no-details

test: $(VENV)/.installed-dev $(VENV)/.app   # the tests run src/ (pyproject: pythonpath); tests/test_compiled.py the installed one
	$(BIN)/pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests tools
	$(BIN)/mypy

check: test lint

bench: $(VENV)/.installed-dev $(VENV)/.app   # the benchmark suite of issue 6 (about 11 minutes)
	$(BIN)/python bench/run.py

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed   # the test tools only (pyproject's [dev]): the package stays as installed
	$(BIN)/python -m pip install --quiet $$($(BIN)/python tools/install_app.py --dev-requirements)
	touch $@

$(VENV)/.app: $(VENV)/.installed $(APP_SOURCES)   # the installed ctn-graph: a wheel, compiled when it can be
	$(BIN)/python tools/install_app.py --compiled $(COMPILED)
	touch $@

wheel-compiled: $(VENV)/.installed   # dist/: a wheel with the extractor compiled (README "Development")
	rm -rf build/compiled && mkdir -p build/compiled dist
	git archive HEAD | tar -x -C build/compiled   # (the compiler writes next to the sources: a copy)
	cd build/compiled && HATCH_BUILD_HOOK_ENABLE_MYPYC=1 $(abspath $(BIN))/python -m pip wheel --quiet --no-deps -w $(abspath dist) .

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
