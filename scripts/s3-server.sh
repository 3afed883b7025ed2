#!/usr/bin/env bash
# Builds versitygw (an S3-compatible server; its posix backend keeps objects as plain files) from
# its Go module into a cache folder and prints the binary's path on stdout. Dev mode and the backup
# tests start it on loopback as the object store for tenant database backups.
# Idempotent: a second run with the binary present only prints its path.
set -euo pipefail

VERSITYGW_VERSION="${WINGU_VERSITYGW_VERSION:-1.8.0}"
TARGET_DIR="${WINGU_VERSITYGW_DIR:-$HOME/.cache/wingu/versitygw/${VERSITYGW_VERSION}}"
BINARY="$TARGET_DIR/versitygw"

say() { printf 's3-server: %s\n' "$*" >&2; }

if [ -x "$BINARY" ]; then
  echo "$BINARY"
  exit 0
fi
command -v go >/dev/null || { say "Go is needed to build versitygw; install Go >= 1.24"; exit 1; }

say "building versitygw v${VERSITYGW_VERSION} from its Go module into $TARGET_DIR (first time only)"
mkdir -p "$TARGET_DIR"
# a temporary GOBIN keeps a half-written binary from ever being taken for a finished one
build_dir=$(mktemp -d)
trap 'rm -rf "$build_dir"' EXIT
CGO_ENABLED=0 GOBIN="$build_dir" go install -trimpath -ldflags "-s -w" \
  "github.com/versity/versitygw/cmd/versitygw@v${VERSITYGW_VERSION}"
mv "$build_dir/versitygw" "$BINARY"
echo "$BINARY"
