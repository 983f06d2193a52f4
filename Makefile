# The two Quick start commands: `make demo` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

LOCALES := src/tradelaw/locale

.PHONY: demo test lint typecheck pytest docs bench messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m tradelaw.examples.japan_us_2025

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
