# One place for every install step: a clean clone needs only python3.11 (or python3 = 3.11).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian packages. At run time: espeak-ng (Korean speech), ffmpeg's libraries come with PyAV.
# For the tests besides: a PostgreSQL server and the chromium browser (pages).
RUN_APT := espeak-ng fonts-nanum
TEST_APT := postgresql chromium coturn
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

RASA_VENV := .rasa-venv
RASA_STAMP := $(RASA_VENV)/.installed
TTS_VENV := .tts-venv
TTS_STAMP := $(TTS_VENV)/.installed
WEB := assistant/web
WEB_STAMP := $(WEB)/node_modules/.installed

.PHONY: run test install run-deps test-deps rasa tts bench clean

run: install run-deps    ## set up and run the product (embedded default)
	$(BIN)/secretary serve

test: install run-deps test-deps rasa tts   ## set up and run the tests (Rasa, Coqui and browser tests included)
	$(BIN)/ruff check .
	npm --prefix $(WEB) exec --no -- tsc -p $(WEB)   # the pages' scripts, type-checked from their JSDoc
	ORT_DISABLE_TELEMETRY=1 $(BIN)/pytest

bench: install tts      ## print benchmark figures (NLU, reading room, voice)
	$(BIN)/python bench/nlu.py
	$(BIN)/python bench/knowledge.py
	$(BIN)/python bench/voice.py

install: $(STAMP) $(WEB_STAMP)

$(WEB_STAMP): $(WEB)/package.json $(WEB)/package-lock.json   ## the pages' browser libraries (pinned by the lock file)
	npm ci --prefix $(WEB) --no-audit --no-fund --loglevel=error
	touch $@

run-deps:
	@ls /usr/share/fonts/truetype/nanum/NanumGothic.ttf /usr/bin/espeak-ng >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(RUN_APT) >/dev/null; }

test-deps:
	@ls /usr/lib/postgresql/*/bin/initdb /usr/bin/chromium /usr/bin/turnserver >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(TEST_APT) >/dev/null; }

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps openai-whisper==20250625
	touch $@

rasa: $(RASA_STAMP)      ## Rasa 3.6.21 in its own venv (pydantic 1), for `secretary train --engine rasa`

$(RASA_STAMP): nlu/rasa-requirements.txt nlu/rasa-constraints.txt
	test -x $(RASA_VENV)/bin/python || $(PYTHON) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install --quiet --disable-pip-version-check -r nlu/rasa-requirements.txt -c nlu/rasa-constraints.txt
	$(RASA_VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps --ignore-requires-python rasa==3.6.21 rasa-sdk==3.6.2
	touch $@

tts: $(TTS_STAMP)        ## Coqui TTS in its own venv, for SECRETARY_TTS_MODEL (see voice/tts-requirements.txt)

$(TTS_STAMP): voice/tts-requirements.txt
	test -x $(TTS_VENV)/bin/python || $(PYTHON) -m venv $(TTS_VENV)
	$(TTS_VENV)/bin/pip install --quiet --disable-pip-version-check -r voice/tts-requirements.txt
	touch $@

clean:
	rm -rf $(VENV) $(RASA_VENV) $(TTS_VENV) .pytest_cache
