# kampungkb: two commands do all set-up on a fresh Debian machine with Python 3.11.
#   make demo   the product on SQLite with demo data, at http://127.0.0.1:8000/
#   make test   every check: format, lint, types, migrations, tests on SQLite, PostgreSQL, Chromium
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

# The checks run with the test settings (no SECRET_KEY needed, fast password hashing).
lint types migrations messages test-sqlite test-postgres test-browser bench: export KAMPUNGKB_TESTING := 1

.PHONY: demo test install system lint types migrations messages test-sqlite test-postgres test-browser bench clean

$(STAMP): requirements/lock.txt requirements/build.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/build.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# Debian packages the checks need (gettext, PostgreSQL 15, Chromium, WeasyPrint's Pango and fonts);
# installed only when root. The demo needs gettext and WeasyPrint's libraries (the PDF recap).
system:
	bash scripts/system-packages.sh

messages: install
	bash scripts/system-packages.sh gettext
	cd src/kampungkb && ../../$(BIN)/kampungkb compilemessages -v 0

demo: install messages
	bash scripts/demo.sh

lint: install
	$(BIN)/ruff format --check src benchmarks
	$(BIN)/ruff check src benchmarks
	cd src && ../$(BIN)/lint-imports --config ../pyproject.toml --no-cache

types: install
	$(BIN)/mypy src

migrations: install
	DATABASE_URL=sqlite:///:memory: $(BIN)/kampungkb makemigrations --check --dry-run

test-sqlite: install messages
	DATABASE_URL=sqlite:///:memory: $(BIN)/pytest -m "not browser" -n 2 -q

test-postgres: install messages
	bash scripts/with-postgres.sh $(BIN)/pytest -m "not browser" -n 2 -q

test-browser: install messages
	$(BIN)/pytest -m browser -q

test: system install messages lint types migrations test-sqlite test-postgres test-browser
	@echo "make test: all checks passed"

# The district benchmark (docs/benchmarks.md): builds ~300,000 families on a throwaway PostgreSQL
# and prints a table of timings against a DuckDB baseline. Not part of `make test`.
bench: install system
	bash scripts/with-postgres.sh $(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
