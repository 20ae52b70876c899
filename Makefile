# Set-up is part of every target: a fresh machine needs only `make dashboard` or `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LEDGER ?= ledger/main.beancount
PORT   ?= 5000

LOWEST       := .venv-lowest
LOWEST_STAMP := $(LOWEST)/.installed

.PHONY: dashboard test test-lowest check bench lint clean chromium mutate

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian's chromium drives the browser tests and the PDF reports (never `playwright install`).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium and poppler-utils..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; }
	@command -v pdftotext >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }

dashboard: $(STAMP)
	$(VENV)/bin/kcst dashboard --ledger $(LEDGER) --port $(PORT)

test: $(STAMP) chromium
	$(PY) -m pytest -q

# The same tests with every runtime dependency at the floor pyproject.toml allows, in a venv
# of its own (CI runs this once, after `make test`).
$(LOWEST_STAMP): pyproject.toml .ci/lowest_constraints.py
	test -x $(LOWEST)/bin/python || python3 -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --upgrade pip
	python3 .ci/lowest_constraints.py > $(LOWEST)/constraints.txt
	$(LOWEST)/bin/python -m pip install --quiet --constraint $(LOWEST)/constraints.txt -e '.[test]'
	touch $(LOWEST_STAMP)

test-lowest: $(LOWEST_STAMP) chromium
	$(LOWEST)/bin/python -m pip freeze --quiet | grep -i -E '^(beancount|fava|beangulp|typer|pandas|openpyxl|filelock)=='
	$(LOWEST)/bin/python -m pytest -q

check: $(STAMP)
	$(VENV)/bin/kcst check --ledger $(LEDGER)

bench: $(STAMP) chromium
	$(PY) -m benchmarks.bench

# Mutation testing (not in CI: about an hour on two cores): mutmut 3 mutates rules/, money/,
# mou.py and seal.py in a copy of the tree (mutants/) and runs the in-process tests that
# reach each mutant (pyproject.toml [tool.mutmut]); the score by part and every survivor
# are printed. docs/testing.md records the last score and why each survivor is acceptable.
MUTMUT := mutmut>=3.8,<4

mutate: $(STAMP)
	$(PY) -m pip install --quiet '$(MUTMUT)'
	rm -rf mutants
	nice $(VENV)/bin/mutmut run --max-children 2 > mutants.log 2>&1 || { tail -40 mutants.log; exit 1; }
	$(PY) -m tools.mutation_score --survivors

lint: $(STAMP)
	$(VENV)/bin/ruff check kcst_budget tests tools benchmarks

clean:
	rm -rf $(VENV) $(LOWEST) .pytest_cache mutants mutants.log
