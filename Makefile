# The documented entry points. `make run` and `make test` set up everything on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
# Development settings of this checkout, read by every local command (briefing/settings.py).
ENV_FILE ?= .env

.PHONY: run test lint format schema clean deploy-check image sdk fuzz load bench bench-replicas score

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## run: install, write .env (development settings), migrate, seed the fixtures and serve on http://$(HOST):$(PORT)/
run: $(VENV)/.runtime $(ENV_FILE)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed
	$(PY) manage.py runserver $(HOST):$(PORT)

## .env: development settings for this checkout (DEBUG on, a secret key of its own); kept if present
# Never committed (.gitignore) nor copied into the image (.dockerignore). The environment wins
# over it, so `DATABASE_URL=... make run` still works.
$(ENV_FILE):
	@printf '%s\n' \
		'# Development settings for this checkout, written by `make run`. Never commit this file.' \
		'# Every manage.py command reads it; variables set in the environment win over it.' \
		'DEBUG=true' \
		"SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" >$@
	@echo "wrote $@: DEBUG=true and a new SECRET_KEY for this checkout"

## test: the whole suite, against whatever DATABASE_URL says (SQLite by default)
# Each slow test gets a line as it starts and its duration (tests/progress.py); the 15 slowest
# are listed at the end.
test: $(VENV)/.dev
	$(PY) -m pytest -p tests.progress --durations=15 $(PYTEST_ARGS)

## score: draft every gold article (tests/data/gold/) and print how the drafts score (docs/drafting.md); SCORE_ARGS=--cold for an empty database
# A throwaway in-memory database holds the other gold articles while each one is drafted; the
# configured database is never touched.
score: $(VENV)/.dev
	DEBUG=true DATABASE_URL=sqlite:///:memory: $(PY) manage.py score_drafts $(SCORE_ARGS)

## lint: ruff's lint and format checks
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles build test-output .pytest_cache

## schema: regenerate the committed OpenAPI schema (docs/openapi.yaml), failing on any warning
schema: $(VENV)/.dev
	DEBUG=true $(PY) manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

## deploy-check: hadolint the Dockerfile and run Django's deployment checks in a production environment
deploy-check: $(VENV)/.dev
	$(VENV)/bin/hadolint --failure-threshold warning Dockerfile
	env -u DEBUG ENV_FILE= SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		ALLOWED_HOSTS=api.example.org CSRF_TRUSTED_ORIGINS=https://api.example.org \
		$(PY) manage.py check --deploy --fail-level WARNING

## image: build the container image (needs a Docker engine; our CI machines have none)
image:
	docker build -t summit-briefing-api .

## sdk: generate the Python client (build/sdk, installed in build/sdk-venv) and type-check the TypeScript types (docs/sdk.md)
sdk:
	sdk/generate.sh
	sdk/typescript.sh

## fuzz: the long schemathesis run against gunicorn on disposable databases (about 6 minutes; docs/sdk.md)
fuzz: $(VENV)/.dev
	VENV=$(VENV) sdk/fuzz.sh

## load: 20,000 requests at concurrency 32 against gunicorn on 127.0.0.1; zero errors and flat memory (docs/load.md)
load: $(VENV)/.dev
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench.soak

## bench: the read path on the large corpus against a raw psycopg baseline and the HTTP ceiling (docs/performance.md); BENCH_ARGS="--size xlarge" for 10x
bench: $(VENV)/.dev
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	$(PY) -m bench.run $(BENCH_ARGS)

## bench-replicas: replication lag under write bursts and failover/return times against a throwaway primary and hot standby (docs/operations.md, "Read replicas")
bench-replicas: $(VENV)/.dev
	$(PY) -m bench.replicas $(BENCH_ARGS)
