#!/usr/bin/env bash
# Builds kube-score (the Kubernetes object checker KubeScoreIT runs over the chart and a tenant's
# objects) from its Go module into a cache folder and prints the binary's path on stdout.
# These machines reach only package registries, so the release binaries are not an option.
# Idempotent: a second run with the binary present only prints its path.
set -euo pipefail

KUBE_SCORE_VERSION="${WINGU_KUBE_SCORE_VERSION:-1.20.0}"
TARGET_DIR="${WINGU_KUBE_SCORE_DIR:-$HOME/.cache/wingu/kube-score/${KUBE_SCORE_VERSION}}"
BINARY="$TARGET_DIR/kube-score"

say() { printf 'kube-score: %s\n' "$*" >&2; }

if [ -x "$BINARY" ]; then
  echo "$BINARY"
  exit 0
fi
command -v go >/dev/null || { say "Go is needed to build kube-score; install Go >= 1.23"; exit 1; }

say "building kube-score v${KUBE_SCORE_VERSION} from its Go module into $TARGET_DIR (first time only)"
mkdir -p "$TARGET_DIR"
# GOBIN puts the binary straight into the cache folder; a temporary name keeps a half-written
# binary from ever being taken for a finished one.
build_dir=$(mktemp -d)
trap 'rm -rf "$build_dir"' EXIT
CGO_ENABLED=0 GOBIN="$build_dir" go install -trimpath -ldflags "-s -w" \
  "github.com/zegl/kube-score/cmd/kube-score@v${KUBE_SCORE_VERSION}"
mv "$build_dir/kube-score" "$BINARY"
echo "$BINARY"
