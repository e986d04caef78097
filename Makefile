# The two commands of the README's quick start: `make serve` and `make test`.
# Both create .venv and install what they need on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve test build check clean

$(BIN)/signpost: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

serve: $(BIN)/signpost
	$(BIN)/signpost serve .

build: $(BIN)/signpost
	$(BIN)/signpost build .

check: $(BIN)/signpost
	$(BIN)/signpost check .

test: $(BIN)/signpost
	$(BIN)/python -m pytest -q

clean:
	rm -rf output .pytest_cache
