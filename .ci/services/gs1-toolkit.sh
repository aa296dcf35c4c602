# GS1's own Digital Link toolkit (GS1DigitalLinkCompressionPrototype, inside the npm package
# digital-link.js, pinned by package-lock.json): the independent implementation that
# tests/traceability/test_dl_compression.py compares the resolver's decompression with.
# Sourced by .ci/run (set -euo pipefail, repo root).
if ! command -v npm >/dev/null 2>&1; then
  echo "==> apt-get install nodejs npm"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
fi
npm ci --prefix tests/traceability/gs1-toolkit --no-audit --no-fund --cache "$CI_CACHE/npm" \
  >/dev/null
export GS1_TOOLKIT_DIR="$ROOT/tests/traceability/gs1-toolkit"
