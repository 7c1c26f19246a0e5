# Every target sets up what it needs: a fresh clone runs `make ingest` and `make test` as they are.
PYTHON  ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
ARCHIVE ?= raw
DB      ?= data/reports.duckdb
OUT     ?= out
JOBS    ?=
SQL     ?= SELECT status, count(*) AS files FROM ingest_files GROUP BY ALL
FILE    ?=
FILE_TIMEOUT ?=
MAX_MEMORY ?=
MAX_FILE_SIZE ?=
SHARED  ?= ../shared
# The exact versions CI tests, by default, so `make test` gives the same answer on any day;
# LOCK= (empty) installs the newest releases pyproject allows (see `make test-latest`).
LOCK    ?= requirements-ci.lock
LATEST_VENV ?= .venv-latest
N       ?= 200
# The suite on every core (pytest-xdist; each test file stays on one worker, so a file's
# expensive module fixtures, such as an OCR'd scan, are made once); PYTEST_ARGS= runs it in one process.
PYTEST_ARGS ?= -n auto --dist loadfile
BENCH_JOBS := 1,2
HISTORY ?= 120
REAL    ?= data/real

.DEFAULT_GOAL := help
.PHONY: help install lock system-deps bench bench-history bench-real ingest export review dictionary query check test test-latest lint score twin clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(if $(LOCK),$(PY) -m pip install --quiet -r $(LOCK))
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the package with its dev tools

lock: $(STAMP) ## re-pin requirements-ci.lock (uv pip compile) after a change to pyproject's dependencies
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.10 -o requirements-ci.lock

system-deps: ## apt-get the OCR model and poppler (Debian/Ubuntu, as root); scanned PDFs need them
	apt-get install -y tesseract-ocr tesseract-ocr-vie poppler-utils

ingest: $(STAMP) ## parse ARCHIVE (default raw/) into DB (default data/reports.duckdb); JOBS=n STRICT=1 FORCE=1 NO_OCR=1 PRUNE=1 FILE_TIMEOUT=s MAX_MEMORY=1.5G MAX_FILE_SIZE=2G EXECUTOR=dask [SCHEDULER=tcp://…]
	$(PY) -m pipeline.cli ingest $(ARCHIVE) --db $(DB) $(if $(JOBS),--jobs $(JOBS)) $(if $(STRICT),--strict) $(if $(FORCE),--force) $(if $(NO_OCR),--no-ocr) $(if $(PRUNE),--prune) $(if $(FILE_TIMEOUT),--file-timeout $(FILE_TIMEOUT)) $(if $(MAX_MEMORY),--max-memory $(MAX_MEMORY)) $(if $(MAX_FILE_SIZE),--max-file-size $(MAX_FILE_SIZE)) $(if $(EXECUTOR),--executor $(EXECUTOR)) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

export: $(STAMP) ## write every table of DB as Parquet (by province/year) + data dictionary into OUT (default out/); REDACT=1 [SALT=…] hashes staff phone/e-mail
	VNREPORTS_SALT="$${SALT:-$$VNREPORTS_SALT}" $(PY) -m pipeline.cli export --db $(DB) --out $(OUT) $(if $(REDACT),--redact-staff)

review: $(STAMP) ## write a static review site of DB into OUT (default out/review): open OUT/index.html in a browser
	$(PY) -m pipeline.cli review --db $(DB) --out $(if $(filter out,$(OUT)),out/review,$(OUT)) $(if $(JOBS),--jobs $(JOBS)) $(if $(CONTACTS),--with-contacts)

dictionary: $(STAMP) ## regenerate docs/data_dictionary.md from sql/schema.sql (commit it; a test checks it is current)
	$(PY) -m pipeline.cli dictionary --out docs/data_dictionary.md

# SQL reaches the shell through the environment, so quotes and newlines survive.
export SQL
query: $(STAMP) ## run SQL="…" (or SQL=file.sql) read-only, sandboxed, on DB and print a table (FORMAT=csv|json for pipes); FILE=x.csv, .json or .parquet writes a file; CONTACTS=1 shows staff phone/e-mail
	$(PY) -m pipeline.cli query "$$SQL" --db $(DB) $(if $(FILE),--out "$(FILE)") $(if $(FORMAT),--format $(FORMAT)) $(if $(CONTACTS),--with-contacts)

check: $(STAMP) ## rerun the data checks over DB and print them by report (table `checks`); SEVERITY= RULE= REPORT= filter, FORMAT=csv|json, STRICT=1 exits 1 on any finding
	$(PY) -m pipeline.cli check --db $(DB) $(if $(STRICT),--strict) $(if $(FORMAT),--format $(FORMAT)) $(if $(SEVERITY),--severity $(SEVERITY)) $(if $(RULE),--rule $(RULE)) $(if $(REPORT),--report "$(REPORT)")

test: $(STAMP) ## run the test suite on the locked versions, on every core (offline, no ../shared needed); PYTEST_ARGS= for one process
	$(PY) -m pytest $(PYTEST_ARGS)

# A separate venv, so the locked one stays as CI tests it; the versions that differ from the lock are printed first.
test-latest: ## run the suite on the newest releases pyproject allows (in .venv-latest): shows upstream drift
	$(MAKE) --no-print-directory install VENV=$(LATEST_VENV) LOCK=
	@$(LATEST_VENV)/bin/python -m pip freeze --exclude-editable | sort > $(LATEST_VENV)/freeze.txt
	@echo "releases that differ from requirements-ci.lock:"
	@grep -E '^[A-Za-z0-9_.-]+==' requirements-ci.lock | tr 'A-Z_' 'a-z-' | sort > $(LATEST_VENV)/lock.txt
	@tr 'A-Z_' 'a-z-' < $(LATEST_VENV)/freeze.txt | sort | comm -13 $(LATEST_VENV)/lock.txt - | sed 's/^/  /' || true
	$(LATEST_VENV)/bin/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP) ## time the whole ingest on N=200 synthetic text reports with JOBS=1,2, beside pdfplumber's extract_words; prints "ratio X"
	$(PY) -m pipeline.run.bench --reports $(N) --jobs $(if $(JOBS),$(JOBS),$(BENCH_JOBS)) --work data/bench

bench-history: $(STAMP) ## load HISTORY=120 monthly reports of one unit: load seconds per report as its history grows (flat is the target), beside the same reports as 120 units
	$(PY) -m pipeline.run.bench --history $(HISTORY) --work data/bench

bench-real: $(STAMP) ## the bench over the real text PDFs copied into REAL (default data/real) with JOBS=1,2, beside pdfplumber's extract_words
	$(PY) -m pipeline.run.bench --real $(REAL) --jobs $(if $(JOBS),$(JOBS),$(BENCH_JOBS)) --work data/bench

lint: $(STAMP) ## ruff over the code
	$(VENV)/bin/ruff check pipeline extractors tests

score: $(STAMP) ## ingest ../shared's dev archive into data/dev.duckdb and score it
	$(PY) -m pipeline.cli ingest $(SHARED)/corpus/dev/archive --db data/dev.duckdb --force
	$(PY) $(SHARED)/tools/score.py data/dev.duckdb $(SHARED)/corpus/dev/truth --quiet

twin: $(STAMP) ## DIR=folder: scan each text PDF (PROFILES=clean,harsh copiers) and list where the scan's reading differs from the text's
	$(PY) -m tests.twin $(if $(DIR),$(DIR),$(error give DIR=folder of text PDFs)) --work data/twin --jobs $(if $(JOBS),$(JOBS),1) $(if $(PROFILES),--profiles $(PROFILES))

clean: ## remove the database, exports and caches (keeps .venv)
	rm -rf data $(OUT) .pytest_cache .ruff_cache
