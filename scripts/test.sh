#!/usr/bin/env bash
# `make test`: start a real PostgreSQL and a real Kafka broker, run the linters and pytest, stop both.
# pytest's exit code 5 ("no tests collected") fails the run: collecting nothing means something broke.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/testenv/testenv.sh up
trap 'scripts/testenv/testenv.sh down' EXIT
# shellcheck disable=SC1091
source .testenv/env

echo "[test] lint: ruff, import-linter, mypy" >&2
make --no-print-directory lint

echo "[test] pytest (unit + integration, real PostgreSQL and Kafka)" >&2
export CARBON_REQUIRE_INTEGRATION=1
set +e
.venv/bin/python -m pytest -p no:cacheprovider "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "[test] pytest collected no tests: failing" >&2
  exit 1
fi
exit "$status"
