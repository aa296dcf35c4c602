#!/usr/bin/env bash
# `make bench-load`: PostgreSQL primary + streaming replica and Redis the way CI starts them,
# then bench/load (two gunicorn nodes behind Debian's nginx, a Celery worker, the load driver).
# Needs root (PostgreSQL runs as the postgres user; nginx and redis come from Debian).
# BENCH_LOAD_SECONDS (60 per phase), BENCH_LOAD_SHOPPERS, BENCH_LOAD_PRODUCTS tune it.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI_CACHE="${CI_CACHE:-/var/cache/ocop-ci}"
# shellcheck source=/dev/null
source .ci/lib.sh
apt_install nginx redis-server
PG_PORT=${BENCH_PG_PORT:-55630}
REPLICA_PORT=$((PG_PORT + 1))
# shellcheck source=/dev/null
source .ci/postgres.sh
# shellcheck source=/dev/null
source .ci/services/replica.sh
REDIS_URL=""
if [ -e .ci/services/redis.sh ]; then
  REDIS_PORT=${BENCH_REDIS_PORT:-56390}
  # shellcheck source=/dev/null
  source .ci/services/redis.sh
fi
.venv/bin/python -m bench.load --primary "postgres://ocop:ocop@127.0.0.1:$PG_PORT/ocop" \
  --replica "$CI_REPLICA_URL" --redis "$REDIS_URL" "$@"
