# Two commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast verifier lint format bench translations migrate demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	$(BIN)/python -m portal.i18n.cli compile

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) places load
	$(FLASK) demo load

## make run: install, migrate, load places and demo content, serve http://127.0.0.1:5000
run: demo
	$(FLASK) run --host 127.0.0.1 --port 5000

## make test: install, make sure Chromium is there, run every test (SQLite, and
## PostgreSQL when PORTAL_TEST_DATABASE_URL is set), browser tests included
test: install verifier
	sh scripts/ensure_chromium.sh
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 --dist loadgroup

## verifier: the npm packages of the Open Badges acceptance test (tests/credentials/js),
## installed again when the lock file changes; skipped, with a note, where there is no npm
VERIFIER := tests/credentials/js
verifier:
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "verifier: npm not found; tests/credentials/test_verifier_core.py needs Node.js"; \
	elif [ ! -f $(VERIFIER)/node_modules/.package-lock.json ] || \
		[ $(VERIFIER)/package-lock.json -nt $(VERIFIER)/node_modules/.package-lock.json ]; then \
		npm ci --prefix $(VERIFIER) --no-audit --no-fund; \
	fi

test-fast: install
	$(BIN)/pytest -m "not e2e" -x -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/records.py
	$(BIN)/python bench/search.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
