# 义马 全域网格 — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

# Test services: the machine's PostgreSQL and Redis. Override to run several suites side by side.
TEST_DB_NAME ?= yima
TEST_REDIS_DB ?= 15
TEST_FAULT_REDIS_PORT ?= 6421
TEST_ENV := DEBUG=false SECRET_KEY=test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz \
	SECURE_SSL_REDIRECT=false SECURE_COOKIES=false \
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(TEST_DB_NAME) \
	REDIS_URL=redis://127.0.0.1:6379/$(TEST_REDIS_DB) \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/$(TEST_REDIS_DB) \
	YIMA_VAR_DIR=$(CURDIR)/var/test TEST_FAULT_REDIS_PORT=$(TEST_FAULT_REDIS_PORT) \
	EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend \
	SMS_BACKEND=accounts.sms.LocmemSmsBackend

.PHONY: demo test pytest venv assets lint format messages services browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes; `make demo` run twice reuses what exists.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: venv node_modules/.installed
	DEBUG=true $(BIN)/python manage.py collectstatic --noinput -v0

demo: assets
	DEBUG=true $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=true $(BIN)/python manage.py seed_yima
	PORT=$(PORT) BIN=$(BIN) scripts/demo.sh

services:
	scripts/ensure_services.sh

browser:
	scripts/ensure_chromium.sh

lint: venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the English catalogue from the source (msgids are the Chinese interface text).
messages: venv
	DEBUG=true $(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var
	DEBUG=true $(BIN)/python manage.py compilemessages -l en --ignore=.venv

test: venv node_modules/.installed services browser lint
	DEBUG=true $(BIN)/python manage.py compilemessages -l en --ignore=.venv -v0
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

# The suite without the set-up and lint steps, for a quick run of part of it.
pytest:
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf var/test var/staticfiles
