#!/usr/bin/env bash
# Builds one Go command from its module into a cache folder and prints the binary's path on
# stdout; the per-tool scripts (mailpit.sh, kube-score.sh, s3-server.sh) name what to build.
# These machines reach only package registries, so release binaries are not an option.
# Idempotent: with the binary present it only prints its path.
# Usage: go-tool.sh NAME PACKAGE@VERSION TARGET_DIR
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: go-tool.sh NAME PACKAGE@VERSION TARGET_DIR" >&2; exit 2; }
name=$1 package=$2 target_dir=$3
binary="$target_dir/$name"

if [ ! -x "$binary" ]; then
  command -v go >/dev/null || { echo "$name: Go is needed to build $package; install Go" >&2; exit 1; }
  echo "$name: building $package into $target_dir (first time only; takes minutes)" >&2
  mkdir -p "$target_dir"
  # a temporary GOBIN keeps a half-written binary from ever being taken for a finished one
  build_dir=$(mktemp -d)
  trap 'rm -rf "$build_dir"' EXIT
  CGO_ENABLED=0 GOBIN="$build_dir" go install -trimpath -ldflags "-s -w" "$package"
  mv "$build_dir/$(basename "${package%@*}")" "$binary"
fi
echo "$binary"
