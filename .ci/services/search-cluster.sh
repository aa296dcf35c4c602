# Sourced by .ci/run: a two-node Elasticsearch cluster for the node-failure test
# (tests/marketplace/search/test_engine_cluster.py), beside search.sh's single node.
#
# Same cached integ-test zip (elasticsearch.bash), one home per node on loopback, other ports,
# -Xmx512m each. The test indexes the sample catalogue with one replica per shard, kills one node
# mid-run and checks every search still answers from the engine; it restarts the node with
# $SEARCH_CLUSTER_START N afterwards. Exports SEARCH_CLUSTER_URLS (both nodes, comma-separated,
# as SEARCH_URL takes them) and SEARCH_CLUSTER_START.

# shellcheck source=/dev/null
source .ci/services/elasticsearch.bash || return 1
ES_PAIR_HTTP=${ES_PAIR_HTTP:-59210}       # node N answers on ES_PAIR_HTTP + N
ES_PAIR_TRANSPORT=${ES_PAIR_TRANSPORT:-59310}
ES_PAIR_DIR=$(mktemp -d /tmp/ocop-ci-es-pair.XXXXXX)
for n in 1 2; do
  mkdir -p "$ES_PAIR_DIR/n$n"
  unzip -q "$ES_ZIP" -d "$ES_PAIR_DIR/n$n"
  es_install_plugin "$ES_PAIR_DIR/n$n/elasticsearch-$ES_VERSION"
  mkdir -p "$ES_PAIR_DIR/n$n/data" "$ES_PAIR_DIR/n$n/logs" "$ES_PAIR_DIR/n$n/tmp"
done
chown -R "$ES_USER" "$ES_PAIR_DIR"
chmod 755 "$ES_PAIR_DIR"

# One command starts node N (the test calls it again to bring a killed node back).
cat >"$ES_PAIR_DIR/start-node" <<SCRIPT
#!/usr/bin/env bash
set -euo pipefail
n=\$1
home=$ES_PAIR_DIR/n\$n
exec runuser -u $ES_USER -- env \\
  ES_JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")" \\
  ES_JAVA_OPTS="-Xms256m -Xmx512m" ES_TMPDIR="\$home/tmp" \\
  "\$home/elasticsearch-$ES_VERSION/bin/elasticsearch" -d -p "\$home/es.pid" \\
  -Ecluster.name=ocop-ci-pair -Enode.name="n\$n" -Enetwork.host=127.0.0.1 \\
  -Ehttp.port=\$(($ES_PAIR_HTTP + n)) -Etransport.port=\$(($ES_PAIR_TRANSPORT + n)) \\
  -Ediscovery.seed_hosts=127.0.0.1:$((ES_PAIR_TRANSPORT + 1)),127.0.0.1:$((ES_PAIR_TRANSPORT + 2)) \\
  -Ecluster.initial_master_nodes=n1,n2 \\
  -Expack.security.enabled=false -Expack.ml.enabled=false \\
  -Epath.data="\$home/data" -Epath.logs="\$home/logs" \\
  -Ecluster.routing.allocation.disk.threshold_enabled=false \\
  >"\$home/start.log" 2>&1
SCRIPT
chmod 755 "$ES_PAIR_DIR/start-node"

echo "starting a two-node Elasticsearch cluster on 127.0.0.1:$((ES_PAIR_HTTP + 1)),$((ES_PAIR_HTTP + 2))"
es_starters=()
for n in 1 2; do
  "$ES_PAIR_DIR/start-node" "$n" &
  es_starters+=($!)
done
# Only these two: a bare `wait` would also wait for servers other scripts run in the background
# (s3.sh's), forever.
wait "${es_starters[@]}" || true
for n in 1 2; do
  CLEANUP+=("es_pid=\$(cat $ES_PAIR_DIR/n$n/es.pid 2>/dev/null) && kill \$es_pid && for _ in \$(seq 100); do kill -0 \$es_pid 2>/dev/null || break; sleep 0.2; done")
done
CLEANUP+=("rm -rf $ES_PAIR_DIR")

es_pair_ready=""
for _ in $(seq 120); do
  if curl -fs "http://127.0.0.1:$((ES_PAIR_HTTP + 1))/_cluster/health?wait_for_nodes=2&wait_for_status=green&timeout=1s" \
    >/dev/null 2>&1; then
    es_pair_ready=yes
    break
  fi
  sleep 1
done
if [ -z "$es_pair_ready" ]; then
  tail -n 30 "$ES_PAIR_DIR"/n*/logs/*.log "$ES_PAIR_DIR"/n*/start.log >&2 2>/dev/null || true
  echo "the two-node cluster did not form within 120 tries" >&2
  return 1
fi
export SEARCH_CLUSTER_URLS="http://127.0.0.1:$((ES_PAIR_HTTP + 1)),http://127.0.0.1:$((ES_PAIR_HTTP + 2))"
export SEARCH_CLUSTER_START="$ES_PAIR_DIR/start-node"
echo "two-node Elasticsearch cluster ready at $SEARCH_CLUSTER_URLS"
