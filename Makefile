# Set-up happens on demand: every target below first makes sure .venv holds the project.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# HOST=0.0.0.0 serves the office network too (README, "Running on the office network").
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP  := $(VENV)/.installed
LOCK   := requirements/lock.txt
# Both cores (pytest-xdist). loadgroup hands out tests one by one, except an xdist_group's, which
# stay together on one worker (the hostile-text forms share one database: test_hostile_text.py).
XDIST  ?= -n 2 --dist loadgroup

.DEFAULT_GOAL := help
.PHONY: help run dev test test-fast setup migrate lint seed clean lock bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

# Exactly the versions in the lock (hash-checked, pip and setuptools included), then the project
# itself, built with the locked setuptools (quietly: setuptools warns about every editable install).
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP) ## Create .venv, install, migrate, collect static files
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0

run: setup ## Serve the app with gunicorn on $(HOST):$(PORT) (HOST=0.0.0.0: the office network)
	DJANGO_DEBUG=0 $(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 3 --access-logfile - --access-logformat '%(t)s "%(r)s" %(s)s %(b)s'

dev: setup ## Development server with auto-reload, DEBUG on, on $(HOST):$(PORT)
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

seed: setup ## Load the demo branch (password: PW=... , default demo12345)
	$(PY) manage.py seed_demo --password $${PW:-demo12345}

test: setup ## Run the whole test suite, as CI does (browser tests need /usr/bin/chromium)
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest $(XDIST)

test-fast: $(STAMP) ## The inner loop: the suite without browser and hardening tests
	$(VENV)/bin/pytest $(XDIST) -q -m "not browser and not hardening"

lint: $(STAMP) ## ruff check and format, djLint, django-upgrade (.pre-commit-config.yaml)
	$(VENV)/bin/pre-commit run --all-files

# wrk is a Debian package; the target installs it when it is missing (as root, or with sudo).
bench: setup ## Load-test the main pages on a large database: a table and bench/results.json
	@command -v wrk >/dev/null || { echo "wrk is missing: installing it with apt-get install wrk"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y wrk; }
	$(PY) scripts/bench/run.py $(BENCHFLAGS)

lock: $(STAMP) ## Update the lock after editing pyproject.toml (LOCKFLAGS=--upgrade: all newest)
	$(VENV)/bin/pip-compile --quiet $(LOCKFLAGS) --generate-hashes --allow-unsafe \
	  --build-deps-for editable --extra test --strip-extras --no-emit-index-url \
	  --no-emit-find-links --output-file $(LOCK) pyproject.toml

clean: ## Remove the venv and collected static files (keeps the database)
	rm -rf $(VENV) staticfiles
