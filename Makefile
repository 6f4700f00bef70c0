# The two commands of the README:
#   make map   - set up on a fresh machine and build output/siberian_intervention.html
#   make test  - set up everything (Python packages, Debian's chromium) and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
BASE   := $(VENV)/.installed-base
TESTS  := $(VENV)/.installed-test

.PHONY: map test setup setup-test chromium bench basemap gazetteer screenshot wheel clean

map: $(BASE)
	$(BIN)/siberia-map build

test: $(TESTS) chromium
	$(BIN)/pytest

setup: $(BASE)
setup-test: $(TESTS)

$(BASE): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The test extra pulls the animate extra too: `make test` installs everything.
$(TESTS): pyproject.toml $(BASE)
	$(BIN)/python -m pip install --quiet -e '.[test,animate]'
	touch $@

# The wheel (with the data set inside) in dist/: pip install dist/siberia_map-*.whl anywhere.
wheel: $(BASE)
	$(BIN)/python -m pip wheel --no-deps -w dist .

# Playwright's own browser download does not work offline; the tests drive Debian's.
chromium:
	@bash scripts/install-chromium.sh

bench: $(TESTS) chromium
	$(BIN)/python benchmarks/run.py

# Regenerate the derived data (needs the package registries; outputs are committed).
basemap: $(BASE)
	$(BIN)/python scripts/make_basemap.py

gazetteer: $(BASE)
	$(BIN)/python scripts/make_gazetteer.py

screenshot: $(TESTS) chromium
	$(BIN)/python scripts/screenshot.py
	$(BIN)/python scripts/animate_still.py

clean:
	rm -rf $(VENV) output/*.html
