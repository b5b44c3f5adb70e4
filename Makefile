# Newsroom: every target sets up what it needs, idempotently.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

# The PostgreSQL and Redis that `make test` starts (scripts/services.sh) and tests against.
TEST_DATABASE_URL ?= postgres://newsroom:newsroom@127.0.0.1:5432/newsroom
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# What `make serve` uses unless the environment says otherwise.
SERVE_DATABASE_URL := $(or $(DATABASE_URL),postgres://newsroom:newsroom@127.0.0.1:5432/newsroom)
SERVE_REDIS_URL := $(or $(REDIS_URL),redis://127.0.0.1:6379/0)
PORT ?= 8000
# gunicorn listens here, on the loopback only; nginx on PORT passes requests to it.
GUNICORN_PORT ?= $(shell echo $$(($(PORT) + 1)))
# How many gunicorns `make serve` runs (on GUNICORN_PORT, GUNICORN_PORT+1, ...), standing
# for as many app servers behind nginx's upstream: the production shape on one machine.
APP_SERVERS ?= 1

.PHONY: help install browser-deps nginx-deps run serve services test test-sqlite test-postgres lint format clean bench

help:
	@echo "make run    set up and serve the site with demo content at http://127.0.0.1:8000"
	@echo "make serve  the production way: PostgreSQL, Redis, nginx on 127.0.0.1:$(PORT) -> gunicorn"
	@echo "            (APP_SERVERS=2: two gunicorns behind nginx's upstream)"
	@echo "make test   set up and run the whole suite, on SQLite and on PostgreSQL + Redis"
	@echo "make lint   ruff check and format check"
	@echo "make bench  load the production server with wrk and print the figures (~5 min)"

# Reinstall when the dependencies or their pinned versions change.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The browser suite (tests/browser/) drives Debian's Chromium; Playwright never downloads a
# browser of its own. axe-core comes from npm, pinned by package-lock.json.
browser-deps: node_modules/.installed
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

node_modules/.installed: package.json package-lock.json
	command -v npm >/dev/null || (apt-get update && apt-get install -y npm)
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# nginx in front of gunicorn (`make serve`, tests/production/). Debian's package is
# installed without starting the system nginx; we run our own (scripts/nginx.sh).
nginx-deps:
	command -v nginx >/dev/null || test -x /usr/sbin/nginx || scripts/nginx.sh install

run: install
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) load_demo_content
	DEBUG=1 $(MANAGE) load_demo_comments
	DEBUG=1 $(MANAGE) ensure_demo_admin
	@# The huey consumer sends the moderation emails; it stops when the server does.
	DEBUG=1 $(MANAGE) run_huey & huey_pid=$$!; \
	trap 'kill $$huey_pid 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

# Production-like: services started if needed, migrations, hashed static files, nginx on
# PORT in front of APP_SERVERS gunicorns from GUNICORN_PORT on (loopback), and the huey
# consumer that sends moderation emails (one, whatever the number of app servers). When
# any of them stops, the others are stopped too.
# SECRET_KEY comes from the environment, or from .secret_key (made once, never committed).
serve: install nginx-deps
	[[ "$(APP_SERVERS)" =~ ^[1-9][0-9]?$$ ]] || { echo "APP_SERVERS is 1 to 99" >&2; exit 2; }
	DATABASE_URL=$(SERVE_DATABASE_URL) REDIS_URL=$(SERVE_REDIS_URL) scripts/services.sh all
	test -n "$$SECRET_KEY" || test -s .secret_key || \
		$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret_key
	set -a; SECRET_KEY=$${SECRET_KEY:-$$(cat .secret_key)}; \
	DATABASE_URL=$(SERVE_DATABASE_URL); REDIS_URL=$(SERVE_REDIS_URL); PORT=$(PORT); \
	NGINX_LISTEN=127.0.0.1:$(PORT); \
	NGINX_UPSTREAM="$$(for ((i = 0; i < $(APP_SERVERS); i++)); do \
		printf '127.0.0.1:%d ' $$(($(GUNICORN_PORT) + i)); done)"; \
	COMMENTS_TRUSTED_PROXIES=$${COMMENTS_TRUSTED_PROXIES:-127.0.0.1}; set +a; \
	$(MANAGE) migrate --noinput && \
	$(MANAGE) collectstatic --noinput --verbosity 0 && \
	{ $(MANAGE) run_huey & pids=$$!; \
	  for address in $$NGINX_UPSTREAM; do \
	    BIND=$$address $(BIN)/gunicorn -c gunicorn.conf.py newsroom.wsgi & pids+=" $$!"; \
	  done; \
	  scripts/nginx.sh run & pids+=" $$!"; \
	  trap 'kill $$pids 2>/dev/null; wait' EXIT INT TERM; \
	  wait -n; }

services:
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) scripts/services.sh all

# The whole suite twice: on SQLite with the local-memory cache, then on PostgreSQL with
# Redis. Either run failing fails make.
test: test-sqlite test-postgres

test-sqlite: install browser-deps nginx-deps
	env -u DATABASE_URL -u REDIS_URL -u CACHE_DIR $(BIN)/pytest

test-postgres: install services browser-deps nginx-deps
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The benchmark (issue 9): gunicorn with the production settings under wrk, on SQLite and
# on PostgreSQL + Redis (a database of its own, dropped afterwards; a Redis database of its
# own, emptied first). BENCH_DURATION seconds per load run (default 5), BENCH_BACKENDS
# (default sqlite,postgresql), BENCH_WXR_COMMENTS (default 100000; 0 skips the import),
# BENCH_PROFILE=1 (py-spy flame graphs of one worker per run, py-spy installed for it),
# BENCH_APP_SERVERS=2 (the PostgreSQL run on two gunicorns behind nginx's upstream).
# SCALE=large adds issue 22's archive (200,000 articles, 2,000,000 comments) on PostgreSQL,
# its pages beside the small set's, and import/export at that scale (bench/scale.py).
SCALE ?= small
BENCH_DATABASE_URL ?= postgres://newsroom:newsroom@127.0.0.1:5432/newsroom_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14

bench: install nginx-deps
	command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
	if [ -n "$$BENCH_PROFILE" ]; then $(BIN)/pip install --quiet py-spy; fi
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) scripts/services.sh all || \
		echo "bench: PostgreSQL or Redis did not start; the bench reports that run as skipped"
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) \
		$(BIN)/python -m bench.run --scale $(SCALE)

# Regenerate the pinned versions after changing dependencies in pyproject.toml.
# A scratch venv of its own per run, so two checkouts locking at once cannot collide.
lock:
	scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	$(PYTHON) -m venv "$$scratch" && \
	"$$scratch/bin/pip" install --quiet -e '.[dev]' && \
	"$$scratch/bin/pip" freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
