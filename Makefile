# Two commands: `make run` serves the register with demo data, `make test` runs every check.
# Both set up what they need on a fresh machine and reuse it afterwards.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app register
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test setup assets db lint audit clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

static/dist/register.css: node_modules/.installed static/scss/register.scss static/scss/_register-components.scss static/scss/_print.scss static/scss/_api-tokens.scss
	mkdir -p static/dist/assets
	npx sass --load-path=node_modules --style=compressed --no-source-map static/scss/register.scss $@
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/dist/
	cp -r node_modules/govuk-frontend/dist/govuk/assets/images static/dist/assets/

assets: static/dist/register.css

setup: $(VENV)/.installed assets

db: setup
	REGISTER_ENV=development $(FLASK) db upgrade
	REGISTER_ENV=development $(FLASK) demo load --if-empty

run: db
	@echo "Serving the register on http://$(HOST):$(PORT)"
	REGISTER_ENV=development $(FLASK) run --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

# Checks every installed dependency against the Python Packaging Advisory
# Database and fails on a known vulnerability. The project itself is skipped.
audit: setup
	$(BIN)/pip-audit --skip-editable --progress-spinner off

clean:
	rm -rf $(VENV) node_modules static/dist

# The performance benchmark; see benchmarks/README.md. BENCH_ARGS passes options,
# for example BENCH_ARGS="--sizes 1000,10000 --load-seconds 0".
bench: setup
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)
