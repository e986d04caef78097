# The two commands of the README's quick start: `make serve` and `make test`.
# Both create .venv and install what they need on first use; `make serve PORT=8001` picks the port.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: serve test build check clean messages

$(BIN)/signpost: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

serve: $(BIN)/signpost
	$(BIN)/signpost serve . --port $(PORT)

build: $(BIN)/signpost
	$(BIN)/signpost build .

check: $(BIN)/signpost
	$(BIN)/signpost check .

test: $(BIN)/signpost
	$(BIN)/python -m pytest -q

# Extract every interface string (babel.cfg) and add new ones, untranslated, to each catalogue.
messages: $(BIN)/signpost
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k t -k tn:1,2 --no-location --sort-output -o locales/messages.pot .
	for po in locales/*/LC_MESSAGES/messages.po; do \
	  lang=$${po#locales/}; lang=$${lang%%/*}; \
	  $(BIN)/pybabel update -i locales/messages.pot -d locales -l $$lang --no-fuzzy-matching --width 100; done

clean:
	rm -rf output .pytest_cache
