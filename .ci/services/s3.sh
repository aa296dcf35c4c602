# Sourced by .ci/run: a real S3-compatible server for media (photos, thumbnails, evidence).
#
# SeaweedFS (Apache-2.0), not MinIO: MinIO's server is AGPL-3.0, a licence this project does not
# take in, and the Go module proxy has no tagged release of it to build. SeaweedFS's `weed`
# binary is built from the Go module proxy (its go.mod has replace directives, so `go install
# module@version` refuses it: the module is downloaded and built in place) and cached in
# $CI_CACHE by version. One process runs master, volume, filer and the S3 gateway on loopback,
# with one identity for the app and anonymous reads of the public bucket only.
# Exports MEDIA_S3_*; the suite then keeps its media in these buckets (tests/conftest.py).

SEAWEEDFS_MODULE=github.com/seaweedfs/seaweedfs
SEAWEEDFS_VERSION=v0.0.0-20261109003541-7506e5f91cd6  # 2026-11-09, the version the proxy serves
S3_PORT=${S3_PORT:-18333}
S3_DIR_CACHE="$CI_CACHE/seaweedfs"
WEED_BIN="$S3_DIR_CACHE/bin/weed-$SEAWEEDFS_VERSION"

if [ ! -x "$WEED_BIN" ]; then
  command -v go >/dev/null || { echo "s3: Go is not installed" >&2; return 1; }
  echo "building SeaweedFS $SEAWEEDFS_VERSION (a few minutes, once)"
  (
    export GOPATH="$S3_DIR_CACHE/go" GOMODCACHE="$S3_DIR_CACHE/go/pkg/mod" GOFLAGS=-modcacherw \
      GOCACHE="$S3_DIR_CACHE/gocache"
    source_dir=$(go mod download -json "$SEAWEEDFS_MODULE@$SEAWEEDFS_VERSION" \
      | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [ -d "$source_dir" ] || { echo "s3: go mod download gave no source folder" >&2; exit 1; }
    mkdir -p "$S3_DIR_CACHE/bin"
    cd "$source_dir" && go build -trimpath -o "$WEED_BIN.part" ./weed
  ) || return 1
  mv "$WEED_BIN.part" "$WEED_BIN"
fi

export MEDIA_S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
export MEDIA_S3_BUCKET=ocop-media MEDIA_S3_PRIVATE_BUCKET=ocop-private MEDIA_S3_REGION=us-east-1
export MEDIA_S3_ACCESS_KEY=ocop-ci MEDIA_S3_SECRET_KEY=ocop-ci-secret-key-for-loopback

S3_RUN_DIR=$(mktemp -d /tmp/ocop-ci-s3.XXXXXX)
mkdir -p "$S3_RUN_DIR/data"
cat >"$S3_RUN_DIR/s3.json" <<JSON
{"identities": [
  {"name": "ocop", "credentials": [{"accessKey": "$MEDIA_S3_ACCESS_KEY",
   "secretKey": "$MEDIA_S3_SECRET_KEY"}], "actions": ["Admin", "Read", "List", "Tagging", "Write"]},
  {"name": "anonymous", "actions": ["Read:$MEDIA_S3_BUCKET"]}
]}
JSON

# Every port on loopback and away from the defaults (a developer may run SeaweedFS already);
# gRPC ports are these + 10000.
"$WEED_BIN" server -dir="$S3_RUN_DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
  -master.port="${S3_MASTER_PORT:-19333}" -volume.port="${S3_VOLUME_PORT:-18080}" \
  -master.volumeSizeLimitMB=64 -volume.max=16 \
  -filer -filer.port="${S3_FILER_PORT:-18888}" \
  -s3 -s3.port="$S3_PORT" -s3.config="$S3_RUN_DIR/s3.json" \
  >"$S3_RUN_DIR/server.log" 2>&1 &
S3_PID=$!
CLEANUP+=("kill $S3_PID && for _ in \$(seq 50); do kill -0 $S3_PID 2>/dev/null || break; sleep 0.2; done" "rm -rf $S3_RUN_DIR")

# Up when the gateway answers and refuses an unsigned listing (403: the identities are loaded).
s3_up() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$MEDIA_S3_ENDPOINT/")" = 403 ]; }
for _ in $(seq 120); do
  s3_up && break
  if ! kill -0 "$S3_PID" 2>/dev/null; then
    echo "SeaweedFS exited:" >&2; tail -n 40 "$S3_RUN_DIR/server.log" >&2; return 1
  fi
  sleep 0.5
done
s3_up || { tail -n 40 "$S3_RUN_DIR/server.log" >&2; echo "S3 gateway did not answer on $MEDIA_S3_ENDPOINT" >&2; return 1; }
echo "SeaweedFS S3 gateway $SEAWEEDFS_VERSION on $MEDIA_S3_ENDPOINT"
