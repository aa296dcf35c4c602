# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails and the QR codes on labels point here, so a local run's codes open.
SITE_URL ?= http://$(HOST):$(PORT)
WORKERS ?= 2
THREADS ?= 4
PYTEST_WORKERS ?= auto

.PHONY: install run test bench bench-engine bench-load lint migrate messages diagram clean worker beat

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

# The zero-setup local demo: sample data and placeholder secrets (LOCAL_DEMO=1 allows them with
# DEBUG off). Production runs bin/serve instead.
run: migrate
	$(PY) manage.py collectstatic --noinput --verbosity 0
	SITE_URL='$(SITE_URL)' $(PY) manage.py load_sample_catalog --if-empty --with-register --with-sample-month
	LOCAL_DEMO=1 SITE_URL='$(SITE_URL)' $(VENV)/bin/gunicorn config.wsgi --bind '$(HOST):$(PORT)' --workers $(WORKERS) \
		--threads $(THREADS) --access-logfile - --forwarded-allow-ips '127.0.0.1'

# The task queue's processes (config/celery.py); both need REDIS_URL (or CELERY_BROKER_URL).
# Without it, `make run` runs every task in the request that queues it.
WORKER_CONCURRENCY ?= 2
worker: migrate
	$(VENV)/bin/celery -A config worker --loglevel INFO --concurrency $(WORKER_CONCURRENCY)

beat: migrate
	$(VENV)/bin/celery -A config beat --loglevel INFO

test: install
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: install
	$(PY) -m bench

# The search benchmark with a live Elasticsearch node beside the database backend.
bench-engine: install
	bash bench/with-engine.sh

# Two web nodes behind nginx with PostgreSQL primary + replica, Redis and Celery under a load mix,
# then again with one node and with a node killed (bench/load). Needs root, like .ci/run.
bench-load: install
	bash bench/load.sh

# lint-imports: the import contracts in pyproject.toml (the domain never imports the API layer;
# no cycles between apps).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

# The import graph in docs/ARCHITECTURE.md, regenerated from the code (a test fails when stale).
diagram: install
	$(PY) tools/import_graph.py --write

# One scan of the whole project: an app without its own locale/ folder lands in locale/, so a
# scan of one folder with --no-obsolete would drop every other app's English.
MESSAGES_IGNORE := -i '.venv/*' -i 'var/*' -i 'tests/*' -i 'bench/*' -i 'node_modules/*' -i 'test-artifacts/*'
messages: install
	$(PY) manage.py makemessages -l en --no-obsolete $(MESSAGES_IGNORE)
	$(PY) manage.py compilemessages -l en $(MESSAGES_IGNORE)

# Only what can be rebuilt: never var/ (database, media, secret and trace signing keys).
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -path ./var -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
