# A throw-away PostgreSQL primary on 127.0.0.1:$PG_PORT (role and database ocop/ocop), fast
# rather than durable. Sourced after .ci/lib.sh; sets PG_BIN and PG_DIR for the services
# (.ci/services/replica.sh follows it).
apt_install postgresql postgresql-contrib
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PG_PORT=${PG_PORT:-55432}
PG_DIR=$(mktemp -d /tmp/ocop-ci-pg.XXXXXX)
chown postgres:postgres "$PG_DIR"
CLEANUP+=("as_postgres $PG_BIN/pg_ctl -D $PG_DIR/data -m immediate stop" "rm -rf $PG_DIR")

log "starting PostgreSQL ($PG_BIN) on 127.0.0.1:$PG_PORT"
as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w start -o \
  "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
as_postgres "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE ocop LOGIN SUPERUSER PASSWORD 'ocop'" -c "CREATE DATABASE ocop OWNER ocop"
