# The two commands a newcomer needs: `make run` and `make test`.
# Both create .venv and install what is needed on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
FLASK  := $(BIN)/flask --app crm

.PHONY: run test install install-test lint migrate demo vendor-frontend

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## run: set up, migrate the SQLite database under instance/, load demo data when empty, serve
run: export CRM_BASE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(FLASK) db upgrade
	$(FLASK) demo load
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl+C to stop)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Test workers: one per core, at most 4 (each runs its own Chromium).
PYTEST := $(BIN)/pytest -n auto --maxprocesses 4

## test: the whole suite on SQLite; on PostgreSQL too when CRM_TEST_DATABASE_URL is set
# Both runs share one record of the pages that passed axe and the 320 px
# check (tests/browser/harness.py CheckedDocuments), so a page is scanned once.
test: install-test
	@record=$$(mktemp); trap 'rm -f "$$record"' EXIT; export CRM_AXE_RECORD="$$record"; \
	start=$$(date +%s); $(PYTEST) && \
		echo "SQLite suite: $$(( $$(date +%s) - start )) seconds." || exit 1; \
	if [ -n "$${CRM_TEST_DATABASE_URL:-}" ]; then \
		echo "--- again on PostgreSQL ---"; \
		start=$$(date +%s); $(PYTEST) --db=postgresql && \
		echo "PostgreSQL suite: $$(( $$(date +%s) - start )) seconds." || exit 1; \
	else \
		echo "CRM_TEST_DATABASE_URL is not set: PostgreSQL run skipped."; \
	fi

## lint: ruff, mypy and the import contract (.importlinter)
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

migrate: install
	$(FLASK) db upgrade

demo: install
	$(FLASK) demo load

## vendor-frontend: refresh the NHS.UK frontend assets from npm (needs npm)
vendor-frontend:
	scripts/refresh-nhsuk-frontend.sh
