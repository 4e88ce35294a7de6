# Two commands for a fresh machine with only Python 3: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint schemas bench docs docs-images clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sahel-events build

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

schemas: $(STAMP)
	$(BIN)/sahel-events schema export

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_geocode.py
	$(BIN)/python benchmarks/bench_coding.py
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_export.py
	$(BIN)/python benchmarks/bench_plot.py

# The documentation site, offline, failing on any warning (broken link, missing page).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict -d site

# The first dataset's map and timeline in docs/img/ (README and docs site); reproducible.
docs-images: $(STAMP)
	$(BIN)/python scripts/docs_images.py

clean:
	rm -rf build dist site .pytest_cache .ruff_cache
