# MRSE CRM. `make run` sets everything up and serves the demo; `make test` runs all tests.
PYTHON ?= python3.11
NPM ?= npm
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
JOBS ?= auto
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi
DEV := CRM_ENV=development

.PHONY: install run test test-sqlite test-postgres lint messages clean

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# axe-core (accessibility checks of the browser tests), from package-lock.json.
node_modules/.installed: package.json package-lock.json
	@if command -v $(NPM) >/dev/null 2>&1; then \
	  $(NPM) ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
	  echo "npm not found: browser tests will be skipped (apt-get install -y npm)"; \
	fi

install: $(VENV)/.installed node_modules/.installed
	$(BIN)/pybabel compile --statistics -d crm/translations 2>&1 | tail -n 1

run: install
	$(DEV) $(BIN)/flask db upgrade
	$(DEV) $(BIN)/flask crm demo --if-empty
	$(DEV) $(BIN)/flask run --host $(HOST) --port $(PORT)

test: install lint test-sqlite test-postgres

# ruff includes the flake8-bandit rules (S); bandit itself runs on the app code.
lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --recursive crm

test-sqlite: install
	$(BIN)/python -m pytest -n $(JOBS)

# Skipped with a notice when PostgreSQL is not reached, unless REQUIRE_POSTGRES=1.
# The browser tests ran in the SQLite pass: the browser and server are the same here.
test-postgres: install
	TEST_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n $(JOBS) --ignore=tests/browser

# Refresh the translation catalogue after changing texts (then translate en).
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o crm/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i crm/translations/messages.pot -d crm/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache *.egg-info test-results
