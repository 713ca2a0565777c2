# Set-up happens on demand: every target below first makes sure .venv holds the project.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run dev test setup migrate lint seed clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP) ## Create .venv, install, migrate, collect static files
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0

run: setup ## Serve the app with gunicorn on 127.0.0.1:$(PORT), DEBUG off
	DJANGO_DEBUG=0 $(VENV)/bin/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers 3 --access-logfile - --access-logformat '%(t)s "%(r)s" %(s)s %(b)s'

dev: setup ## Development server with auto-reload, DEBUG on
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

seed: setup ## Load the demo branch (password: PW=... , default demo12345)
	$(PY) manage.py seed_demo --password $${PW:-demo12345}

test: setup ## Run the whole test suite (browser tests need /usr/bin/chromium)
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

clean: ## Remove the venv and collected static files (keeps the database)
	rm -rf $(VENV) staticfiles
