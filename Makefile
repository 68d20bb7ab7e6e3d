# Two commands do all set-up on a fresh machine:
#   make run   – installs into .venv/, builds the index on first use and starts the app
#   make test  – installs into .venv/ (with test extras) and runs the whole test suite
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test install install-test lint bench clean-index

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch is installed on its own first, pinned, so that nothing that depends on it
# can pull the registry's CUDA build instead of the local CPU wheel.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(STAMP)

install-test: $(TEST_STAMP)

run: $(STAMP)
	$(BIN)/kategori run

# The browser test drives Debian's Chromium and the strategy test converts Word to PDF with LibreOffice:
# system packages, installed here (once) so the test command needs nothing else.
test: $(TEST_STAMP)
	scripts/install-system-packages.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check assistant ingest ui tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run_benchmarks.py

clean-index:
	rm -rf data/chroma data/generations
