#!/usr/bin/env bash
# `make bench-engine`: start the same Elasticsearch node CI uses, then run the search benchmark
# for both backends (database and engine). Needs root (it creates the engine's system user).
set -euo pipefail
cd "$(dirname "$0")/.."
export CI_CACHE="${CI_CACHE:-/var/cache/ocop-ci}"
CLEANUP=()
trap 'for c in "${CLEANUP[@]}"; do eval "$c" >/dev/null 2>&1 || true; done' EXIT
# shellcheck source=/dev/null
source .ci/services/search.sh
.venv/bin/python -m bench search
