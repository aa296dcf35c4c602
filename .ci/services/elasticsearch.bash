# Sourced by search.sh and search-cluster.sh (either may run first): Java, the Elasticsearch
# integ-test zip in $CI_CACHE (checked by SHA-1) and the service user. Runs once per CI run.
[ -n "${ES_ZIP_READY:-}" ] && return 0

ES_VERSION=8.19.21
ES_SHA1=8861771bbfe2fab12ccc386bc8b4c5c6f9619865
ES_USER=ocop-search
ES_ZIP="$CI_CACHE/elasticsearch-$ES_VERSION.zip"
ES_URL="https://repo1.maven.org/maven2/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"

es_missing=()
command -v javac >/dev/null 2>&1 || es_missing+=(openjdk-17-jdk-headless)
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

# The integ-test zip leaves out the analysis-common module, which holds the "whitespace"
# tokenizer and the "synonym_graph" filter the search index settings name. es-synonym-graph/
# gives the node both, as Lucene's own classes behind the stable plugin API; compiled here
# against the zip's own jars (javac, no download), once per source and version.
ES_PLUGIN_SRC=.ci/services/es-synonym-graph
ES_PLUGIN_KEY=$(cat "$ES_PLUGIN_SRC"/* | sha256sum | cut -c1-16)
ES_PLUGIN_ZIP="$CI_CACHE/ocop-synonym-graph-$ES_VERSION-$ES_PLUGIN_KEY.zip"
if [ ! -f "$ES_PLUGIN_ZIP" ]; then
  es_build=$(mktemp -d /tmp/ocop-ci-es-plugin.XXXXXX)
  unzip -q "$ES_ZIP" "elasticsearch-$ES_VERSION/lib/*" -d "$es_build"
  javac --release 17 -d "$es_build/classes" -cp "$es_build/elasticsearch-$ES_VERSION/lib/*" \
    "$ES_PLUGIN_SRC"/*.java
  (cd "$es_build/classes" && jar cf ../ocop-synonym-graph.jar .)
  es_meta=(stable-plugin-descriptor.properties named_components.json)
  (cd "$ES_PLUGIN_SRC" && cp "${es_meta[@]}" "$es_build/")
  (cd "$es_build" && zip -q plugin.zip ocop-synonym-graph.jar "${es_meta[@]}")
  mv "$es_build/plugin.zip" "$ES_PLUGIN_ZIP"
  rm -rf "$es_build"
fi

# Installs the plugin into an unpacked node ($1: its home), before the node first starts.
es_install_plugin() {
  ES_JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")" \
    "$1/bin/elasticsearch-plugin" install --batch --silent "file://$ES_PLUGIN_ZIP"
}
ES_ZIP_READY=yes
