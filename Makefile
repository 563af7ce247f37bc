# yusuan: every target does its own set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench clean system

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## system: the Debian packages for PDF fonts and the tests (installed when missing and root)
system:
	@bash scripts/system-packages.sh

## demo: print the seed's disclosure tables from examples/linfen-2021
demo: $(STAMP)
	$(BIN)/yusuan tables examples/linfen-2021

## test: lint, format check, type check and every test
test: system lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/bench_tables.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
