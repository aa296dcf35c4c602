#!/bin/sh
# docker compose: a streaming replica. On an empty volume, copy the primary (pg_basebackup -R
# writes the standby settings), then run as a hot standby that follows it.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h db -U replicator -D "$PGDATA" \
    -R -X stream -c fast; do
    echo "waiting for the primary"; sleep 2
  done
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
