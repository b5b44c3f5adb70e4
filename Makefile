# Newsroom: every target sets up what it needs, idempotently.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

.PHONY: help install run test lint format clean

help:
	@echo "make run    set up and serve the site with demo content at http://127.0.0.1:8000"
	@echo "make test   set up and run the whole suite"
	@echo "make lint   ruff check and format check"

# Reinstall when the dependencies or their pinned versions change.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) load_demo_content
	DEBUG=1 $(MANAGE) load_demo_comments
	DEBUG=1 $(MANAGE) ensure_demo_admin
	@# The huey consumer sends the moderation emails; it stops when the server does.
	DEBUG=1 $(MANAGE) run_huey & huey_pid=$$!; \
	trap 'kill $$huey_pid 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the pinned versions after changing dependencies in pyproject.toml.
lock:
	rm -rf /tmp/newsroom-lock && $(PYTHON) -m venv /tmp/newsroom-lock
	/tmp/newsroom-lock/bin/pip install --quiet -e '.[dev]'
	/tmp/newsroom-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
