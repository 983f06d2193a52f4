# The two Quick start commands: `make demo` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

LOCALES := src/tradelaw/locale

.PHONY: demo test lint typecheck pytest docs bench fuzz messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,frames,dask,plot]'
	touch $(STAMP)

# The embedded `us` dataset: a Japanese passenger car on 10 June 2025, then its rate over
# 2025-2026 (Section 232 from 3 April 2025, Japan's 15% inclusive rate from 16 September),
# then plastic kitchenware, a line whose rate the HTS prints only on its statistical line
# (every line of the 2025 and 2026 editions ships with the dataset).
demo: $(STAMP)
	$(BIN)/tradelaw rate 8703.23.01 --origin JP --on 2025-06-10 --value 40000
	$(BIN)/tradelaw timeline 8703.23.01 --origin JP --from 2025-01-01 --to 2027-01-01
	$(BIN)/tradelaw rate 3924.10.40 --origin JP --on 2026-03-01 --value 1000

test: lint typecheck pytest docs

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs scripts examples hatch_build.py
	$(BIN)/ruff format --check src tests benchmarks docs scripts examples hatch_build.py

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

pytest: $(STAMP)
	$(BIN)/pytest

docs: $(STAMP)
	$(BIN)/sphinx-build -W -n --keep-going -b html docs docs/_build/html
	$(BIN)/sphinx-build -W -n --keep-going -b doctest docs docs/_build/doctest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_resolve.py
	$(BIN)/python benchmarks/bench_cold_start.py

# The fuzzer of tests/fuzz, long: TRADELAW_FUZZ_EXAMPLES command lines, mutated schedule
# files and entry files each (`make test` runs 40 of each), with Hypothesis's counts.
FUZZ_EXAMPLES ?= 100000
fuzz: $(STAMP)
	TRADELAW_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q -p no:cacheprovider \
		--hypothesis-show-statistics tests/fuzz

# Translations (see the tradelaw.format docs): extract the marked messages into the template,
# merge it into every catalogue, and compile them for this checkout. Then translate what is
# new or fuzzy in the .po files (tests/test_i18n.py fails until every message is).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o $(LOCALES)/tradelaw.pot \
		--project tradelaw --copyright-holder "tradelaw maintainers" \
		--version "$$($(BIN)/python -c 'import tradelaw; print(tradelaw.__version__)')" \
		--add-comments Translators: --strip-comment-tags --add-location file --width 99 .
	$(BIN)/pybabel update -i $(LOCALES)/tradelaw.pot -d $(LOCALES) -D tradelaw --width 99
	$(BIN)/pybabel compile -d $(LOCALES) -D tradelaw --statistics

clean:
	rm -rf $(VENV) docs/_build .pytest_cache .mypy_cache .ruff_cache .hypothesis
