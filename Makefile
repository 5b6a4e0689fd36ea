# One place for every install step: a clean clone needs only python3.11 (or python3 = 3.11).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install bench clean

run: install            ## set up and run the product (embedded default)
	$(BIN)/secretary serve

test: install           ## set up and run the tests
	ORT_DISABLE_TELEMETRY=1 $(BIN)/pytest

bench: install          ## print benchmark figures
	$(BIN)/python bench/nlu.py

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache
