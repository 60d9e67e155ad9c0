# relkit: `make demo` runs the main job on a built-in sample; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck metadata pytest venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

lint: $(STAMP)
	$(BIN)/ruff check shared actions tests bench scripts
	$(BIN)/ruff format --check shared actions tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

metadata: $(STAMP)
	$(BIN)/check-jsonschema --builtin-schema vendor.github-actions actions/*/action.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows workflows-examples/*.yml
	$(BIN)/zizmor --offline --format plain workflows-examples/*.yml actions/*/action.yml
	$(BIN)/hadolint Dockerfile

pytest: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider --cov --cov-report=term:skip-covered

test: lint typecheck metadata pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage
