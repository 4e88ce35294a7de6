# Two commands for a fresh machine with only Python 3: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test chromium java lint schemas bench docs docs-images clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sahel-events build

# Debian's Chromium for the browser tests of the HTML map (tests/plot/test_browser.py)
# and the coding review page (tests/coding/test_review_page.py), installed when
# missing; without root or apt-get those tests skip and say why.
CHROMIUM := /usr/bin/chromium

chromium:
	@test -x $(CHROMIUM) || if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "note: $(CHROMIUM) is missing and cannot be installed here: the browser tests will skip"; \
	fi


# The Spark tests need a Java runtime: installed from Debian's packages when missing
# (as root, as CI runs); without one they are skipped, saying why.
java:
	@command -v java >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 \
		&& apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null; } \
		|| echo "no Java runtime could be installed: the Spark tests will be skipped"

test: $(STAMP) chromium java
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

schemas: $(STAMP)
	$(BIN)/sahel-events schema export

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_geocode.py
	$(BIN)/python benchmarks/bench_coding.py
	$(BIN)/python benchmarks/bench_suggest.py
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_export.py
	$(BIN)/python benchmarks/bench_plot.py
	$(BIN)/python benchmarks/bench_transform.py
	$(BIN)/python benchmarks/bench_spark.py --rows 1000000

# The documentation site, offline, failing on any warning (broken link, missing page).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict -d site

# The first dataset's map and timeline in docs/img/ (README and docs site); reproducible.
docs-images: $(STAMP)
	$(BIN)/python scripts/docs_images.py

clean:
	rm -rf build dist site .pytest_cache .ruff_cache
