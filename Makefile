# The two commands of README.md: `make run` (embedded, no servers) and `make test` (real PostgreSQL + Kafka).
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON_PREFERENCE := only-system
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
UV_VERSION := 0.9.30

.PHONY: install run test lint bench testenv-up testenv-down clean

install: .venv/.installed

.venv/.installed: uv.lock pyproject.toml shared/pyproject.toml $(wildcard services/*/pyproject.toml)
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	@$(UV) sync --frozen --all-packages
	@touch $@

run: install  ## all five services on ports 8001-8005, SQLite files and the embedded bus under .data/
	@.venv/bin/python scripts/run_local.py

test: install  ## lint, then unit + integration tests against a real PostgreSQL and a real Kafka (KRaft)
	@scripts/test.sh

lint: install
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/lint-imports
	@.venv/bin/mypy shared/carbon_shared services/*/carbon_*

bench: install
	@scripts/bench.sh

testenv-up:
	@scripts/testenv/testenv.sh up

testenv-down:
	@scripts/testenv/testenv.sh down

clean:
	rm -rf .data .testenv
