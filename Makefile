# The two commands: `make run` and `make test`. Both make their own virtualenv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PRISM := .tools/node_modules/.bin/prism
CHROMIUM := /usr/bin/chromium
PORT ?= 8000
RUN_STAMP := $(VENV)/.run-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: run test test-serial test-busy check bench migration clean postgres-binaries

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(RUN_STAMP)

## make run: install, load the sample directory into SQLite, start the server
## (navigators' console at /console, demo texting page at /demo; it prints both)
run: $(RUN_STAMP)
	HOMEWARD_ENV=development $(BIN)/homeward directory load
	HOMEWARD_ENV=development $(BIN)/homeward serve --port $(PORT)

# Stoplight Prism serves Twilio's OpenAPI description for the outbound SMS tests.
$(PRISM):
	command -v npm >/dev/null 2>&1 || (apt-get update -q && apt-get install -y -q nodejs npm)
	npm install --prefix .tools --no-audit --no-fund --silent @stoplight/prism-cli@5

# Debian's Chromium drives the console's browser tests (Playwright never downloads one).
$(CHROMIUM):
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium

# The PostgreSQL run starts its own server from the machine's binaries (Debian's package).
postgres-binaries:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || \
		(apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql)

## make test: install what the tests need, check lint and types, run every test on SQLite
## and again on a PostgreSQL server the tests start themselves. The two runs go side by
## side (most of a test's time is waiting: subprocesses, servers, the browser); the SQLite
## run's report follows the PostgreSQL one. `make test-serial` runs them one after the other.
test: check $(PRISM) $(CHROMIUM) postgres-binaries
	@# Byte-compiled once here: with PYTHONDONTWRITEBYTECODE set (as on CI machines) every
	@# `homeward` subprocess a test starts would otherwise compile bot/ again.
	@$(BIN)/python -m compileall -q bot
	@rm -f .test-sqlite.log; \
	$(BIN)/python -m pytest --database sqlite -p no:cacheprovider > .test-sqlite.log 2>&1 & sqlite=$$!; \
	$(BIN)/python -m pytest --database postgresql; postgresql=$$?; \
	wait $$sqlite; sqlite=$$?; \
	echo; echo "=== the SQLite run ==="; cat .test-sqlite.log; rm -f .test-sqlite.log; \
	echo "SQLite run: exit $$sqlite; PostgreSQL run: exit $$postgresql"; \
	test $$sqlite -eq 0 && test $$postgresql -eq 0

test-serial: check $(PRISM) $(CHROMIUM) postgres-binaries
	$(BIN)/python -m pytest --database sqlite
	$(BIN)/python -m pytest --database postgresql

## make test-busy: the tests that start `homeward serve`, with three CPU-bound processes beside them
test-busy: check $(PRISM) $(CHROMIUM) postgres-binaries
	$(BIN)/python tests/busy.py $(BIN)/python -m pytest tests/test_crash.py tests/test_shutdown.py tests/test_workers.py tests/test_sms_webhook.py

## make check: formatting, lint and types (same command for developers and CI)
check: $(TEST_STAMP)
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/ruff check bot tests bench
	$(BIN)/mypy

## make migration m="what changed": write an Alembic migration for changed models
migration: $(TEST_STAMP)
	$(BIN)/python -m bot.storage.schema "$(m)"

## make bench: search latency and accuracy against SQLite FTS5 (see bench/)
bench: $(TEST_STAMP)
	$(BIN)/python bench/search_bench.py

clean:
	rm -rf $(VENV) var .tools
