# SeaweedFS's S3 gateway for docker compose, the same version CI builds (.ci/services/s3.sh):
# built from the Go module proxy. Apache-2.0 (MinIO's server is AGPL-3.0).
FROM golang:1.26-bookworm AS build
ARG SEAWEEDFS_VERSION=v0.0.0-20261109003541-7506e5f91cd6
RUN dir=$(go mod download -json "github.com/seaweedfs/seaweedfs@$SEAWEEDFS_VERSION" \
      | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') \
    && cd "$dir" && CGO_ENABLED=0 go build -trimpath -o /weed ./weed

FROM debian:bookworm-slim
COPY --from=build /weed /usr/local/bin/weed
ENTRYPOINT ["weed"]
