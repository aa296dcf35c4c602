# Chromium for the browser tests (tests/e2e): Debian's build, driven by the Python playwright
# package (installed by `make test` from pyproject.toml). Never `playwright install`: no browser
# downloads are possible, and none are needed. Sourced by .ci/run (set -euo pipefail, repo root).
if ! command -v chromium >/dev/null 2>&1; then
  echo "==> apt-get install chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium fonts-dejavu-core
fi
if ! timeout 60 chromium --headless --no-sandbox --disable-gpu --dump-dom about:blank \
  >/dev/null 2>&1; then
  echo "chromium is installed but does not start headless" >&2
  return 1
fi
export CHROMIUM_PATH=/usr/bin/chromium
