# stripe-mock for the Stripe tests: built from the Go module proxy, served on 127.0.0.1.
# Sourced by .ci/run (bash, set -euo pipefail, cwd = repo root); exports STRIPE_API_BASE.
STRIPE_MOCK_VERSION=v0.203.0  # its spec is API version 2026-08-26.dahlia (settings pin it)
STRIPE_MOCK_PORT=${STRIPE_MOCK_PORT:-12111}
STRIPE_MOCK_DIR="$CI_CACHE/stripe-mock"
STRIPE_MOCK_BIN="$STRIPE_MOCK_DIR/bin/stripe-mock-$STRIPE_MOCK_VERSION"

if [ ! -x "$STRIPE_MOCK_BIN" ]; then
  command -v go >/dev/null || { echo "stripe-mock: Go is not installed" >&2; return 1; }
  echo "building stripe-mock $STRIPE_MOCK_VERSION"
  GOPATH="$STRIPE_MOCK_DIR/go" GOMODCACHE="$STRIPE_MOCK_DIR/go/pkg/mod" GOFLAGS=-modcacherw \
    GOBIN="$STRIPE_MOCK_DIR/bin" go install "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION"
  mv "$STRIPE_MOCK_DIR/bin/stripe-mock" "$STRIPE_MOCK_BIN"
fi

# With only -http-addr, stripe-mock v0.203.0 also opens HTTPS on *:12112; pin that to loopback
# on a port the system picks (the tests use plain HTTP).
"$STRIPE_MOCK_BIN" -http-addr "127.0.0.1:$STRIPE_MOCK_PORT" -https-addr "127.0.0.1:" \
  >"$STRIPE_MOCK_DIR/server.log" 2>&1 &
STRIPE_MOCK_PID=$!
CLEANUP+=("kill $STRIPE_MOCK_PID")

stripe_mock_up() { (exec 3<>"/dev/tcp/127.0.0.1/$STRIPE_MOCK_PORT") 2>/dev/null; }
for _ in $(seq 1 60); do
  stripe_mock_up && break
  if ! kill -0 "$STRIPE_MOCK_PID" 2>/dev/null; then
    echo "stripe-mock exited:" >&2; cat "$STRIPE_MOCK_DIR/server.log" >&2; return 1
  fi
  sleep 0.5
done
stripe_mock_up \
  || { echo "stripe-mock did not answer on 127.0.0.1:$STRIPE_MOCK_PORT within 30 s" >&2; return 1; }
export STRIPE_API_BASE="http://127.0.0.1:$STRIPE_MOCK_PORT"
echo "stripe-mock $STRIPE_MOCK_VERSION on $STRIPE_API_BASE"
