# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test test-fast lint format bench messages migrations clean

$(STAMP): requirements.lock pyproject.toml
	bash .ci/install-system
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv
	$(VENV)/bin/uv pip sync -q --python $(PY) requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP) portal/locale/zh_Hans/LC_MESSAGES/django.mo

portal/locale/zh_Hans/LC_MESSAGES/django.mo: portal/locale/zh_Hans/LC_MESSAGES/django.po
	cd portal && ../$(PY) ../manage.py compilemessages -l zh_Hans -v 0

# Serve on SQLite with eager tasks unless DATABASE_URL / REDIS_URL say otherwise.
run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite on PostgreSQL and Redis (started if they are not running).
test: install
	source <(bash .ci/services) && DJANGO_ENV=test $(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

test-fast: install
	source <(bash .ci/services) && DJANGO_ENV=test $(PY) -m pytest -m "not browser and not worker" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_ENV=test $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore='.venv/*' --ignore='var/*' --ignore='tests/*' --no-obsolete --no-location
	cd portal && ../$(PY) ../manage.py compilemessages -l zh_Hans -v 0

bench: install
	source <(bash .ci/services) && DJANGO_ENV=test $(PY) bench/run.py
	source <(bash .ci/services) && $(PY) bench/throughput.py
	source <(bash .ci/services) && $(PY) bench/sessions_search.py
	source <(bash .ci/services) && $(PY) bench/lookup_throughput.py --rows 200000

clean:
	rm -rf var/ .pytest_cache
