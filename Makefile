# THB. `make run` sets up and serves the demo; `make test` sets up and runs the tests.
# Needs only Python 3.11+, git and make: uv is installed into .tools/ from PyPI and
# installs the locked dependencies (uv.lock) into .venv/.
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
THB := .venv/bin/thb
PYTEST_ARGS ?=

.PHONY: run test setup lint typecheck migrations-check messages clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode is compiled at install time (and the project's below): where the environment
# sets PYTHONDONTWRITEBYTECODE, every process would otherwise compile ~1 000 modules.
.venv/.synced: pyproject.toml uv.lock Makefile | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $@

setup: .venv/.synced
	.venv/bin/python -m compileall -q thb
	.venv/bin/python -m thb.lib.i18n_compile
	$(THB) migrate --no-input -v 0

run: setup
	$(THB) demo
	$(THB) serve

# pytest may write bytecode even where the environment sets PYTHONDONTWRITEBYTECODE: it
# caches its assertion rewriting of the ~330 test modules there, which each xdist
# worker would otherwise redo (half a minute) on every run.
test: .venv/.synced
	.venv/bin/python -m compileall -q thb
	.venv/bin/python -m thb.lib.i18n_compile
	env -u PYTHONDONTWRITEBYTECODE .venv/bin/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: .venv/.synced
	.venv/bin/mypy thb

migrations-check: .venv/.synced
	$(THB) makemigrations --check --dry-run

messages: .venv/.synced
	$(THB) makemessages -l lv --ignore=.venv --ignore=.tools --ignore=var --ignore=benchmarks

clean:
	rm -rf .venv .tools var
