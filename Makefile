# relkit: `make demo` runs the main job on a built-in sample; `make test` runs every check.
#
#   make demo       create .venv, install, build a sample git repository and run the main job on it
#   make test       create .venv, install what the tests need (Debian packages too, when missing
#                   and root), then: ruff, mypy, check-jsonschema, zizmor, actionlint, hadolint,
#                   pytest
#   make lint | typecheck | metadata | pytest     one step of `make test`
#   make format     apply ruff's formatter and safe fixes
#   make bench      the start-up and installed-size benchmarks (reported, never timed tests)
#   make container-env   Docker engine + local base + `relkit:test` image for tests/container/
#                   (scripts/container_env.py; where no engine can run, those tests skip, saying why)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Debian packages the tests need, installed with apt-get only when missing (and only as root).
DEB_PACKAGES ?= git prometheus prometheus-pushgateway docker-registry

# Globs are guarded: a folder without files yet skips its check instead of failing it.
LINT_PATHS := $(wildcard shared actions tests bench scripts)
ACTION_FILES := $(wildcard actions/*/action.yml)
WORKFLOW_FILES := $(wildcard workflows-examples/*.yml workflows-examples/*.yaml)
# The project's own workflows (CI, commit-lint, release), linted like the examples.
PROJECT_WORKFLOWS := $(wildcard .github/workflows/*.yml)

.PHONY: demo test lint format typecheck metadata pytest bench venv system-deps clean container-env

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "relkit needs Python >= 3.11 (set PYTHON=python3.X)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

system-deps:
	@missing=""; \
	for pkg in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q "ok installed" \
			|| missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "warning: missing system packages:$$missing (no apt-get here; install them yourself)"; \
	elif [ "$$(id -u)" != 0 ]; then \
		echo "warning: missing Debian packages:$$missing (run as root or: sudo apt-get install$$missing)"; \
	else \
		echo "installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing; \
	fi

demo: $(STAMP) system-deps
	$(BIN)/python scripts/demo.py

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

format: $(STAMP)
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

typecheck: $(STAMP)
	$(BIN)/mypy

metadata: $(STAMP)
ifneq ($(ACTION_FILES),)
	$(BIN)/check-jsonschema --builtin-schema vendor.github-actions $(ACTION_FILES)
endif
ifneq ($(WORKFLOW_FILES)$(PROJECT_WORKFLOWS),)
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows $(WORKFLOW_FILES) $(PROJECT_WORKFLOWS)
endif
ifneq ($(ACTION_FILES)$(WORKFLOW_FILES)$(PROJECT_WORKFLOWS),)
	$(BIN)/zizmor --offline --config zizmor.yml --format plain $(WORKFLOW_FILES) $(PROJECT_WORKFLOWS) $(ACTION_FILES)
endif
ifneq ($(WORKFLOW_FILES)$(PROJECT_WORKFLOWS),)
	@# actionlint checks a `uses: ./actions/<name>` step against that action.yml (inputs, runs,
	@# Dockerfile) only inside a project: a folder with .git/ and .github/workflows/. So lint a
	@# scratch copy; a finding in .github/workflows/X.yml is in workflows-examples/X.yml, one in
	@# .github/workflows/project-X.yml is in the project's own .github/workflows/X.yml.
	@echo "actionlint $(WORKFLOW_FILES) $(PROJECT_WORKFLOWS) (in a scratch project)"
	@tmp=$$(mktemp -d) && mkdir -p "$$tmp/.git" "$$tmp/.github/workflows" \
		&& cp -r actions Dockerfile "$$tmp/" && cp $(WORKFLOW_FILES) "$$tmp/.github/workflows/" \
		&& for f in $(PROJECT_WORKFLOWS); do cp "$$f" "$$tmp/.github/workflows/project-$${f##*/}"; done \
		&& status=0 && (cd "$$tmp" && "$(CURDIR)/$(BIN)/actionlint" -no-color) || status=$$?; \
		rm -rf "$$tmp"; exit $$status
endif
	$(BIN)/hadolint Dockerfile

# Starts dockerd when it can, makes the local base (cached by tag), builds the Dockerfile as
# relkit:test; never fails: what cannot be done is the reason the container tests skip with.
container-env: $(STAMP) system-deps
	$(BIN)/python scripts/container_env.py

# pytest exits 5 when it collects no test: say so and do not fail the run on it.
pytest: $(STAMP) system-deps container-env
	@status=0; \
	$(BIN)/python -m pytest -q -p no:cacheprovider --cov --cov-report=term:skip-covered \
		|| status=$$?; \
	if [ "$$status" = 5 ]; then echo "pytest: no tests were collected"; status=0; fi; \
	exit $$status

test: lint typecheck metadata pytest

bench: $(STAMP)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/install_size.py
	$(BIN)/python bench/dora.py
	@# the image's layers and container start, when make container-env built relkit:test
	@if grep -qs '"image"' build/container-env.json; then $(BIN)/python bench/image_size.py; \
	else echo "bench/image_size.py: no relkit:test image (make container-env)"; fi

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage bench/.scratch
