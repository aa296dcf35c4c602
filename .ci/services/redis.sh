# Sourced by .ci/run: Debian's redis-server for the shared cache, the rate limits and Celery's
# broker. A fresh data folder per run under /tmp, loopback only, no persistence (the tests need
# none), 64 databases so that each pytest-xdist worker gets one of its own (tests/conftest.py).
# Exports REDIS_URL; the Celery worker tests start their own worker processes against it.
REDIS_PORT=${REDIS_PORT:-56379}

command -v redis-server >/dev/null 2>&1 || {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server
}

REDIS_DIR=$(mktemp -d /tmp/ocop-ci-redis.XXXXXX)
echo "starting $(redis-server --version | cut -d' ' -f1-3) on 127.0.0.1:$REDIS_PORT"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --save '' \
  --appendonly no --databases 64 --daemonize yes --pidfile "$REDIS_DIR/redis.pid" \
  --logfile "$REDIS_DIR/redis.log"
CLEANUP+=("redis-cli -p $REDIS_PORT shutdown nosave" "rm -rf $REDIS_DIR")

for _ in $(seq 1 50); do
  [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && break
  sleep 0.2
done
[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] \
  || { echo "redis did not answer on 127.0.0.1:$REDIS_PORT within 10 s" >&2; cat "$REDIS_DIR/redis.log" >&2; return 1; }
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
echo "redis on $REDIS_URL"
