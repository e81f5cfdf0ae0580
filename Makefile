# Inkline: `make up` runs the whole system locally, `make test` runs every check. Both create the
# virtualenv from scratch when it is missing (Python 3.11 and make are all a machine needs).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
MEMBERS := $(wildcard libs/*/pyproject.toml services/*/pyproject.toml deploy/*/pyproject.toml tools/*/pyproject.toml)
SRC := libs/*/src services/*/src deploy/devstack/src tools/*/src
TEST_DIRS := $(wildcard libs/*/tests services/*/tests deploy/*/tests tools/*/tests) tests bench

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Python caches compiled modules only where it may write bytecode: with PYTHONDONTWRITEBYTECODE set (this
# box's shells, many CI images) every test run, and every service a test spawns, recompiled SQLAlchemy,
# pydantic, FastAPI & co. and pytest re-rewrote every test module (collection alone: 16 s of CPU, 6 s
# cached). uv compiles the environment at sync; the test run may cache our own modules (.gitignored).
export UV_COMPILE_BYTECODE := 1
SYNCED := $(VENV)/.synced-compiled

.PHONY: up test lint typecheck pytest sync schemas bench clean browser-deps

up: $(SYNCED) ## Run NATS, PostgreSQL and the five services (Ctrl-C stops them)
	$(BIN)/python -m inkline_devstack up

test: lint typecheck browser-deps pytest ## ruff, mypy --strict and every test

lint: $(SYNCED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(SYNCED)
	$(BIN)/mypy $(SRC)
	@for dir in $(TEST_DIRS); do echo "mypy $$dir"; $(BIN)/mypy $$dir || exit 1; done

# --durations: the slowest tests in every run's log, so the 15-minute budget is watched where it is spent.
# Two workers (pytest-xdist), each with its own NATS, PostgreSQL cluster and template databases on free
# ports; --dist loadfile keeps a file's tests in one worker, in order. --no-loadscope-reorder hands files
# out in collection order (tests/ first, see testpaths) rather than biggest test count first, which left
# the one-test cluster file to run alone at the end. Serial by default until three consecutive green full
# runs on two workers are shown (one so far: `make test PYTEST_WORKERS=2`, pytest 8:53 against 14:37).
PYTEST_WORKERS ?= 0
pytest: $(SYNCED)
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=25

# The browser test drives Debian's chromium + chromium-driver. Installed here when missing and apt can (root,
# or sudo without a password); otherwise that test skips and says so loudly. Never fails `make test`.
browser-deps:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else SUDO=none; fi; \
	if ! command -v apt-get >/dev/null || [ "$$SUDO" = none ]; then \
	  echo "*** chromium/chromium-driver missing and apt-get is not usable here: the browser test will be SKIPPED ***"; \
	  exit 0; fi; \
	echo "installing Debian's chromium and chromium-driver for the browser test"; \
	$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	  chromium chromium-driver >/dev/null \
	  || echo "*** installing chromium failed: the browser test will be SKIPPED ***"

bench: $(SYNCED) ## Run every benchmark under bench/ and write bench/RESULTS.md
	$(BIN)/python bench/run_all.py

schemas: $(SYNCED) ## Rewrite the contract schema snapshots after a compatible change
	$(BIN)/python -m inkline_contracts.schemas

sync: $(SYNCED)

$(SYNCED): pyproject.toml uv.lock $(MEMBERS) | $(UV)
	$(UV) sync --frozen --python "$(PYTHON)"
	@touch $@

.tools/bin/uv:
	"$(PYTHON)" -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

clean:
	rm -rf $(VENV) .tools .mypy_cache .ruff_cache .pytest_cache
