# Inkline: `make up` runs the whole system locally, `make test` runs every check. Both create the
# virtualenv from scratch when it is missing (Python 3.11 and make are all a machine needs).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
MEMBERS := $(wildcard libs/*/pyproject.toml services/*/pyproject.toml deploy/*/pyproject.toml tools/*/pyproject.toml)
SRC := libs/*/src services/*/src deploy/devstack/src tools/sandbox/src
TEST_DIRS := $(wildcard libs/*/tests services/*/tests deploy/*/tests tools/*/tests) tests

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: up test lint typecheck pytest sync schemas clean

up: $(VENV)/.synced ## Run NATS, PostgreSQL and the five services (Ctrl-C stops them)
	$(BIN)/python -m inkline_devstack up

test: lint typecheck pytest ## ruff, mypy --strict and every test

lint: $(VENV)/.synced
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.synced
	$(BIN)/mypy $(SRC)
	@for dir in $(TEST_DIRS); do echo "mypy $$dir"; $(BIN)/mypy $$dir || exit 1; done

pytest: $(VENV)/.synced
	$(BIN)/pytest

schemas: $(VENV)/.synced ## Rewrite the contract schema snapshots after a compatible change
	$(BIN)/python -m inkline_contracts.schemas

sync: $(VENV)/.synced

$(VENV)/.synced: pyproject.toml uv.lock $(MEMBERS) | $(UV)
	$(UV) sync --frozen --python "$(PYTHON)"
	@touch $@

.tools/bin/uv:
	"$(PYTHON)" -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

clean:
	rm -rf $(VENV) .tools .mypy_cache .ruff_cache .pytest_cache
