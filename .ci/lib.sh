# Shared by .ci/run and bench/load.sh (sourced; bash, set -euo pipefail): logging, Debian
# packages installed when missing, and the stop commands every service appends to CLEANUP.

log() { printf '\n==> %s\n' "$*"; }

apt_install() {
  # Debian packages, installed only when missing (a second run is fast).
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if ((${#missing[@]})); then
    log "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

as_postgres() { runuser -u postgres -- "$@"; }

# Each service script appends the commands that stop what it started (run in that order).
CLEANUP=()
stop_services() {
  for command in "${CLEANUP[@]}"; do eval "$command" >/dev/null 2>&1 || true; done
}
trap stop_services EXIT
