# One place for every install step: a clean clone needs only python3.11 (or python3 = 3.11).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian packages the tests use for real: a PostgreSQL server; a Korean font to make test PDFs.
APT_PACKAGES := postgresql fonts-nanum
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install system-deps bench clean

run: install            ## set up and run the product (embedded default)
	$(BIN)/secretary serve

test: install system-deps   ## set up and run the tests
	$(BIN)/ruff check .
	ORT_DISABLE_TELEMETRY=1 $(BIN)/pytest

bench: install          ## print benchmark figures
	$(BIN)/python bench/nlu.py

install: $(STAMP)

system-deps:
	@ls /usr/lib/postgresql/*/bin/initdb /usr/share/fonts/truetype/nanum/NanumGothic.ttf >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES) >/dev/null; }

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache
