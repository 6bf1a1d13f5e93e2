# MoroccoTech portal. `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The settings build absolute links on it (PUBLIC_BASE_URL follows PORT in development).
export PORT
HOST ?= 127.0.0.1

.PHONY: help run install install-dev migrate setup test lint messages format check clean backup restore bench lighthouse stack stack-down stack-test

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the runtime requirements

install-dev: $(VENV)/.installed-dev ## Also install the test and lint tools

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --no-input -v 0

setup: migrate ## Build the site tree, import the fixtures (and sample startups), ensure the admin account
	$(PY) manage.py setup_portal --demo
	$(PY) manage.py ensure_admin

run: setup ## Install, migrate, set up the site and serve it on http://$(HOST):$(PORT)
	@echo "MoroccoTech is at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@# The scheduler (portal/sitewide/schedule.py: scheduled publishing every minute, the
	@# member directory's daily round) and a background-task worker (portal/core/tasks.py),
	@# for as long as the server runs. Mails land in var/mail/.
	@$(PY) manage.py run_scheduler -v0 & scheduler=$$!; $(PY) manage.py run_worker -v0 & worker=$$!; \
	  trap "kill $$scheduler $$worker 2>/dev/null" EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev ## Run the whole test suite (PostgreSQL when DATABASE_URL is set)
	$(VENV)/bin/pytest

lint: install-dev ## ruff lint and format check, Django checks, migrations up to date
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

messages: install-dev ## Update the fr/ar/en catalogues from the code (needs GNU gettext), then compile them
	$(PY) manage.py makemessages -l fr -l ar -l en -l zgh --ignore=.venv --ignore=static --ignore=tests --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv

format: install-dev ## Format the code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install ## Load-test every page type (scratch database, gunicorn, wrk); table in docs/benchmarks.md
	$(PY) -m portal.tooling.benchmark

stack: install ## The production topology here: PostgreSQL, Redis, 2 gunicorn, worker, scheduler, Varnish in front
	$(PY) -m portal.tooling.stack up

stack-down: ## Stop what make stack started (by its process ids, var/stack/state.json)
	$(PY) -m portal.tooling.stack down

stack-test: install ## Bring the stack up, check it end to end through the front, bring it down
	$(PY) -m portal.tooling.stack test

lighthouse: install ## Lighthouse on key pages, fr and ar, phone profile (scratch database, chromium); in docs/benchmarks.md
	$(PY) -m portal.tooling.lighthouse

backup: migrate ## Archive the database and media files into var/backups/ (BACKUP_DIR)
	$(PY) manage.py backup

restore: install ## Restore an archive: make restore BACKUP=var/backups/moroccotech-....tar.gz
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=path/to/archive.tar.gz"; exit 2; }
	$(PY) manage.py restore "$(BACKUP)"
	$(PY) manage.py migrate --no-input -v 0

clean: ## Remove the virtualenv, the SQLite database and collected files
	rm -rf $(VENV) var/*.sqlite3 static .pytest_cache .ruff_cache
