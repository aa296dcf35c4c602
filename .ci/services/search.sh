# Sourced by .ci/run: a real Elasticsearch node for the search backend's tests.
#
# Elasticsearch 8.19.21, the newest 8.x on Maven Central as the integ-test zip
# (org.elasticsearch.distribution.integ-test-zip:elasticsearch). It bundles no JDK; 8.x runs on
# Java 17, which Debian ships. Single node, security off, loopback only, small heap, as a system
# user (Elasticsearch refuses root). The zip is cached in $CI_CACHE and checked by SHA-1.
# Exports SEARCH_URL; the tests pick the engine backend themselves.

ES_PORT=${ES_PORT:-59200}
# shellcheck source=/dev/null
source .ci/services/elasticsearch.bash || return 1

# A fresh home per run under /tmp, owned by the service user (the repository may sit in a
# folder that user cannot enter).
ES_DIR=$(mktemp -d /tmp/ocop-ci-es.XXXXXX)
unzip -q "$ES_ZIP" -d "$ES_DIR"
ES_HOME="$ES_DIR/elasticsearch-$ES_VERSION"
es_install_plugin "$ES_HOME"
mkdir -p "$ES_DIR/data" "$ES_DIR/logs" "$ES_DIR/tmp"
chown -R "$ES_USER" "$ES_DIR"
chmod 755 "$ES_DIR"

echo "starting Elasticsearch $ES_VERSION on 127.0.0.1:$ES_PORT"
runuser -u "$ES_USER" -- env \
  ES_JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")" \
  ES_JAVA_OPTS="-Xms256m -Xmx512m" ES_TMPDIR="$ES_DIR/tmp" \
  "$ES_HOME/bin/elasticsearch" -d -p "$ES_DIR/es.pid" \
  -Ediscovery.type=single-node -Expack.security.enabled=false \
  -Expack.ml.enabled=false -Enetwork.host=127.0.0.1 -Ehttp.port="$ES_PORT" \
  -Epath.data="$ES_DIR/data" -Epath.logs="$ES_DIR/logs" \
  -Ecluster.routing.allocation.disk.threshold_enabled=false \
  >"$ES_DIR/start.log" 2>&1 \
  || { cat "$ES_DIR/start.log" >&2; echo "Elasticsearch did not start" >&2; return 1; }
CLEANUP+=("es_pid=\$(cat $ES_DIR/es.pid 2>/dev/null) && kill \$es_pid && for _ in \$(seq 100); do kill -0 \$es_pid 2>/dev/null || break; sleep 0.2; done" "rm -rf $ES_DIR")

es_ready=""
for _ in $(seq 90); do
  if curl -fs "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=1s" \
    >/dev/null 2>&1; then
    es_ready=yes
    break
  fi
  sleep 1
done
if [ -z "$es_ready" ]; then
  tail -n 40 "$ES_DIR/logs/"*.log >&2 2>/dev/null || true
  echo "Elasticsearch did not turn yellow on 127.0.0.1:$ES_PORT after 90 tries" >&2
  return 1
fi
export SEARCH_URL="http://127.0.0.1:$ES_PORT"
echo "Elasticsearch $ES_VERSION ready at $SEARCH_URL"
