# Two commands matter: `make run` and `make test`. Everything else is a step they take.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
QM     := $(patsubst %.ts,%.qm,$(wildcard resources/translations/*.ts))

.PHONY: run test lint bench screenshots translations translations-update clean

run: $(STAMP) translations
	$(BIN)/gxcare

test: $(STAMP) translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

translations: $(STAMP) $(QM)

resources/translations/%.qm: resources/translations/%.ts
	$(BIN)/pyside6-lrelease -silent $< -qm $@

# Collect tr()/translate()/QT_TRANSLATE_NOOP strings from ui/ into the .ts (translations are kept).
translations-update: $(STAMP)
	$(BIN)/pyside6-lupdate -extensions py -no-obsolete -locations relative -source-language en -target-language zh_CN \
		src/gxcare_desktop/ui -ts resources/translations/gxcare_zh_CN.ts

lint: $(STAMP)
	$(BIN)/ruff check src sync_server tests bench

bench: $(STAMP)
	$(BIN)/python bench/ledger.py

screenshots: $(STAMP) translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m gxcare_desktop.ui.screenshots docs/screenshots

clean:
	rm -rf $(VENV) build dist *.egg-info resources/translations/*.qm
