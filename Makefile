# The two commands a newcomer needs: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails point at the address the portal is served at, unless SITE_URL says otherwise.
SITE_URL ?= http://$(HOST):$(PORT)

# `make run` uses the embedded default: SQLite under var/, tasks inline, e-mail on the console.
RUN_ENV := DEBUG=true SITE_URL=$(SITE_URL)
# `make test` uses the real services; override either URL to point elsewhere.
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
REDIS_URL ?= redis://127.0.0.1:6379/1
TEST_ENV := DATABASE_URL=$(DATABASE_URL) REDIS_URL=$(REDIS_URL) DJANGO_SETTINGS_MODULE=portal.settings_test

.PHONY: run test install install-test assets messages migrate demo lint format bench clean audit

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Bootstrap and htmx come from the npm registry and are copied next to the portal's own assets; the
# accessibility tests use axe-core and the Nu HTML checker (vnu-jar, run by Debian's java) from it.
# No install scripts run: vnu-jar's would download a Java runtime.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

static/vendor/.built: node_modules/.package-lock.json
	mkdir -p static/vendor/bootstrap static/vendor/htmx
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	touch $@

assets: static/vendor/.built

# The Dutch pages need the compiled catalogue (locale/*/LC_MESSAGES/django.mo, build output, not kept in
# git); scripts/translations.py extracts, builds and checks it (README, "Languages").
messages: install
	$(PY) scripts/translations.py compile

migrate: install
	$(RUN_ENV) $(PY) manage.py migrate --no-input

demo: migrate
	$(RUN_ENV) $(PY) manage.py load_demo
	$(RUN_ENV) $(PY) manage.py load_demo_applications

run: install assets messages demo
	$(RUN_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	@echo "Serving the portal at http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# `make bench`: speed and scale on 20,000 applications against a trivial view, with the targets met or
# missed (benchmarks/README.md). Needs PostgreSQL, Redis and wrk; `make test` runs a tiny version.
bench: install assets messages
	BENCH_DATABASE_URL=$(DATABASE_URL) $(PY) benchmarks/run.py $(BENCH_ARGS)

test: install-test assets messages
	@$(TEST_ENV) $(PY) scripts/check_services.py
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) scripts/check_sizes.py
	$(VENV)/bin/bandit -c pyproject.toml -r portal placements applicants -q --severity-level medium
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(VENV)/bin/pytest $(PYTEST_ARGS)

# Known vulnerabilities in the pinned dependencies fail; see scripts/audit_dependencies.py (CI runs it).
audit: install-test
	$(PY) scripts/audit_dependencies.py

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles var
