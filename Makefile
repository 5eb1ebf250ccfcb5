# Lophoc: `make run` serves the demo school; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: run install test test-sqlite test-postgres lint format browser-deps messages clean bench worker

$(STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

run: install
	@$(BIN)/python manage.py migrate --noinput -v0
	@$(BIN)/python manage.py seed_demo
	@echo "Lophoc is starting on http://127.0.0.1:$(PORT)  (Ctrl+C stops it and its task worker)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/celery -A lms worker --beat --loglevel=warning --concurrency=2 \
	    --logfile=var/celery/worker.log & \
	  $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

worker: install
	$(BIN)/celery -A lms worker --beat --loglevel=info

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Browser tests use Debian's Chromium; as root it is installed when missing.
browser-deps:
	@if [ -z "$$CHROMIUM_PATH" ] && ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium for the browser tests"; \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || \
	     (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)); \
	  else \
	    $(BIN)/python -m playwright install chromium; \
	  fi; \
	fi

# PostgreSQL: DATABASE_URL when given, else a throwaway server the test session starts itself.
test: install lint browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-sqlite: install browser-deps
	LOPHOC_TEST_DB=sqlite $(BIN)/python -m pytest $(PYTEST_ARGS)

messages: install
	cd lms && ../$(BIN)/python ../manage.py makemessages -l vi --no-obsolete
	for app in courses classrooms attendance grading cms media; do \
	  (cd $$app && mkdir -p locale && ../$(BIN)/python ../manage.py makemessages -l vi --no-obsolete); done
	$(BIN)/python manage.py compilemessages

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) var
