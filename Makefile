# Common Ground — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

PG_URL ?= postgres://postgres@127.0.0.1:5432/test

BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/commonground_bench

.PHONY: run demo browser pdf-tools report-screenshots test test-postgres check screenshots bench bench-load bench-country bench-export clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,dev]'
	touch $(STAMP)

## make run: set up, migrate, seed the demo when the database is empty, serve http://127.0.0.1:8000
## with a job worker beside the web server (the queue: a SQLite file in data/, or Redis when REDIS_URL is set)
run: $(STAMP) pdf-tools
	$(BIN)/commonground library check
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "Common Ground / Tiếng nói chung: http://127.0.0.1:8000  (Ctrl+C to stop / để dừng)"
	$(BIN)/python manage.py serve 127.0.0.1:8000

## make demo: evaluate the bundled sample assessments on the command line
demo: $(STAMP)
	$(BIN)/commonground demo

## the browser for the page tests: Debian's chromium (installed when missing and run as root)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; fi; }

## what the PDF reports need (decision 0031): Pango for WeasyPrint, DejaVu Sans (every Vietnamese
## letter and tone mark), and poppler-utils (pdftotext/pdftoppm: the tests read PDFs back with them);
## Debian's packages, installed when missing and run as root
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils
pdf-tools:
	@missing=""; for p in $(PDF_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "PDF reports need:$$missing (sudo apt-get install$$missing)"; fi; fi

## make test: set up and run the whole suite (with coverage of core/)
test: $(STAMP) browser pdf-tools
	$(BIN)/python -m pytest --cov=commonground.core --cov-report=term --cov-fail-under=90

## make screenshots: the browser tests again, writing their screenshots into docs/screenshots
screenshots: $(STAMP) browser pdf-tools report-screenshots
	SCREENSHOTS=docs $(BIN)/python -m pytest -p no:cacheprovider tests/browser

## make report-screenshots: the demo factory's facility report (PDF) in vi and en and its state
## self-inspection form (PDF, vi), their pages as PNG (pdftoppm) in docs/screenshots/facility-report-*.png
## and docs/screenshots/state-form-*.png
report-screenshots: $(STAMP) pdf-tools
	SCREENSHOTS=docs $(BIN)/python -m pytest -p no:cacheprovider tests/web/test_facility_report.py \
		tests/web/test_state_form.py -k images

## make test-postgres: the database tests again on PostgreSQL (CI; fails when it cannot connect)
test-postgres: $(STAMP) pdf-tools
	@$(BIN)/python -c "import psycopg, sys; psycopg.connect('$(PG_URL)', connect_timeout=5).close()" \
		|| (echo "PostgreSQL is not reachable at $(PG_URL)"; exit 1)
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -p no:cacheprovider tests/web tests/actions tests/improvement

## make check: lint, type checks, the apps' layers (decision 0026) and missing migrations
check: $(STAMP)
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

## make bench: speed targets (not part of make test)
bench: $(STAMP) pdf-tools
	$(BIN)/python bench/bench_evaluate.py
	$(BIN)/python bench/bench_improvement.py
	$(BIN)/python bench/bench_identity.py
	$(BIN)/python bench/bench_report.py

## make bench-load: 20 concurrent clients against gunicorn on loopback, PostgreSQL at BENCH_PG_URL
## (created and seeded when missing); locust and gunicorn come from the `bench` extra, only here
$(VENV)/.installed-bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,dev,bench]'
	touch $@

bench-load: $(VENV)/.installed-bench
	$(BIN)/python bench/bench_load.py --database $(BENCH_PG_URL)

## make bench-country: a country's sector (20,000 facilities x 5 years, seeded through COPY once) at
## BENCH_COUNTRY_PG_URL: a full snapshot refresh, then the aggregates, facility and portfolio pages
## under 20 users on one gunicorn server and on two behind one address sharing Redis (REDIS db 6)
BENCH_COUNTRY_PG_URL ?= postgres://postgres@127.0.0.1:5432/cg_country
bench-country: $(VENV)/.installed-bench
	$(BIN)/python bench/bench_country.py --database $(BENCH_COUNTRY_PG_URL)

## make bench-export: the buyer's portfolio as XLSX for 2,000 suppliers, click to file (the job and
## the download; cold, then warm), at BENCH_EXPORT_PG_URL (created and seeded with 2,000 facilities
## when missing, about 3 minutes; kept for the next run)
BENCH_EXPORT_PG_URL ?= postgres://postgres@127.0.0.1:5432/commonground_bench_export
bench-export: $(STAMP)
	$(BIN)/python bench/bench_portfolio_export.py --database $(BENCH_EXPORT_PG_URL)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage
