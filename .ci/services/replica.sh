# A PostgreSQL streaming replica of the CI primary, for the read-replica tests and the
# scaled-out pass. Sourced by .ci/run and bench/load.sh (bash, set -euo pipefail) after
# .ci/postgres.sh started the primary: uses PG_BIN, PG_PORT, as_postgres and CLEANUP.
# Exports CI_REPLICA_URL (not DATABASE_REPLICA_URLS: only the scaled-out pass reads through it).
REPLICA_PORT=${REPLICA_PORT:-$((PG_PORT + 1))}
REPLICA_DIR=$(mktemp -d /tmp/ocop-ci-pg-replica.XXXXXX)
chown postgres:postgres "$REPLICA_DIR"

# initdb's pg_hba.conf lets local connections replicate; -R writes primary_conninfo and
# standby.signal, so the copy starts as a hot standby that follows the primary's WAL.
as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$REPLICA_DIR/data" \
  -R -X stream --checkpoint=fast
# The primary's max_connections came from its command line, and a standby may not allow fewer.
as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR/data" -l "$REPLICA_DIR/server.log" -w start -o \
  "-c listen_addresses=127.0.0.1 -p $REPLICA_PORT -k $REPLICA_DIR -c cluster_name=ocop_replica -c fsync=off -c max_connections=200 -c hot_standby_feedback=on"
CLEANUP+=("as_postgres $PG_BIN/pg_ctl -D $REPLICA_DIR/data -m immediate stop" "rm -rf $REPLICA_DIR")

# A synchronous standby: sessions that ask for synchronous_commit=remote_apply (the scaled-out
# pass does) return from COMMIT once the replica shows the row; the primary's own default
# (synchronous_commit=off) still waits for nothing.
as_postgres "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -v ON_ERROR_STOP=1 \
  -c "ALTER SYSTEM SET synchronous_standby_names = 'ocop_replica'" -c "SELECT pg_reload_conf()" \
  >/dev/null
for _ in $(seq 1 60); do
  state=$(as_postgres "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -Atc \
    "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'ocop_replica'")
  [ "$state" = sync ] && break
  sleep 0.5
done
[ "$state" = sync ] || { echo "replica did not become a synchronous standby" >&2; return 1; }
in_recovery=$(as_postgres "$PG_BIN/psql" -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -Atc \
  "SELECT pg_is_in_recovery()")
[ "$in_recovery" = t ] || { echo "127.0.0.1:$REPLICA_PORT is not a standby" >&2; return 1; }
export CI_REPLICA_URL="postgres://ocop:ocop@127.0.0.1:$REPLICA_PORT/ocop"
echo "PostgreSQL streaming replica on 127.0.0.1:$REPLICA_PORT (synchronous standby ocop_replica)"
