# Sourced by .ci/run: a real Elasticsearch node for the search backend's tests.
#
# Elasticsearch 8.19.21, the newest 8.x on Maven Central as the integ-test zip
# (org.elasticsearch.distribution.integ-test-zip:elasticsearch). It bundles no JDK; 8.x runs on
# Java 17, which Debian ships. Single node, security off, loopback only, small heap, as a system
# user (Elasticsearch refuses root). The zip is cached in $CI_CACHE and checked by SHA-1.
# Exports SEARCH_URL; the tests pick the engine backend themselves.

ES_VERSION=8.19.21
ES_SHA1=8861771bbfe2fab12ccc386bc8b4c5c6f9619865
ES_PORT=${ES_PORT:-59200}
ES_USER=ocop-search
ES_ZIP="$CI_CACHE/elasticsearch-$ES_VERSION.zip"
ES_URL="https://repo1.maven.org/maven2/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"

es_missing=()
command -v java >/dev/null 2>&1 || es_missing+=(openjdk-17-jre-headless)
command -v unzip >/dev/null 2>&1 || es_missing+=(unzip)
command -v curl >/dev/null 2>&1 || es_missing+=(curl)
if ((${#es_missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${es_missing[@]}"
fi
id -u "$ES_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"

mkdir -p "$CI_CACHE"
if [ ! -f "$ES_ZIP" ] || ! echo "$ES_SHA1  $ES_ZIP" | sha1sum --check --status; then
  echo "downloading Elasticsearch $ES_VERSION from Maven Central"
  curl -fsSL --retry 3 -o "$ES_ZIP.part" "$ES_URL"
  echo "$ES_SHA1  $ES_ZIP.part" | sha1sum --check --status \
    || { echo "Elasticsearch zip: SHA-1 mismatch" >&2; rm -f "$ES_ZIP.part"; return 1; }
  mv "$ES_ZIP.part" "$ES_ZIP"
fi

# A fresh home per run under /tmp, owned by the service user (the repository may sit in a
# folder that user cannot enter).
ES_DIR=$(mktemp -d /tmp/ocop-ci-es.XXXXXX)
unzip -q "$ES_ZIP" -d "$ES_DIR"
ES_HOME="$ES_DIR/elasticsearch-$ES_VERSION"
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
