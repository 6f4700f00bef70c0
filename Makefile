# The two commands of the README:
#   make map   - set up on a fresh machine and build output/siberian_intervention.html
#   make test  - set up everything (Python packages, Debian's chromium) and run every test
# and for development:
#   make check - the quick tier: every test that drives no browser and is not marked slow
#   make lint  - ruff (Python) and ESLint (src/siberia_map/static/*.js, pinned in package-lock.json)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
BASE   := $(VENV)/.installed-base
TESTS  := $(VENV)/.installed-test
ESLINT := node_modules/.bin/eslint

.PHONY: map test check lint lint-fix setup setup-test chromium bench basemap gazetteer screenshot wheel bench-million \
	clean

map: $(BASE)
	$(BIN)/siberia-map build

# One worker per core (pytest-xdist): each has its own Chromium and builds its own maps.
# Whole modules go to one worker (loadscope), so a module's shared pages, builds, wheel and
# virtual environment are set up once, not once on each worker.
test: $(TESTS) chromium
	$(BIN)/pytest -n auto --dist loadscope

check: $(TESTS)
	$(BIN)/pytest -m "not browser and not slow" -q

lint: $(TESTS) $(ESLINT)
	$(BIN)/ruff check src tests scripts benchmarks
	$(ESLINT) src/siberia_map/static

# The automatic fixes of both linters (ESLint's turn var into let/const).
lint-fix: $(TESTS) $(ESLINT)
	$(BIN)/ruff check --fix src tests scripts benchmarks
	$(ESLINT) --fix src/siberia_map/static

# ESLint exactly as package-lock.json pins it, from the npm registry, into node_modules/.
$(ESLINT): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

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

# A million events, ours only (synth, build, the page in Chromium): long, so a run of its own.
bench-million: $(TESTS) chromium
	$(BIN)/python benchmarks/run.py --million --sizes 10000 --no-default-map

# Regenerate the derived data (needs the package registries; outputs are committed).
basemap: $(BASE)
	$(BIN)/python scripts/make_basemap.py

gazetteer: $(BASE)
	$(BIN)/python scripts/make_gazetteer.py

screenshot: $(TESTS) chromium
	$(BIN)/python scripts/screenshot.py
	$(BIN)/python scripts/animate_still.py

clean:
	rm -rf $(VENV) node_modules output/*.html
