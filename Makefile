# The two commands a newcomer needs: `make run` and `make test` (README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): the machine has 2 cores; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2

.PHONY: run test test-sqlite test-postgres lint check install install-dev demo bench messages clean compile
.PHONY: screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# Byte-compile the project, as a package install does: every manage.py command (an import
# run from a script) then starts without compiling ~120 modules (0.15 s), also where the
# environment sets PYTHONDONTWRITEBYTECODE. Up-to-date files are skipped.
compile: | $(BIN)/python
	@$(PY) -m compileall -q -x '/\.(venv|git)/' . >/dev/null

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP) $@

install: $(STAMP) compile
install-dev: $(DEV_STAMP)

## make run: install, migrate, load the demo once, make sure an administrator exists, serve
## with the background worker of django-tasks (imports, reverts), both stopped by Ctrl+C.
run: $(STAMP) compile
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --once
	$(PY) manage.py ensure_admin --host $(HOST) --port $(PORT)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://$(HOST):$(PORT)/ with the background worker  (Ctrl+C stops both)"
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: lint and checks, then the whole suite on SQLite, then on a throwaway PostgreSQL.
test: $(DEV_STAMP)
	$(MAKE) --no-print-directory check
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

check: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SECRET_KEY=check-only $(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test-sqlite: $(DEV_STAMP)
	@echo "== test suite on SQLite"
	env -u DATABASE_URL $(BIN)/pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-postgres: $(DEV_STAMP)
	@echo "== test suite on PostgreSQL"
	@status=0; scripts/with-postgres $(BIN)/pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 3 ]; then \
	  if [ "$$CI" = "true" ]; then echo "CI=true: PostgreSQL is required." >&2; exit 1; fi; \
	  echo "PostgreSQL run SKIPPED: no PostgreSQL server binaries (initdb, pg_ctl) found."; \
	elif [ $$status -ne 0 ]; then exit $$status; fi

demo: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

bench: $(DEV_STAMP) compile
	$(PY) bench/import_bench.py
	$(PY) bench/admin_import_bench.py
	$(PY) bench/report_bench.py

screenshots: $(DEV_STAMP)
	scripts/screenshots

messages: $(DEV_STAMP)
	$(PY) manage.py makemessages --no-location -l vi -l en --ignore=.venv --ignore=bench --ignore=tests --ignore=locale_vendor --ignore=staticfiles --ignore=certificates --ignore=evaluations --ignore=templates/certificates --ignore=templates/evaluations
	# certificates/ and evaluations/ keep their own catalogues (their templates/<app>/ included)
	for app in certificates evaluations; do (cd $$app && ln -sfn ../templates/$$app _templates && $(abspath $(PY)) ../manage.py makemessages --no-location --symlinks -l vi -l en --ignore=migrations; rm -f _templates); done
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
