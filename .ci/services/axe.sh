# axe-core (npm, pinned by tests/e2e/axe/package-lock.json): the accessibility engine that
# tests/e2e/test_accessibility.py injects into the storefront pages. Sourced by .ci/run
# (set -euo pipefail, repo root); npm comes from gs1-toolkit.sh or is installed here.
if ! command -v npm >/dev/null 2>&1; then
  echo "==> apt-get install nodejs npm"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
fi
npm ci --prefix tests/e2e/axe --no-audit --no-fund --cache "$CI_CACHE/npm" >/dev/null
export AXE_CORE_JS="$ROOT/tests/e2e/axe/node_modules/axe-core/axe.min.js"
