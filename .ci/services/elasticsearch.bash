# Sourced by search.sh and search-cluster.sh (either may run first): Java, the Elasticsearch
# integ-test zip in $CI_CACHE (checked by SHA-1) and the service user. Runs once per CI run.
[ -n "${ES_ZIP_READY:-}" ] && return 0

ES_VERSION=8.19.21
ES_SHA1=8861771bbfe2fab12ccc386bc8b4c5c6f9619865
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
ES_ZIP_READY=yes
