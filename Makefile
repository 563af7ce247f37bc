# yusuan: every target does its own set-up on a fresh machine.
# Python packages come from requirements.lock (every dependency pinned, made by `make lock` from
# pyproject.toml), so a fresh clone installs exactly what the tests ran with.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench clean system lock

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==26.3
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

## lock: re-resolve requirements.lock after a change to pyproject.toml's dependencies
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --universal \
		--no-header -o requirements.lock

## system: the Debian packages for PDF fonts and the tests (installed when missing and root)
system:
	@bash scripts/system-packages.sh

## demo: the seed as a dataset: print its tables, check it, build its disclosure package, and a
## generated next year compared with it
demo: system $(STAMP)
	$(BIN)/yusuan tables examples/linfen-2021
	@mkdir -p out
	$(BIN)/yusuan check examples/linfen-2021 > out/linfen-2021-check.txt || true
	@tail -n 2 out/linfen-2021-check.txt
	$(BIN)/yusuan build examples/linfen-2021 -o out/linfen-2021 --force
	$(BIN)/yusuan synthetic next-year examples/linfen-2021 -o out/linfen-2022-dataset --seed 1
	$(BIN)/yusuan build out/linfen-2022-dataset -o out/linfen-2022 --force
	@echo "open out/linfen-2021/site/index.html, the .xlsx and the .pdf in out/linfen-2021/;"
	@echo "out/linfen-2022/ is a generated next year: its 情况说明 states every change from 2021"

## test: lint, format check, type check and every test
test: system lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

## bench: every benchmark (prints figures; asserts nothing)
bench: system $(STAMP)
	for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build out *.egg-info src/*.egg-info
