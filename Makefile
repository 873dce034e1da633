# sohoa: `make demo` and `make test` install what is missing, then run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: demo test deps system-deps lint bench clean

demo: deps
	$(BIN)/sohoa demo

test: lint
	@bash scripts/ensure-services.sh
	OMP_THREAD_LIMIT=1 $(BIN)/pytest -q

deps: system-deps $(STAMP)

system-deps:
	@bash scripts/ensure-system.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

lint: deps  # style, then the layers and the absence of import cycles (pyproject.toml)
	$(BIN)/ruff check sohoa sohoa_dev tests bench scripts
	$(BIN)/lint-imports --no-cache

bench: deps
	$(BIN)/python -m pip install -q -e '.[bench]'
	OMP_THREAD_LIMIT=1 $(BIN)/python -m bench.digitize

clean:
	rm -rf $(VENV) sohoa-data .pytest_cache build *.egg-info
