# One entry point for set-up, running and checking. Every target builds the local virtual
# environment first from the pinned requirements.lock, and `run` and `test` first install the
# Debian packages they need (scripts/system-deps), so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint format typecheck imports bench lock clean system-deps-run system-deps-test

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Phony, so a package removed after the first set-up is noticed; quiet when all are there.
system-deps-run:
	@scripts/system-deps run

system-deps-test:
	@scripts/system-deps test

run: system-deps-run $(STAMP)
	$(BIN)/duediligence

test: system-deps-test $(STAMP)
	$(BIN)/python -m pytest -n 2

format: $(STAMP)
	$(BIN)/ruff format duediligence tests benchmarks

lint: $(STAMP)
	$(BIN)/ruff format --check duediligence tests benchmarks
	$(BIN)/ruff check duediligence tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

check: lint typecheck imports test

bench: $(STAMP)
	$(BIN)/python -m benchmarks.checklists

# Re-resolve exact versions after editing requirements.in.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet -r requirements.in
	.lockenv/bin/python -m pip freeze --exclude-editable > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
