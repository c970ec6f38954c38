#!/usr/bin/env bash
# `make bench`: start the real PostgreSQL and Kafka, run every benchmark in bench/, print the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/testenv/testenv.sh up
trap 'scripts/testenv/testenv.sh down' EXIT
# shellcheck disable=SC1091
source .testenv/env
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
for bench in bench/*.py; do
  [ "$(basename "${bench}")" = "bare_app.py" ] && continue  # the REST benchmark's baseline app, not a benchmark
  echo "== ${bench}"
  .venv/bin/python "${bench}"
done
