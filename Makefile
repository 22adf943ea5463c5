# The two commands of the README:
#   make demo   set everything up and run a real offline sync on SQLite, then print what changed
#   make test   set everything up (apt and pip) and run the whole test suite
#   make coverage   the whole suite under coverage.py (docs/testing.md), report in .coverage-data/report.txt
VENV ?= .venv
PYTHON ?= python3
# make test runs the suite on every core; PYTEST_WORKERS=0 runs it in one process (docs/testing.md).
PYTEST_WORKERS ?= auto
PY := $(VENV)/bin/python

.PHONY: demo test coverage system venv bench docs clean

$(VENV)/.installed: requirements.txt requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

venv: $(VENV)/.installed

system:
	bash scripts/install-system-packages.sh

demo: venv
	bash scripts/demo.sh

test: system venv
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The same run under coverage.py (.coveragerc): the test processes, the xdist workers and every process
# the tests start (subprocesses, forked scrapy runs) write data files into .coverage-data/, combined here.
coverage: system venv
	rm -rf .coverage-data && mkdir .coverage-data
	COVERAGE_DATA_DIR=$(CURDIR)/.coverage-data $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile \
		--cov --cov-report= $(PYTEST_ARGS); status=$$?; \
	COVERAGE_DATA_DIR=$(CURDIR)/.coverage-data $(PY) -m coverage combine --append --quiet; \
	COVERAGE_DATA_DIR=$(CURDIR)/.coverage-data $(PY) -m coverage report > .coverage-data/report.txt; \
	grep "^TOTAL" .coverage-data/report.txt; exit $$status

bench: venv
	$(PY) bench/feed_sync.py

# The documentation site (mkdocs.yml) into site/, strictly: a broken link fails.
docs: venv
	$(PY) scripts/gen_docs.py
	$(PY) -m mkdocs build --strict

clean:
	rm -rf $(VENV) ornaments.sqlite3 exports images build site .coverage-data *.egg-info setup.py
