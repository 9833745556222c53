#!/usr/bin/env bash
# Runs one benchmark, or all of them, from a fresh clone: builds kiln when needed; each bench
# installs what it compares against (tsx/ts-node/typescript with npm into bench/.work, Flask-
# Migrate/Alembic with apt when available, loudly skipped otherwise).
#
#   bash bench/run.sh startup|apply|check|rebuild|scaling|roundtrip|graph|pull|online|all   (roundtrip and online are not in all: minutes on MariaDB; online needs the servers)
#   bash scripts/test-servers.sh -- bash bench/run.sh check     # + PostgreSQL and MariaDB rows
#
# Tables are printed and saved in bench/.work/results/<name>.md (docs/benchmarks.md quotes them).
# BENCH_RUNS=N (default 5) runs per command after BENCH_WARMUP=N (default 1) warm-up runs.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d node_modules ]] || npm ci
[[ -f dist/main.js && -f oclif.manifest.json ]] || npm run build
name="${1:-all}"
case "$name" in
  all)
    for b in startup apply check rebuild scaling graph pull; do node "bench/$b.js"; done
    echo
    echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, node $(node -v), $(uname -sr)"
    ;;
  startup | apply | check | rebuild | scaling | roundtrip | graph | pull | online) node "bench/$name.js" "${@:2}" ;;
  *)
    echo "usage: bash bench/run.sh startup|apply|check|rebuild|scaling|roundtrip|graph|pull|online|all" >&2
    exit 2
    ;;
esac
